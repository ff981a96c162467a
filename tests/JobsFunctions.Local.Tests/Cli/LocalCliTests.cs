using JobsFunctions.Local.Cli;

namespace JobsFunctions.Local.Tests.Cli;

public sealed class LocalCliTests
{
    [Theory]
    [InlineData("", "No command given")]
    [InlineData("deploy", "Unknown command 'deploy'")]
    [InlineData("record", "record needs at least one event file")]
    [InlineData("record events/job-completed.json --port 9000", "'record' does not take --port")]
    [InlineData("demo --verbose", "Unknown option --verbose")]
    [InlineData("demo --port", "--port needs a value")]
    [InlineData("api --port 70000", "--port must be a port number")]
    [InlineData("demo extra.json", "'demo' takes no files")]
    [InlineData("demo --dynamo-endpoint http://10.0.0.5:8000", "must point at this machine")]
    [InlineData("api --iot-endpoint ftp://127.0.0.1/", "must be an http(s) URL")]
    [InlineData("record no-such-event.json", "No such event file: no-such-event.json")]
    [InlineData("emulator --table t", "'emulator' does not take --table")]
    [InlineData("emulator --port 0", "--port must be a port number")]
    [InlineData("emulator events.json", "'emulator' takes no files")]
    public async Task A_command_line_it_cannot_act_on_exits_2_saying_why_and_showing_the_usage(string args, string reason)
    {
        var (code, _, errors) = await RunAsync(args);

        Assert.Equal(2, code);
        Assert.Contains(reason, errors);
        Assert.Contains("Usage: dotnet run --project src/JobsFunctions.Local -- <command>", errors);
    }

    [Fact]
    public async Task Help_shows_the_usage_and_exits_0()
    {
        var (code, output, errors) = await RunAsync("--help");

        Assert.Equal(0, code);
        Assert.Contains("demo", output);
        Assert.Empty(errors);
    }

    [Fact]
    public void Options_take_their_values_inline_or_after_the_name()
    {
        var line = CommandLine.Parse(["api", "--port=9090", "--iot-endpoint", "http://localhost:5000", "--dynamo-endpoint=http://[::1]:8000", "--publish"]);

        Assert.NotNull(line);
        Assert.Equal(9090, line.Port);
        Assert.Equal(new Uri("http://localhost:5000"), line.IotEndpoint);
        Assert.Equal(new Uri("http://[::1]:8000"), line.DynamoEndpoint);
        Assert.True(line.Publish);
    }

    [Fact]
    public void The_emulator_serves_on_8090_unless_told_and_takes_a_virtual_clock()
    {
        var line = CommandLine.Parse(["emulator", "--virtual-clock"]);

        Assert.Equal((8090, true), (line?.Port, line?.VirtualClock));
        Assert.Equal((9000, false), (CommandLine.Parse(["emulator", "--port", "9000"])?.Port, CommandLine.Parse(["emulator"])?.VirtualClock));
    }

    [Fact]
    public void The_api_port_defaults_to_8080()
    {
        Assert.Equal(8080, CommandLine.Parse(["demo"])?.Port);
    }

    private static async Task<(int Code, string Output, string Errors)> RunAsync(string args)
    {
        using var output = new StringWriter();
        using var errors = new StringWriter();
        var code = await LocalCli.RunAsync(args.Split(' ', StringSplitOptions.RemoveEmptyEntries), output, errors, TestContext.Current.CancellationToken);
        return (code, output.ToString(), errors.ToString());
    }
}
