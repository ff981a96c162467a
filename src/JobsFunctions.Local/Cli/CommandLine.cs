using System.Globalization;
using System.Net;

namespace JobsFunctions.Local.Cli;

/// <summary>A command line the program cannot act on; the message says what is wrong, and the usage follows it.</summary>
public sealed class UsageException : Exception
{
    public UsageException(string message)
        : base(message)
    {
    }

    public UsageException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public UsageException()
    {
    }
}

/// <summary>A parsed command line: the command, its files, and the options it allows.</summary>
public sealed record CommandLine(
    string Command,
    IReadOnlyList<string> Files,
    Uri? DynamoEndpoint,
    string? Table,
    string? Bootstrap,
    bool Publish,
    int Port,
    Uri? IotEndpoint,
    bool VirtualClock = false)
{
    public const int DefaultPort = 8080;
    public const int DefaultEmulatorPort = 8090;

    public const string Usage = """
        JobsFunctions local stack: the real bootstrap, run as Lambda runs it, against a local DynamoDB (moto).

        Usage: dotnet run --project src/JobsFunctions.Local -- <command> [options]

        Commands:
          demo            Record the sample events (events/job*.json, shuffled, each sent twice) and show what the
                          table holds, then serve the operator API until Ctrl+C.
          api             Serve the operator API on http://127.0.0.1:PORT until Ctrl+C.
          record FILE...  Record the given event files, in order, and show the outcomes and what the table holds.
          emulator        Serve the AWS IoT Jobs emulator (control plane iot and data plane iot-jobs-data) on
                          http://127.0.0.1:PORT until Ctrl+C; aim boto3 or the AWS CLI at it with --endpoint-url.

        Options:
          --dynamo-endpoint URL  A DynamoDB-compatible server on loopback to use instead of starting moto_server.
          --table NAME           Use this table (created from template.yaml if missing) instead of a fresh one.
          --bootstrap PATH       The bootstrap to run (default: artifacts/bootstrap, published if missing).
          --publish              Publish the bootstrap again before running.
          --port N               demo, api: the API's port on 127.0.0.1 (default 8080); emulator: its port
                                 (default 8090).
          --virtual-clock        emulator: time stands still until POST /_emulator/clock advances it.
          --iot-endpoint URL     demo, api: an AWS IoT / IoT Jobs endpoint on loopback for the API's changes;
                                 without one they answer 503.
          -h, --help             Show this help.

        Exit codes: 0 done, 1 failed, 2 the command line is wrong.
        """;

    private static readonly Dictionary<string, string[]> OptionsOf = new(StringComparer.Ordinal)
    {
        ["demo"] = ["--dynamo-endpoint", "--table", "--bootstrap", "--publish", "--port", "--iot-endpoint"],
        ["api"] = ["--dynamo-endpoint", "--table", "--bootstrap", "--publish", "--port", "--iot-endpoint"],
        ["record"] = ["--dynamo-endpoint", "--table", "--bootstrap", "--publish"],
        ["emulator"] = ["--port", "--virtual-clock"],
    };

    /// <summary>Null for a request for help; throws <see cref="UsageException"/> for anything it cannot act on.</summary>
    public static CommandLine? Parse(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        if (args.Count == 0)
        {
            throw new UsageException("No command given.");
        }

        if (args.Any(arg => arg is "-h" or "--help" or "help"))
        {
            return null;
        }

        var command = args[0];
        if (!OptionsOf.TryGetValue(command, out var allowed))
        {
            throw new UsageException($"Unknown command '{command}'.");
        }

        var files = new List<string>();
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 1; i < args.Count; i++)
        {
            var arg = args[i];
            if (!arg.StartsWith("--", StringComparison.Ordinal))
            {
                files.Add(arg);
                continue;
            }

            var (name, inline) = arg.Split('=', 2) is [var n, var v] ? (n, v) : (arg, null);
            if (!allowed.Contains(name))
            {
                throw new UsageException(OptionsOf.Values.Any(options => options.Contains(name))
                    ? $"'{command}' does not take {name}."
                    : $"Unknown option {name}.");
            }

            if (name is "--publish" or "--virtual-clock")
            {
                values[name] = "true";
                continue;
            }

            var value = inline ?? (i + 1 < args.Count ? args[++i] : throw new UsageException($"{name} needs a value."));
            values[name] = value;
        }

        if (command == "record" && files.Count == 0)
        {
            throw new UsageException("record needs at least one event file.");
        }

        if (command != "record" && files.Count > 0)
        {
            throw new UsageException($"'{command}' takes no files (got '{files[0]}').");
        }

        return new CommandLine(
            command,
            files,
            LoopbackUrl(values, "--dynamo-endpoint"),
            values.GetValueOrDefault("--table"),
            values.GetValueOrDefault("--bootstrap"),
            values.ContainsKey("--publish"),
            values.TryGetValue("--port", out var port) ? ParsePort(port) : command == "emulator" ? DefaultEmulatorPort : DefaultPort,
            LoopbackUrl(values, "--iot-endpoint"),
            values.ContainsKey("--virtual-clock"));
    }

    private static int ParsePort(string text) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port is > 0 and < 65536
            ? port
            : throw new UsageException($"--port must be a port number from 1 to 65535, got '{text}'.");

    // The local stack talks to nothing but this machine.
    private static Uri? LoopbackUrl(Dictionary<string, string> values, string option)
    {
        if (!values.TryGetValue(option, out var text))
        {
            return null;
        }

        if (!Uri.TryCreate(text, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
        {
            throw new UsageException($"{option} must be an http(s) URL, got '{text}'.");
        }

        var loopback = url.IsLoopback || (IPAddress.TryParse(url.Host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address));
        return loopback ? url : throw new UsageException($"{option} must point at this machine (127.0.0.1, localhost or [::1]), got '{text}'.");
    }
}
