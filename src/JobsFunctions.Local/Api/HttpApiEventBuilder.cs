using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace JobsFunctions.Local.Api;

/// <summary>
/// Turns an HTTP request into the event API Gateway's HTTP API (payload format 2.0) hands a function: header names
/// lower-cased and repeated headers joined by commas, cookies moved to their own list, the query string both raw and
/// decoded (repeated keys joined by commas, <c>+</c> read as a space), path parameters decoded, and a body that is
/// not valid UTF-8 passed as base64.
/// </summary>
public static class HttpApiEventBuilder
{
    public const string Stage = "$default";
    public const string ApiId = "local";

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static HttpApiEvent Build(IncomingRequest request, RouteMatch route, LocalCaller caller, string requestId, DateTimeOffset receivedAt)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(route);
        ArgumentNullException.ThrowIfNull(caller);
        var (rawPath, rawQuery) = SplitTarget(request.RawTarget);
        var headers = Headers(request, out var cookies);
        var (body, isBase64) = Body(request.Body);
        var host = headers.TryGetValue("host", out var hostHeader) ? hostHeader.Split(':')[0] : "127.0.0.1";
        var context = new HttpApiRequestContext(
            caller.AccountId,
            ApiId,
            new HttpApiAuthorizer(new HttpApiIamIdentity(caller.AccessKey, caller.AccountId, caller.UserId, null, null, caller.UserArn, caller.UserId)),
            host,
            ApiId,
            new HttpApiHttp(request.Method.ToUpperInvariant(), Uri.UnescapeDataString(rawPath), request.Protocol, request.SourceIp,
                headers.TryGetValue("user-agent", out var agent) ? agent : string.Empty),
            requestId,
            route.RouteKey,
            Stage,
            receivedAt.ToUniversalTime().ToString("dd/MMM/yyyy:HH:mm:ss +0000", CultureInfo.InvariantCulture),
            receivedAt.ToUnixTimeMilliseconds());
        return new HttpApiEvent(
            "2.0",
            route.RouteKey,
            rawPath,
            rawQuery,
            cookies,
            headers,
            QueryParameters(rawQuery),
            context,
            body,
            route.PathParameters.Count == 0 ? null : route.PathParameters,
            isBase64,
            null);
    }

    /// <summary>An id in the shape API Gateway gives requests (14 characters, URL-safe).</summary>
    public static string NewRequestId() =>
        Convert.ToBase64String(RandomNumberGenerator.GetBytes(10)).Replace('+', '-').Replace('/', '_');

    /// <summary>The query string's parameters, decoded; null when there are none, as API Gateway sends it.</summary>
    public static Dictionary<string, string>? QueryParameters(string rawQuery)
    {
        ArgumentNullException.ThrowIfNull(rawQuery);
        var parameters = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in rawQuery.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            var name = Decode(equals < 0 ? pair : pair[..equals]);
            var value = equals < 0 ? string.Empty : Decode(pair[(equals + 1)..]);
            parameters[name] = parameters.TryGetValue(name, out var earlier) ? $"{earlier},{value}" : value;
        }

        return parameters.Count == 0 ? null : parameters;
    }

    private static (string RawPath, string RawQuery) SplitTarget(string rawTarget)
    {
        var question = rawTarget.IndexOf('?', StringComparison.Ordinal);
        var path = question < 0 ? rawTarget : rawTarget[..question];
        var query = question < 0 ? string.Empty : rawTarget[(question + 1)..];
        return (path.Length == 0 ? "/" : path, query);
    }

    private static Dictionary<string, string> Headers(IncomingRequest request, out List<string>? cookies)
    {
        var headers = new Dictionary<string, string>(StringComparer.Ordinal);
        cookies = null;
        foreach (var (name, value) in request.Headers)
        {
            var lower = name.ToLowerInvariant();
            if (lower == "cookie")
            {
                cookies ??= [];
                cookies.AddRange(value.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries));
                continue;
            }

            headers[lower] = headers.TryGetValue(lower, out var earlier) ? $"{earlier},{value}" : value;
        }

        // What API Gateway adds in front of every integration; here the hop is plain HTTP on loopback.
        headers.TryAdd("x-forwarded-for", request.SourceIp);
        headers.TryAdd("x-forwarded-port", request.Port.ToString(CultureInfo.InvariantCulture));
        headers.TryAdd("x-forwarded-proto", "http");
        return headers;
    }

    private static (string? Body, bool IsBase64) Body(byte[] body)
    {
        if (body.Length == 0)
        {
            return (null, false);
        }

        try
        {
            return (StrictUtf8.GetString(body), false);
        }
        catch (DecoderFallbackException)
        {
            return (Convert.ToBase64String(body), true);
        }
    }

    private static string Decode(string component) => Uri.UnescapeDataString(component.Replace('+', ' '));
}
