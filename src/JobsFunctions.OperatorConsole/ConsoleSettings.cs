using System.Net;
using System.Text.RegularExpressions;
using Amazon.Runtime;
using Amazon.Runtime.CredentialManagement;
using JobsFunctions.Aws.Signing;

namespace JobsFunctions.OperatorConsole;

/// <summary>
/// What the console was started with: the operator API's base URL (a stack's <c>OperatorApiUrl</c>, or the local
/// stack's), the AWS profile and region to sign with, and the loopback port to serve on (0: any free port).
/// </summary>
public sealed record ConsoleSettings(Uri Api, string? Profile = null, string? Region = null, int Port = ConsoleSettings.DefaultPort)
{
    public const int DefaultPort = 8070;
}

/// <summary>
/// Where and how the console calls the operator API. An http URL on loopback is the local stack's unsigned API; any
/// other URL is a deployed API, signed with SigV4 for <c>execute-api</c> in <see cref="Region"/> with credentials
/// from the AWS SDK's chain (or the named profile).
/// </summary>
internal sealed partial record ApiTarget(Uri BaseAddress, string? Region, ICredentialsSource? Credentials, string? Profile)
{
    public const string SigningService = "execute-api";

    public bool Signed => Credentials is not null;

    public static ApiTarget Resolve(ConsoleSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var api = settings.Api;
        if (api.Scheme != Uri.UriSchemeHttp && api.Scheme != Uri.UriSchemeHttps)
        {
            throw new ArgumentException($"--api must be an http(s) URL, got '{api}'.", nameof(settings));
        }

        var baseAddress = new Uri(api.GetLeftPart(UriPartial.Path).TrimEnd('/') + "/");
        if (api.Scheme == Uri.UriSchemeHttp && IsLoopback(api))
        {
            return new ApiTarget(baseAddress, null, null, null);
        }

        var region = settings.Region ?? RegionOf(api) ?? ProfileRegion(settings.Profile) ?? Environment.GetEnvironmentVariable("AWS_REGION")
            ?? Environment.GetEnvironmentVariable("AWS_DEFAULT_REGION")
            ?? throw new ArgumentException($"The region of {api.Host} is not in its name: give --region.", nameof(settings));
        // The default chain is resolved on the first call (SdkCredentialsSource), so a console without credentials still
        // starts and says why its calls fail; a named profile that does not exist is refused at once.
        var credentials = settings.Profile is null ? new SdkCredentialsSource() : new SdkCredentialsSource(ProfileCredentials(settings.Profile));
        return new ApiTarget(baseAddress, region, credentials, settings.Profile);
    }

    /// <summary>The region of an API Gateway default endpoint, <c>{apiId}.execute-api.{region}.amazonaws.com</c>.</summary>
    public static string? RegionOf(Uri api)
    {
        ArgumentNullException.ThrowIfNull(api);
        var match = ExecuteApiHost().Match(api.Host);
        return match.Success ? match.Groups["region"].Value : null;
    }

    public static bool IsLoopback(Uri url)
    {
        ArgumentNullException.ThrowIfNull(url);
        return url.IsLoopback || (IPAddress.TryParse(url.Host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address));
    }

    private static AWSCredentials ProfileCredentials(string profile) =>
        new CredentialProfileStoreChain().TryGetAWSCredentials(profile, out var credentials)
            ? credentials
            : throw new ArgumentException($"No AWS profile named '{profile}' in the shared config or credentials files.", nameof(profile));

    private static string? ProfileRegion(string? profile) =>
        profile is not null && new CredentialProfileStoreChain().TryGetProfile(profile, out var found) ? found.Region?.SystemName : null;

    [GeneratedRegex(@"^[a-z0-9]+\.execute-api\.(?<region>[a-z]{2}(-[a-z]+)+-[0-9]+)\.amazonaws\.com(\.cn)?$", RegexOptions.CultureInvariant)]
    private static partial Regex ExecuteApiHost();
}
