using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using System.Net;

namespace JobsFunctions.Local.Cli;

/// <summary>
/// The local stack's commands and options, declared once: System.CommandLine parses them, checks them and writes
/// <c>--help</c> from these declarations.
/// </summary>
public static class LocalCommandLine
{
    public const int DefaultPort = 8080;
    public const int DefaultEmulatorPort = 8090;

    private static readonly Option<Uri?> DynamoEndpoint = LoopbackUrl(
        "--dynamo-endpoint", "A DynamoDB-compatible server on loopback to use instead of starting moto_server.");

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

    private static readonly Option<int> Port = PortOption("--port", "The operator API's port on 127.0.0.1.", DefaultPort);

    private static readonly Option<int> EmulatorPort = PortOption("--port", "The emulator's port on 127.0.0.1.", DefaultEmulatorPort);

    private static readonly Option<bool> VirtualClock = new("--virtual-clock")
    {
        Description = "Time stands still until POST /_emulator/clock advances it.",
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
            HelpName = "dotnet run --project src/JobsFunctions.Local --",
        };

        var demo = new Command(
            "demo",
            "Record the sample events (events/job*.json, shuffled, each sent twice) and show what the table holds, then serve the operator API until Ctrl+C.")
        {
            DynamoEndpoint, Table, Bootstrap, Publish, Port, IotEndpoint,
        };
        demo.SetAction((parse, cancellationToken) => actions.Demo(OptionsOf(parse), cancellationToken));

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

        root.Add(demo);
        root.Add(api);
        root.Add(record);
        root.Add(emulator);
        return root;
    }

    /// <summary>The options of a parsed command line, whichever command it names.</summary>
    public static CommandOptions OptionsOf(ParseResult parse)
    {
        ArgumentNullException.ThrowIfNull(parse);
        return new CommandOptions(
            parse.GetValue(Files) ?? [],
            parse.GetValue(DynamoEndpoint),
            parse.GetValue(Table),
            parse.GetValue(Bootstrap),
            parse.GetValue(Publish),
            parse.CommandResult.Command.Name == "emulator" ? parse.GetValue(EmulatorPort) : parse.GetValue(Port),
            parse.GetValue(IotEndpoint),
            parse.GetValue(VirtualClock));
    }

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
        Func<CommandOptions, CancellationToken, Task<int>> Api,
        Func<CommandOptions, CancellationToken, Task<int>> Record,
        Func<CommandOptions, CancellationToken, Task<int>> Emulator);
}
