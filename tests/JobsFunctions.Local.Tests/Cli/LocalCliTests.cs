using JobsFunctions.Local.Cli;
using JobsFunctions.Local.Demo;
using JobsFunctions.Local.Fleet;
using JobsFunctions.Local.Soak;
using JobsFunctions.OperatorConsole;
using JobsFunctions.TestSupport;

namespace JobsFunctions.Local.Tests.Cli;

public sealed class LocalCliTests
{
    [Theory]
    [InlineData("", "Required command was not provided")]
    [InlineData("deploy", "Unrecognized command or argument 'deploy'")]
    [InlineData("record", "Required argument 'FILE' missing for command: 'record'")]
    [InlineData("record events/job-completed.json --table t --port 9000", "Unrecognized command or argument '--port'")]
    [InlineData("demo --verbose", "Unrecognized command or argument '--verbose'")]
    [InlineData("demo --port", "Required argument missing for option: '--port'")]
    [InlineData("api --port 70000", "--port must be a port number from 1 to 65535, got '70000'")]
    [InlineData("demo extra.json", "Unrecognized command or argument 'extra.json'")]
    [InlineData("demo --dynamo-endpoint http://10.0.0.5:8000", "--dynamo-endpoint must point at this machine")]
    [InlineData("api --iot-endpoint ftp://127.0.0.1/", "--iot-endpoint must be an http(s) URL")]
    [InlineData("record no-such-event.json", "No such event file: no-such-event.json")]
    [InlineData("emulator --port 0", "--port must be a port number from 1 to 65535, got '0'")]
    [InlineData("emulator events.json", "Unrecognized command or argument 'events.json'")]
    [InlineData("demo --devices 0", "--devices must be a whole number from 1 to 1000000, got '0'")]
    [InlineData("demo --dynamo-faults 1", "--dynamo-faults must be a number from 0 to 0.9, got '1'")]
    [InlineData("demo --speed fast", "--speed must be a number from 1 to 1000000, got 'fast'")]
    [InlineData("demo --recorder-concurrency 0", "--recorder-concurrency must be a whole number from 1 to 64, got '0'")]
    [InlineData("demo --failing 0.6 --never-starting 0.5", "--failing, --rejecting, --hanging, --silent and --never-starting: the shares add up to more than the whole fleet")]
    [InlineData("demo --iot-endpoint http://127.0.0.1:9000", "Unrecognized command or argument '--iot-endpoint'")]
    [InlineData("serve --region us_west_2", "--region (or AWS_REGION / AWS_DEFAULT_REGION) must name an AWS region such as us-west-2, got 'us_west_2'")]
    public async Task A_command_line_it_cannot_act_on_exits_2_saying_why_and_showing_the_usage(string args, string reason)
    {
        var (code, output, errors) = await RunAsync(args);

        Assert.Equal(2, code);
        Assert.Contains($"error: {reason}", errors);
        Assert.Contains("Usage:", errors);
        Assert.Contains("dotnet run -c Release --project src/JobsFunctions.Local --", errors);
        Assert.Empty(output);
    }

    [Fact]
    public async Task A_wrong_option_shows_the_help_of_the_command_it_was_given_to()
    {
        var (_, _, errors) = await RunAsync("api --port 0");

        Assert.Contains("dotnet run -c Release --project src/JobsFunctions.Local -- api [options]", errors);
        Assert.Contains("--iot-endpoint <URL>", errors);
    }

    [Theory]
    [InlineData("--help")]
    [InlineData("-h")]
    [InlineData("demo --help")]
    [InlineData("record --help")]
    public async Task Help_shows_the_usage_and_exits_0(string args)
    {
        var (code, output, errors) = await RunAsync(args);

        Assert.Equal(0, code);
        Assert.Contains("Usage:", output);
        Assert.Contains("dotnet run -c Release --project src/JobsFunctions.Local --", output);
        Assert.Empty(errors);
    }

    [Fact]
    public async Task Help_names_every_command()
    {
        var (_, output, _) = await RunAsync("--help");

        Assert.Contains("demo", output);
        Assert.Contains("api", output);
        Assert.Contains("record <FILE>", output);
        Assert.Contains("emulator", output);
    }

    [Fact]
    public void Options_take_their_values_inline_or_after_the_name()
    {
        var options = Parse("api", "--port=9090", "--iot-endpoint", "http://localhost:5000", "--dynamo-endpoint=http://[::1]:8000", "--publish", "--table", "records");

        Assert.Equal(9090, options.Port);
        Assert.Equal(new Uri("http://localhost:5000"), options.IotEndpoint);
        Assert.Equal(new Uri("http://[::1]:8000"), options.DynamoEndpoint);
        Assert.True(options.Publish);
        Assert.Equal("records", options.Table);
    }

    [Fact]
    public void The_api_port_defaults_to_8080_and_nothing_else_is_set()
    {
        var options = Parse("demo");

        Assert.Equal(8080, options.Port);
        Assert.Null(options.DynamoEndpoint);
        Assert.Null(options.IotEndpoint);
        Assert.Null(options.Table);
        Assert.Null(options.Bootstrap);
        Assert.False(options.Publish);
    }

    [Fact]
    public void The_emulator_serves_on_its_own_default_port_with_the_wall_clock_unless_told_otherwise()
    {
        var defaults = Parse("emulator");
        var given = Parse("emulator", "--port", "9100", "--virtual-clock");

        Assert.Equal(8090, defaults.Port);
        Assert.False(defaults.VirtualClock);
        Assert.Equal(9100, given.Port);
        Assert.True(given.VirtualClock);
    }

    [Theory]
    [InlineData("emulator --table t", "Unrecognized command or argument '--table'")]
    [InlineData("demo --virtual-clock", "Unrecognized command or argument '--virtual-clock'")]
    [InlineData("api --jit", "Unrecognized command or argument '--jit'")]
    public void An_option_another_command_takes_is_refused(string args, string reason)
    {
        var parse = LocalCommandLine.Build(new LocalCommandLine.Actions(Never, Never, Never, Never, Never, Never)).Parse(args.Split(' '));

        Assert.Contains(parse.Errors, error => error.Message.Contains(reason, StringComparison.Ordinal));

        static Task<int> Never(CommandOptions options, CancellationToken cancellationToken) => throw new InvalidOperationException("Nothing should run.");
    }

    [Fact]
    public void Console_takes_the_API_the_profile_the_region_and_a_port_and_serve_starts_it_on_8070_unless_told()
    {
        var given = Parse("console", "--api", "https://abc123.execute-api.eu-west-1.amazonaws.com", "--profile", "ops", "--region", "eu-west-1", "--port", "9070");

        Assert.Equal(new ConsoleSettings(new Uri("https://abc123.execute-api.eu-west-1.amazonaws.com"), "ops", "eu-west-1", 9070), given.Console);
        Assert.Equal(new ConsoleSettings(new Uri("http://127.0.0.1:8080")), Parse("console", "--api", "http://127.0.0.1:8080").Console);
        Assert.Equal((8070, 0), (Parse("serve").ConsolePort, Parse("serve", "--console-port", "0").ConsolePort));
    }

    [Theory]
    [InlineData("console", "Option '--api' is required")]
    [InlineData("console --api ftp://example.com", "--api must be an http(s) URL")]
    [InlineData("demo --console-port 9000", "Unrecognized command or argument '--console-port'")]
    public void A_console_line_without_an_http_API_is_refused(string args, string reason)
    {
        var parse = LocalCommandLine.Build(new LocalCommandLine.Actions(Never, Never, Never, Never, Never, Never, Never)).Parse(args.Split(' '));

        Assert.Contains(parse.Errors, error => error.Message.Contains(reason, StringComparison.Ordinal));

        static Task<int> Never(CommandOptions options, CancellationToken cancellationToken) => throw new InvalidOperationException("Nothing should run.");
    }

    [Fact]
    public void Demo_rolls_out_to_a_thousand_devices_at_600_times_real_time_with_no_faults_unless_told()
    {
        var fleet = Parse("demo").Fleet!;

        Assert.Equal(new FleetDemoOptions(1000, 1, 600, FleetMix.Default, DuplicateEvents: false, ShuffleEvents: false, DynamoFaults: 0), fleet);
        Assert.Equal((4, false), (fleet.RecorderConcurrency, fleet.DevicesOverHttp));
        Assert.Equal(0, Parse("demo").EmulatorPort);
    }

    [Fact]
    public void Demo_and_serve_take_the_fleet_its_mix_and_the_faults_from_the_command_line()
    {
        var options = Parse(
            "serve", "--devices", "200", "--seed", "42", "--speed", "120.5", "--failing", "0.1", "--rejecting", "0.05", "--hanging", "0.04",
            "--silent", "0.03", "--never-starting", "0.02", "--duplicate-events", "--shuffle-events", "--dynamo-faults", "0.2", "--emulator-port", "9200",
            "--recorder-concurrency", "8", "--devices-over-http");

        Assert.Equal(
            new FleetDemoOptions(
                200, 42, 120.5, new FleetMix(0.1, 0.05, 0.04, 0.03, 0.02), DuplicateEvents: true, ShuffleEvents: true, DynamoFaults: 0.2,
                RecorderConcurrency: 8, DevicesOverHttp: true),
            options.Fleet);
        Assert.Equal(9200, options.EmulatorPort);
    }

    [Fact]
    public void Serve_may_run_no_rollout_and_serves_the_emulator_on_8090_by_default()
    {
        var options = Parse("serve", "--devices", "0");

        Assert.Equal(0, options.Fleet!.Devices);
        Assert.Equal(8090, options.EmulatorPort);
    }

    [Fact]
    public void Demo_and_serve_run_the_Native_AOT_bootstrap_unless_jit_is_asked_for()
    {
        Assert.False(Parse("demo").Jit);
        Assert.True(Parse("demo", "--jit").Jit);
        Assert.True(Parse("serve", "--devices", "0", "--jit").Jit);
    }

    [Fact]
    public void Demo_and_serve_run_in_the_region_given_and_other_commands_in_the_local_stacks_own()
    {
        Assert.Equal("eu-west-1", Parse("serve", "--region", "eu-west-1").Region);
        Assert.Equal("ap-southeast-2", Parse("demo", "--region", "ap-southeast-2").Region);
        Assert.Equal(JobsFunctions.Local.Stack.LocalTables.Region, Parse("api").Region);
    }

    [Fact]
    public void Soak_plays_seven_days_on_the_templates_schedule_with_the_default_faults_unless_told()
    {
        var soak = Parse("soak").Soak!;

        Assert.Equal(new SoakOptions(), soak);
        Assert.Equal((7, null, 1), (soak.Days, soak.RateMinutes, soak.Seed));
    }

    [Fact]
    public void Soak_takes_its_length_schedule_seed_faults_and_bound_from_the_command_line()
    {
        var options = Parse(
            "soak", "--days", "1.5", "--rate-minutes", "10", "--seed", "9", "--throttle-rate", "0.1", "--server-error-rate", "0.02",
            "--dynamo-faults", "0.2", "--item-bound", "8192");

        Assert.Equal(new SoakOptions(1.5, 10, 9, 0.1, 0.02, 0.2, 8192), options.Soak);
    }

    [Theory]
    [InlineData("soak --days 0", "--days must be a number from 0.01 to 365")]
    [InlineData("soak --rate-minutes 0", "--rate-minutes must be a whole number from 1 to 1440")]
    [InlineData("soak --throttle-rate 0.9", "--throttle-rate must be a number from 0 to 0.5")]
    [InlineData("soak --devices 5", "Unrecognized command or argument '--devices'")]
    public void A_soak_option_out_of_range_is_refused_naming_the_option(string args, string reason)
    {
        var parse = LocalCommandLine.Build(new LocalCommandLine.Actions(Never, Never, Never, Never, Never, Never)).Parse(args.Split(' '));

        Assert.Contains(parse.Errors, error => error.Message.Contains(reason, StringComparison.Ordinal));

        static Task<int> Never(CommandOptions options, CancellationToken cancellationToken) => throw new InvalidOperationException("Nothing should run.");
    }

    [Fact]
    public void Record_takes_its_files_in_the_order_given()
    {
        var completed = Path.Combine(RepositoryPaths.Root, "events", "job-completed.json");
        var canceled = Path.Combine(RepositoryPaths.Root, "events", "job-canceled.json");

        var options = Parse("record", completed, canceled, "--bootstrap", "artifacts/bootstrap");

        Assert.Equal([completed, canceled], options.Files);
        Assert.Equal("artifacts/bootstrap", options.Bootstrap);
    }

    private static CommandOptions Parse(params string[] args)
    {
        CommandOptions? seen = null;
        var root = LocalCommandLine.Build(new LocalCommandLine.Actions(Keep, Keep, Keep, Keep, Keep, Keep, Keep));
        var parse = root.Parse(args);
        Assert.Empty(parse.Errors);
        Assert.Equal(0, parse.Invoke());
        return seen ?? throw new InvalidOperationException("No command ran.");

        Task<int> Keep(CommandOptions options, CancellationToken cancellationToken)
        {
            seen = options;
            return Task.FromResult(0);
        }
    }

    private static async Task<(int Code, string Output, string Errors)> RunAsync(string args)
    {
        using var output = new StringWriter();
        using var errors = new StringWriter();
        var code = await LocalCli.RunAsync(args.Split(' ', StringSplitOptions.RemoveEmptyEntries), output, errors, TestContext.Current.CancellationToken);
        return (code, output.ToString(), errors.ToString());
    }
}
