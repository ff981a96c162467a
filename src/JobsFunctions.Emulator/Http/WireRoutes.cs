using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace JobsFunctions.Emulator.Http;

/// <summary>Which API a request is for, as the SigV4 credential scope names it.</summary>
internal enum Plane
{
    /// <summary><c>iot</c>: the control plane; also unsigned requests.</summary>
    Control,

    /// <summary><c>iot-jobs-data</c>: the device-side jobs data plane.</summary>
    JobsData,

    /// <summary><c>/_emulator/*</c>: the emulator's own routes (clock, events, reset).</summary>
    Emulator,
}

/// <summary>Which plane a request is for, and the region it is signed for (null when unsigned).</summary>
internal readonly record struct SigningScope(Plane Plane, string? Region);

/// <summary>One matched request: its path labels, query, and body (read once, parsed on first use).</summary>
internal sealed class WireCall
{
    private readonly byte[] _body;
    private JsonObject? _json;

    public WireCall(IReadOnlyDictionary<string, string> labels, IQueryCollection query, byte[] body)
    {
        Labels = labels;
        Query = query;
        _body = body;
    }

    public IReadOnlyDictionary<string, string> Labels { get; }

    public IQueryCollection Query { get; }

    public JsonObject Body => _json ??= WireInput.Body(_body);

    public string Label(string name) => Labels[name];

    public string? QueryValue(string name) => Query.TryGetValue(name, out var values) ? values.ToString() : null;
}

/// <summary>An operation's route: plane, method and path template (<c>/things/{thingName}/jobs/{jobId}</c>).</summary>
internal sealed record WireRoute(Plane Plane, string Method, string Template, string Operation, Func<WireCall, JsonObject> Handle)
{
    private readonly string[] _segments = Template.Split('/', StringSplitOptions.RemoveEmptyEntries);

    public Dictionary<string, string>? Match(string method, IReadOnlyList<string> segments)
    {
        if (!string.Equals(method, Method, StringComparison.OrdinalIgnoreCase) || segments.Count != _segments.Length)
        {
            return null;
        }

        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < _segments.Length; i++)
        {
            var template = _segments[i];
            if (template.StartsWith('{'))
            {
                if (segments[i].Length == 0)
                {
                    return null;
                }

                labels[template[1..^1]] = segments[i];
            }
            else if (!string.Equals(template, segments[i], StringComparison.Ordinal))
            {
                return null;
            }
        }

        return labels;
    }
}

/// <summary>The route table, and how a request finds its plane and route.</summary>
internal static class WireRouting
{
    /// <summary>
    /// Reads the service and region from the SigV4 credential scope (<c>Credential=AKID/DATE/REGION/SERVICE/aws4_request</c>,
    /// in the Authorization header or a presigned query), as every AWS SDK signs
    /// (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html). Unsigned requests
    /// are control plane, in no region (the host's default). <c>/_emulator/*</c> is the emulator's own plane, in the
    /// region it is signed for, if any.
    /// </summary>
    public static SigningScope ScopeOf(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var authorization = request.Headers.Authorization.ToString();
        var scope = authorization.IndexOf("Credential=", StringComparison.Ordinal) is var at and >= 0
            ? authorization[(at + "Credential=".Length)..]
            : request.Query["X-Amz-Credential"].ToString();
        var end = scope.IndexOfAny([',', ' ']);
        var parts = (end >= 0 ? scope[..end] : scope).Split('/');
        var signed = parts.Length >= 5;
        var plane = request.Path.StartsWithSegments("/_emulator", StringComparison.Ordinal) ? Plane.Emulator
            : signed && parts[3] == "iot-jobs-data" ? Plane.JobsData
            : Plane.Control;
        return new SigningScope(plane, signed ? parts[2] : null);
    }

    /// <summary>The path's segments, each percent-decoded once (so <c>%24next</c> is <c>$next</c>).</summary>
    public static List<string> Segments(string rawTarget)
    {
        ArgumentNullException.ThrowIfNull(rawTarget);
        var query = rawTarget.IndexOf('?', StringComparison.Ordinal);
        var path = query >= 0 ? rawTarget[..query] : rawTarget;
        return path.Split('/', StringSplitOptions.RemoveEmptyEntries).Select(Uri.UnescapeDataString).ToList();
    }
}
