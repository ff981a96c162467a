using System.Net;
using System.Text;

namespace JobsFunctions.Aws.Tests.Support;

/// <summary>A request as it left the client: what a server would have received.</summary>
public sealed record RecordedRequest(
    string Method,
    Uri Uri,
    IReadOnlyDictionary<string, string> Headers,
    byte[]? Body)
{
    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;

    public string BodyText => Body is null ? "" : Encoding.UTF8.GetString(Body);
}

/// <summary>An HTTP server in a box: answers each request with the next scripted response and records it.</summary>
public sealed class ScriptedHandler : HttpMessageHandler
{
    private readonly Queue<Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>>> _script = new();
    private readonly object _gate = new();

    public List<RecordedRequest> Requests { get; } = [];

    /// <summary>Used once the script runs out; by default every extra request fails the test.</summary>
    public Func<HttpRequestMessage, HttpResponseMessage>? Otherwise { get; set; }

    public ScriptedHandler Then(Func<HttpRequestMessage, HttpResponseMessage> respond)
    {
        _script.Enqueue((request, _) => Task.FromResult(respond(request)));
        return this;
    }

    public ScriptedHandler ThenAsync(Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>> respond)
    {
        _script.Enqueue(respond);
        return this;
    }

    /// <summary>A server that accepts the request and never answers.</summary>
    public ScriptedHandler ThenHang() => ThenAsync(async (_, token) =>
    {
        await Task.Delay(Timeout.Infinite, token);
        throw new InvalidOperationException("unreachable");
    });

    public ScriptedHandler ThenFailToConnect() =>
        Then(_ => throw new HttpRequestException(HttpRequestError.ConnectionError, "Connection refused (iot.eu-west-1.amazonaws.com:443)"));

    public ScriptedHandler Then(HttpStatusCode status, string body = "{}", params (string Name, string Value)[] headers) =>
        Then(_ => Response(status, body, headers));

    public static HttpResponseMessage Response(HttpStatusCode status, string body = "{}", params (string Name, string Value)[] headers)
    {
        var response = new HttpResponseMessage(status)
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        foreach (var (name, value) in headers)
        {
            response.Headers.TryAddWithoutValidation(name, value);
        }

        return response;
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var header in request.Headers.NonValidated)
        {
            headers[header.Key] = string.Join(",", header.Value);
        }

        byte[]? body = null;
        if (request.Content is not null)
        {
            body = await request.Content.ReadAsByteArrayAsync(cancellationToken);
            foreach (var header in request.Content.Headers.NonValidated)
            {
                headers[header.Key] = string.Join(",", header.Value);
            }
        }

        Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>> respond;
        lock (_gate)
        {
            Requests.Add(new RecordedRequest(request.Method.Method, request.RequestUri!, headers, body));
            if (_script.Count > 0)
            {
                respond = _script.Dequeue();
            }
            else
            {
                var otherwise = Otherwise ?? throw new InvalidOperationException($"Unscripted request: {request.Method} {request.RequestUri}");
                respond = (r, _) => Task.FromResult(otherwise(r));
            }
        }

        return await respond(request, cancellationToken);
    }
}
