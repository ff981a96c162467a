using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using System.Net;
using JobsFunctions.Local.Demo;
using JobsFunctions.Local.Fleet;
using JobsFunctions.Local.Soak;
using JobsFunctions.Local.Stack;
using JobsFunctions.OperatorConsole;

namespace JobsFunctions.Local.Cli;

/// <summary>
/// The local stack's commands and options, declared once: System.CommandLine parses them, checks them and writes
/// <c>--help</c> from these declarations.
/// </summary>
public static partial class LocalCommandLine
{
    public const int DefaultPort = 8080;
    public const int DefaultEmulatorPort = 8090;

    private static readonly Option<Uri?> DynamoEndpoint = LoopbackUrl(
        "--dynamo-endpoint", "A DynamoDB-compatible server on loopback (DynamoDB Local, say) to use instead of starting moto.");

    private static readonly Option<string?> Table = new("--table")
    {
        Description = "Use this table (created from template.yaml if missing) instead of a fresh one.",
        HelpName = "NAME",
    };

    private static readonly Option<string?> Bootstrap = new("--bootstrap")
    {
        Description = "The bootstrap to run (default: artifacts/bootstrap, published if missing).",
        HelpName = "PATH",
    };

    private static readonly Option<bool> Publish = new("--publish") { Description = "Publish the bootstrap again before running." };

    private static readonly Option<bool> Jit = new("--jit")
    {
        Description = "Run the functions JIT-compiled under dotnet (a framework-dependent build) instead of the Native AOT bootstrap; "
            + "chosen by itself on a host that is not linux-x64, where Native AOT for Lambda cannot be built.",
    };

    private static readonly Option<int> Port = PortOption("--port", "The operator API's port on 127.0.0.1.", DefaultPort);

    private static readonly Option<int> EmulatorPort = PortOption("--port", "The emulator's port on 127.0.0.1.", DefaultEmulatorPort);

    private static readonly Option<bool> VirtualClock = new("--virtual-clock")
    {
        Description = "Time stands still until POST /_emulator/clock advances it.",
    };

    private static readonly Option<int> Devices = Count("--devices", "How many simulated devices take part in the rollout.", FleetDemoOptions.DefaultDevices, minimum: 1);

    private static readonly Option<int> ServedDevices = Count("--devices", "How many simulated devices take part in the rollout before serving (0: no rollout).", FleetDemoOptions.DefaultDevices, minimum: 0);

    private static readonly Option<int> Seed = new("--seed")
    {
        Description = "Decides every device's behaviour and pace, and the faults: the same seed plays the same run.",
        HelpName = "N",
        DefaultValueFactory = _ => 1,
    };

    private static readonly Option<double> Speed = Fraction(
        "--speed", "How many times faster than real time the virtual clock runs, at most. serve keeps this pace after the rollout only when it is given; otherwise real time.", FleetDemoOptions.DefaultSpeed, minimum: 1, maximum: 1_000_000, helpName: "X");

    private static readonly Option<double> Failing = Share("--failing", "The share of devices that report FAILED.", FleetMix.Default.Fail);

    private static readonly Option<double> Rejecting = Share("--rejecting", "The share of devices that report REJECTED.", FleetMix.Default.Reject);

    private static readonly Option<double> Hanging = Share("--hanging", "The share of devices that stay IN_PROGRESS, reporting the same progress for ever.", FleetMix.Default.Hang);

    private static readonly Option<double> Silent = Share("--silent", "The share of devices that start, report once, then stop reporting.", FleetMix.Default.StopReporting);

    private static readonly Option<double> NeverStarting = Share("--never-starting", "The share of devices that never ask for their job.", FleetMix.Default.NeverStart);

    private static readonly Option<bool> DuplicateEvents = new("--duplicate-events") { Description = "Deliver every IoT event to the recorder twice." };

    private static readonly Option<bool> ShuffleEvents = new("--shuffle-events") { Description = "Deliver IoT events out of the order they were published in." };

    private static readonly Option<double> DynamoFaults = Fraction(
        "--dynamo-faults", "The share of the recorder's DynamoDB requests that fail (throttling, 500s), retried as Lambda retries.", 0, minimum: 0, maximum: 0.9, helpName: "RATE");

    private static readonly Option<int> RecorderConcurrency = Count(
        "--recorder-concurrency", "How many recorder execution environments take events at once, as Lambda's concurrency.", FleetDemoOptions.DefaultRecorderConcurrency, minimum: 1, maximum: 64);

    private static readonly Option<bool> DevicesOverHttp = new("--devices-over-http")
    {
        Description = "Devices call the emulator's jobs data plane over HTTP with SigV4, as real devices' SDKs do (slower: in process by default).",
    };

    private static readonly Option<int> DemoEmulatorPort = Count("--emulator-port", "The IoT Jobs emulator's port on 127.0.0.1 (0: any free port).", 0, minimum: 0, maximum: 65535);

    private static readonly Option<int> ServedEmulatorPort = Count("--emulator-port", "The IoT Jobs emulator's port on 127.0.0.1 (0: any free port).", DefaultEmulatorPort, minimum: 0, maximum: 65535);

    private static readonly Option<string> Region = new("--region")
    {
        Description = "The region the product runs in (its functions, rules and table) and serve's AWS reference examples are made in. "
            + "Default: AWS_REGION, else AWS_DEFAULT_REGION, else us-west-2, the region the examples' ARNs name.",
        HelpName = "REGION",
        DefaultValueFactory = _ => StackRegion.FromEnvironment(Environment.GetEnvironmentVariable),
    };

    private static readonly Option<Uri?> IotEndpoint = LoopbackUrl(
        "--iot-endpoint", "An AWS IoT / IoT Jobs endpoint on loopback for the API's changes; without one they answer 503.");

    private static readonly Argument<string[]> Files = new("FILE")
    {
        Description = "Event files to record, in this order.",
        Arity = ArgumentArity.OneOrMore,
        Validators =
        {
            result =>
            {
                // An option the command does not take arrives here as a file name: name it as what it is.
                var files = result.Tokens.Select(token => token.Value).ToList();
                if (files.FirstOrDefault(file => file.StartsWith('-')) is { } option)
                {
                    result.AddError($"Unrecognized command or argument '{option}'.");
                }
                else if (files.FirstOrDefault(file => !File.Exists(file)) is { } missing)
                {
                    result.AddError($"No such event file: {missing}");
                }
            },
        },
    };

    /// <summary>The command tree; each command's action gets its options and the command's cancellation.</summary>
    public static RootCommand Build(Actions actions)
    {
        ArgumentNullException.ThrowIfNull(actions);
        var root = new RootCommand(
            "JobsFunctions local stack: the real bootstrap, run as Lambda runs it, against a local DynamoDB (moto).\n"
            + "Exit codes: 0 done, 1 failed, 2 the command line is wrong.")
        {
            HelpName = "dotnet run -c Release --project src/JobsFunctions.Local --",
        };

        var demo = new Command(
            "demo",
            "Run the whole product against a simulated fleet: the IoT Jobs emulator, the recorder fed through the template's IoT rules, the operator API, "
            + "the sweeper on its schedule; one rollout on a virtual clock, live progress, then a summary comparing the store with the emulator's truth "
            + "(exit code 0 only when they are equal).");
        AddFleetOptions(demo, Devices, DemoEmulatorPort);
        demo.SetAction((parse, cancellationToken) => actions.Demo(OptionsOf(parse), cancellationToken));

        var serve = new Command(
            "serve",
            "As demo, then keep everything up and print the endpoints (the emulator for boto3 and the AWS CLI, the operator API for curl) until Ctrl+C.");
        AddFleetOptions(serve, ServedDevices, ServedEmulatorPort);
        serve.Add(ServedConsolePort);
        serve.SetAction((parse, cancellationToken) => actions.Serve(OptionsOf(parse), cancellationToken));

        var api = new Command("api", "Serve the operator API on http://127.0.0.1:PORT until Ctrl+C.")
        {
            DynamoEndpoint, Table, Bootstrap, Publish, Port, IotEndpoint,
        };
        api.SetAction((parse, cancellationToken) => actions.Api(OptionsOf(parse), cancellationToken));

        var record = new Command("record", "Record the given event files, in order, and show the outcomes and what the table holds.")
        {
            Files, DynamoEndpoint, Table, Bootstrap, Publish,
        };
        record.SetAction((parse, cancellationToken) => actions.Record(OptionsOf(parse), cancellationToken));

        var emulator = new Command(
            "emulator",
            "Serve the AWS IoT Jobs emulator (control plane iot and data plane iot-jobs-data) on http://127.0.0.1:PORT until Ctrl+C; aim boto3 or the AWS CLI at it with --endpoint-url.")
        {
            EmulatorPort, VirtualClock,
        };
        emulator.SetAction((parse, cancellationToken) => actions.Emulator(OptionsOf(parse), cancellationToken));

        var soak = new Command(
            "soak",
            "Run the product for days of account time against the emulator: heartbeating, silent, retried and ordinary devices, a job whose listing "
            + "is refused, IoT throttling and 500s, DynamoDB faults; the sweeper on its schedule. Ends with a table of the soak's checks "
            + "(exit code 0 only when every one held).")
        {
            SoakDays, SoakRateMinutes, Seed, SoakThrottles, SoakServerErrors, SoakDynamoFaults, SoakItemBound, DynamoEndpoint, Table, Bootstrap, Publish, Port,
        };
        soak.SetAction((parse, cancellationToken) => actions.Soak(OptionsOf(parse), cancellationToken));

        root.Add(demo);
        root.Add(serve);
        root.Add(api);
        root.Add(record);
        root.Add(emulator);
        root.Add(soak);
        if (actions.Console is { } runConsole)
        {
            var console = new Command(
                "console",
                "Serve the operator console on http://127.0.0.1:PORT until Ctrl+C: a web page over the operator API, which it calls signed with your AWS credentials (never sent to the browser).")
            {
                ConsoleApi, Profile, ConsoleRegion, ConsolePort,
            };
            console.SetAction((parse, cancellationToken) => runConsole(OptionsOf(parse), cancellationToken));
            root.Add(console);
        }

        return root;
    }

    /// <summary>The options of a parsed command line, whichever command it names.</summary>
    public static CommandOptions OptionsOf(ParseResult parse)
    {
        ArgumentNullException.ThrowIfNull(parse);
        var command = parse.CommandResult.Command.Name;
        var fleet = command is "demo" or "serve"
            ? new FleetDemoOptions(
                parse.GetValue(command == "demo" ? Devices : ServedDevices),
                parse.GetValue(Seed),
                parse.GetValue(Speed),
                new FleetMix(parse.GetValue(Failing), parse.GetValue(Rejecting), parse.GetValue(Hanging), parse.GetValue(Silent), parse.GetValue(NeverStarting)),
                parse.GetValue(DuplicateEvents),
                parse.GetValue(ShuffleEvents),
                parse.GetValue(DynamoFaults),
                parse.GetValue(RecorderConcurrency),
                parse.GetValue(DevicesOverHttp))
            : null;
        return new CommandOptions(
            parse.GetValue(Files) ?? [],
            parse.GetValue(DynamoEndpoint),
            parse.GetValue(Table),
            parse.GetValue(Bootstrap),
            parse.GetValue(Publish),
            command == "emulator" ? parse.GetValue(EmulatorPort) : parse.GetValue(Port),
            parse.GetValue(IotEndpoint),
            parse.GetValue(VirtualClock),
            fleet,
            command == "serve" ? parse.GetValue(ServedEmulatorPort) : parse.GetValue(DemoEmulatorPort),
            command is "demo" or "serve" && parse.GetValue(Jit),
            command == "serve" && parse.GetResult(Speed) is { Implicit: false } ? parse.GetValue(Speed) : 1,
            command == "soak"
                ? new SoakOptions(
                    parse.GetValue(SoakDays),
                    parse.GetValue(SoakRateMinutes) is var rate and > 0 ? rate : null,
                    parse.GetValue(Seed),
                    parse.GetValue(SoakThrottles),
                    parse.GetValue(SoakServerErrors),
                    parse.GetValue(SoakDynamoFaults),
                    parse.GetValue(SoakItemBound))
                : null,
            command == "serve" ? parse.GetValue(ServedConsolePort) : ConsoleSettings.DefaultPort,
            command == "console"
                ? new ConsoleSettings(parse.GetValue(ConsoleApi)!, parse.GetValue(Profile), parse.GetValue(ConsoleRegion), parse.GetValue(ConsolePort))
                : null,
            command is "demo" or "serve" ? parse.GetValue(Region)! : LocalTables.Region);
    }

    private static void AddFleetOptions(Command command, Option<int> devices, Option<int> emulatorPort)
    {
        foreach (var option in new Option[]
        {
            devices, Seed, Speed, Failing, Rejecting, Hanging, Silent, NeverStarting, DuplicateEvents, ShuffleEvents, DynamoFaults,
            RecorderConcurrency, DevicesOverHttp, DynamoEndpoint, Table, Bootstrap, Publish, Jit, Port, emulatorPort, Region,
        })
        {
            command.Add(option);
        }

        // Checked here rather than in a parser, so a region taken from the environment is checked too.
        command.Validators.Add(result =>
        {
            var region = result.GetResult(Region) is { Implicit: false } given
                ? given.GetValueOrDefault<string>()
                : StackRegion.FromEnvironment(Environment.GetEnvironmentVariable);
            if (!StackRegion.IsValid(region))
            {
                result.AddError($"--region (or AWS_REGION / AWS_DEFAULT_REGION) must name an AWS region such as us-west-2, got '{region}'.");
            }
        });

        // The shares are of one fleet: together they cannot exceed it.
        command.Validators.Add(result =>
        {
            var mix = new FleetMix(
                result.GetValue(Failing), result.GetValue(Rejecting), result.GetValue(Hanging), result.GetValue(Silent), result.GetValue(NeverStarting));
            if (mix.Problem() is { } problem)
            {
                result.AddError($"--failing, --rejecting, --hanging, --silent and --never-starting: {problem}.");
            }
        });
    }

    private static Option<int> Count(string name, string description, int defaultValue, int minimum, int maximum = 1_000_000) => new(name)
    {
        Description = description,
        HelpName = "N",
        DefaultValueFactory = _ => defaultValue,
        CustomParser = result =>
        {
            var text = result.Tokens[0].Value;
            if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= minimum && value <= maximum)
            {
                return value;
            }

            result.AddError($"{name} must be a whole number from {minimum} to {maximum}, got '{text}'.");
            return defaultValue;
        },
    };

    private static Option<double> Share(string name, string description, double defaultValue) =>
        Fraction(name, description, defaultValue, minimum: 0, maximum: 1, helpName: "SHARE");

    private static Option<double> Fraction(string name, string description, double defaultValue, double minimum, double maximum, string helpName) => new(name)
    {
        Description = description,
        HelpName = helpName,
        DefaultValueFactory = _ => defaultValue,
        CustomParser = result =>
        {
            var text = result.Tokens[0].Value;
            if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value >= minimum && value <= maximum)
            {
                return value;
            }

            result.AddError($"{name} must be a number from {minimum.ToString(CultureInfo.InvariantCulture)} to {maximum.ToString(CultureInfo.InvariantCulture)}, got '{text}'.");
            return defaultValue;
        },
    };

    private static Option<int> PortOption(string name, string description, int defaultPort) => new(name)
    {
        Description = description,
        HelpName = "N",
        DefaultValueFactory = _ => defaultPort,
        CustomParser = result =>
        {
            var text = result.Tokens[0].Value;
            if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port is > 0 and < 65536)
            {
                return port;
            }

            result.AddError($"{name} must be a port number from 1 to 65535, got '{text}'.");
            return 0;
        },
    };

    // The local stack talks to nothing but this machine.
    private static Option<Uri?> LoopbackUrl(string name, string description) => new(name)
    {
        Description = description,
        HelpName = "URL",
        CustomParser = result =>
        {
            var text = result.Tokens[0].Value;
            if (!Uri.TryCreate(text, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
            {
                result.AddError($"{name} must be an http(s) URL, got '{text}'.");
                return null;
            }

            var loopback = url.IsLoopback || (IPAddress.TryParse(url.Host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address));
            if (!loopback)
            {
                result.AddError($"{name} must point at this machine (127.0.0.1, localhost or [::1]), got '{text}'.");
                return null;
            }

            return url;
        },
    };

    /// <summary>What each command does once its command line is known to be right.</summary>
    public sealed record Actions(
        Func<CommandOptions, CancellationToken, Task<int>> Demo,
        Func<CommandOptions, CancellationToken, Task<int>> Serve,
        Func<CommandOptions, CancellationToken, Task<int>> Api,
        Func<CommandOptions, CancellationToken, Task<int>> Record,
        Func<CommandOptions, CancellationToken, Task<int>> Emulator,
        Func<CommandOptions, CancellationToken, Task<int>> Soak,
        Func<CommandOptions, CancellationToken, Task<int>>? Console = null);
}
