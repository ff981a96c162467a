using Microsoft.AspNetCore.Http;

namespace JobsFunctions.OperatorConsole;

/// <summary>
/// Keeps other sites out of a console that acts with the operator's credentials: the request must name a loopback
/// host on the console's port (a DNS-rebound name does not), and an API call must come from the console's own page.
/// </summary>
internal static class RequestGuard
{
    private static readonly string[] LoopbackHosts = ["127.0.0.1", "localhost", "[::1]"];

    /// <summary>Why the request's Host is not the console's, or null when it is.</summary>
    public static string? ForeignHost(HttpRequest request, int port)
    {
        ArgumentNullException.ThrowIfNull(request);
        var host = request.Host;
        return host.HasValue && host.Port == port && LoopbackHosts.Contains(host.Host, StringComparer.OrdinalIgnoreCase)
            ? null
            : $"The console answers only as 127.0.0.1:{port} or localhost:{port}, not as '{host}'.";
    }

    /// <summary>Why an API call is not from the console's own page, or null when it is.</summary>
    public static string? CrossSite(HttpRequest request, int port)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!string.Equals(request.Headers[ConsoleHost.PageHeader].ToString(), "1", StringComparison.Ordinal))
        {
            return $"API calls through the console come from its page (header {ConsoleHost.PageHeader}).";
        }

        var origin = request.Headers.Origin.ToString();
        return origin.Length == 0 || (Uri.TryCreate(origin, UriKind.Absolute, out var url) && url.Port == port && LoopbackHosts.Contains(url.Authority[..url.Authority.LastIndexOf(':')], StringComparer.OrdinalIgnoreCase))
            ? null
            : $"API calls through the console come from its own page, not from {origin}.";
    }
}
