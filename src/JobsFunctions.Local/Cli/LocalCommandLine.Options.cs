using System.CommandLine;
using JobsFunctions.Local.Soak;
using JobsFunctions.OperatorConsole;

namespace JobsFunctions.Local.Cli;

/// <summary>The options of the console command and of the soak, beside the rest of the command line.</summary>
public static partial class LocalCommandLine
{
    private static readonly Option<int> ServedConsolePort = Count(
        "--console-port", "The operator console's port on 127.0.0.1 (0: any free port).", ConsoleSettings.DefaultPort, minimum: 0, maximum: 65535);

    private static readonly Option<int> ConsolePort = PortOption("--port", "The console's port on 127.0.0.1.", ConsoleSettings.DefaultPort);

    private static readonly Option<Uri?> ConsoleApi = new("--api")
    {
        Description = "The operator API to call: the stack's OperatorApiUrl output (signed with SigV4), or the local stack's http://127.0.0.1:PORT (unsigned).",
        HelpName = "URL",
        Required = true,
        CustomParser = result =>
        {
            var text = result.Tokens[0].Value;
            if (Uri.TryCreate(text, UriKind.Absolute, out var url) && (url.Scheme == Uri.UriSchemeHttps || url.Scheme == Uri.UriSchemeHttp))
            {
                return url;
            }

            result.AddError($"--api must be an http(s) URL, got '{text}'.");
            return null;
        },
    };

    private static readonly Option<string?> Profile = new("--profile")
    {
        Description = "The AWS profile to sign with (default: the AWS SDK's credential chain: environment, default profile, SSO, instance role).",
        HelpName = "NAME",
    };

    private static readonly Option<string?> ConsoleRegion = new("--region")
    {
        Description = "The API's region (default: from an execute-api URL, else the profile's or AWS_REGION).",
        HelpName = "REGION",
    };

    private static readonly Option<double> SoakDays = Fraction(
        "--days", "How many days of account time the soak plays on the emulator's clock.", SoakOptions.DefaultDays, minimum: 0.01, maximum: 365, helpName: "N");

    private static readonly Option<int> SoakRateMinutes = Count(
        "--rate-minutes", "Invoke the sweeper every N minutes of account time (default: the template's schedule, rate(1 minute)).", 0, minimum: 1, maximum: 1440);

    private static readonly Option<double> SoakThrottles = Fraction(
        "--throttle-rate", "The share of IoT calls the emulator answers 429 ThrottlingException.", SoakOptions.DefaultThrottleRate, minimum: 0, maximum: 0.5, helpName: "RATE");

    private static readonly Option<double> SoakServerErrors = Fraction(
        "--server-error-rate", "The share of IoT calls the emulator answers 500.", SoakOptions.DefaultServerErrorRate, minimum: 0, maximum: 0.5, helpName: "RATE");

    private static readonly Option<double> SoakDynamoFaults = Fraction(
        "--dynamo-faults", "The share of the recorder's DynamoDB requests that fail (throttling, 500s).", SoakOptions.DefaultDynamoFaults, minimum: 0, maximum: 0.9, helpName: "RATE");

    private static readonly Option<int> SoakItemBound = Count(
        "--item-bound", "The size in bytes (DynamoDB's rules) no stored item may exceed.", SoakOptions.DefaultItemBoundBytes, minimum: 1, maximum: 400 * 1024);
}
