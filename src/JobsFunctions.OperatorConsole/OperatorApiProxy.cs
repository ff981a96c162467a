using System.Text;
using System.Text.RegularExpressions;
using JobsFunctions.Aws.Signing;

namespace JobsFunctions.OperatorConsole;

/// <summary>A call the page asks the console to make: the operator API route, its query, the headers it may carry, its body.</summary>
internal sealed record ProxyCall(string Method, string Path, IReadOnlyList<KeyValuePair<string, string>> Query, IReadOnlyDictionary<string, string> Headers, byte[] Body);

/// <summary>The operator API's answer as the page gets it: status, body, and the headers the page reads (ETag, Retry-After).</summary>
internal sealed record ProxyAnswer(int Status, string ContentType, byte[] Body, string? ETag, string? RetryAfter);

/// <summary>
/// Forwards the page's calls to the operator API: only the API's own routes, only the headers its routes read
/// (<c>content-type</c>, <c>if-match</c>, <c>x-jobs-reason</c>, <c>idempotency-key</c>), never a header the browser
/// sent to authenticate (its <c>Authorization</c>, cookies, <c>x-amz-*</c>). Against a deployed API each call is
/// signed here with SigV4 (service <c>execute-api</c>) with the operator's credentials, which stay in this process.
/// </summary>
internal sealed class OperatorApiProxy(HttpClient http, ApiTarget target, TimeProvider clock)
{
    /// <summary>The headers forwarded, by the name the operator API reads them.</summary>
    public static readonly IReadOnlyList<string> ForwardedHeaders = ["content-type", "if-match", "x-jobs-reason", "idempotency-key"];

    /// <summary>The largest body forwarded: a policy document or an UpdateJob body is a few kilobytes.</summary>
    public const int MaxBodyBytes = 64 * 1024;

    private static readonly (string Method, Regex Path)[] Routes =
    [
        ("GET", Route("/jobs")),
        ("GET", Route("/jobs/{id}")),
        ("PATCH", Route("/jobs/{id}")),
        ("GET", Route("/jobs/{id}/iot")),
        ("GET", Route("/jobs/{id}/executions")),
        ("GET", Route("/jobs/{id}/audit")),
        ("GET", Route("/jobs/{id}/policy")),
        ("PUT", Route("/jobs/{id}/policy")),
        ("DELETE", Route("/jobs/{id}/policy")),
        ("POST", Route("/jobs/{id}/policy/preview")),
        ("GET", Route("/things/{id}/jobs/{id}/ledger")),
        ("PUT", Route("/things/{id}/jobs/{id}/cancel")),
        ("POST", Route("/things/{id}/jobs/{id}")),
        ("GET", Route("/things/{id}/executions")),
        ("GET", Route("/policies")),
    ];

    /// <summary>Whether the operator API has this route (paths of job ids and thing names only: no dots, no slashes of their own).</summary>
    public static bool IsOperatorRoute(string method, string path) =>
        Routes.Any(route => string.Equals(route.Method, method, StringComparison.Ordinal) && route.Path.IsMatch(path));

    /// <summary>The request that goes to the operator API, signed when the target is a deployed API.</summary>
    public async Task<HttpRequestMessage> BuildAsync(ProxyCall call, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(call);
        if (!IsOperatorRoute(call.Method, call.Path))
        {
            throw new ArgumentException($"{call.Method} {call.Path} is not an operator API route.", nameof(call));
        }

        var query = string.Join('&', call.Query.Select(pair => $"{Uri.EscapeDataString(pair.Key)}={Uri.EscapeDataString(pair.Value)}"));
        var url = new Uri(target.BaseAddress, call.Path.TrimStart('/') + (query.Length > 0 ? "?" + query : ""));
        var message = new HttpRequestMessage(new HttpMethod(call.Method), url);
        if (call.Body.Length > 0 || call.Method is "PUT" or "POST" or "PATCH")
        {
            message.Content = new ByteArrayContent(call.Body);
            message.Content.Headers.TryAddWithoutValidation("Content-Type", call.Headers.GetValueOrDefault("content-type") ?? "application/json");
        }

        foreach (var name in ForwardedHeaders.Where(name => name != "content-type"))
        {
            if (call.Headers.TryGetValue(name, out var value))
            {
                message.Headers.TryAddWithoutValidation(name, value);
            }
        }

        if (target.Credentials is { } credentials)
        {
            SigV4Signer.Sign(message, call.Body, await credentials.GetCredentialsAsync(cancellationToken), target.Region!, ApiTarget.SigningService, clock.GetUtcNow());
        }

        return message;
    }

    public async Task<ProxyAnswer> SendAsync(ProxyCall call, CancellationToken cancellationToken)
    {
        using var request = await BuildAsync(call, cancellationToken);
        using var response = await http.SendAsync(request, cancellationToken);
        var body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        return new ProxyAnswer(
            (int)response.StatusCode,
            response.Content.Headers.ContentType?.ToString() ?? "application/json",
            body,
            response.Headers.ETag?.ToString(),
            response.Headers.RetryAfter?.ToString());
    }

    private static Regex Route(string template) => new(
        "^" + template.Replace("{id}", "[A-Za-z0-9_:-]{1,128}", StringComparison.Ordinal) + "$",
        RegexOptions.CultureInvariant | RegexOptions.NonBacktracking);

    /// <summary>An answer made here (the route is not the API's, the body is too large), in the operator API's error shape.</summary>
    public static ProxyAnswer Refusal(int status, string code, string message) => new(
        status, "application/json",
        Encoding.UTF8.GetBytes($$"""{"code":{{System.Text.Json.JsonSerializer.Serialize(code, ConsoleJsonContext.Default.String)}},"message":{{System.Text.Json.JsonSerializer.Serialize(message, ConsoleJsonContext.Default.String)}},"field":null}"""),
        null, null);
}
