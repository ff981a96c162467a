using System.Collections.Concurrent;
using System.Net;
using System.Text;
using JobsFunctions.TestSupport;

namespace JobsFunctions.IntegrationTests.Bootstrap;

/// <summary>
/// Plays the IoT control plane and jobs data plane on loopback for the bootstrap under test (moto cannot: UpdateJob and
/// every data-plane call fail there). Answers as AWS does for a healthy execution and records what it was asked.
/// </summary>
public sealed class ScriptedIotEndpoint : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Task _serving;

    public ScriptedIotEndpoint()
    {
        var port = MotoServer.FreeLoopbackPort();
        Url = $"http://127.0.0.1:{port}";
        _listener.Prefixes.Add($"{Url}/");
        _listener.Start();
        _serving = Task.Run(ServeAsync);
    }

    public string Url { get; }

    public ConcurrentQueue<(string Method, string Path, string Body, string? Authorization)> Requests { get; } = new();

    /// <summary>When set, every request is refused with HTTP 403 and this AWS error code, as AWS refuses credentials.</summary>
    public string? RefuseWith { get; init; }

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
            {
                return;
            }

            using var reader = new StreamReader(context.Request.InputStream);
            var body = await reader.ReadToEndAsync();
            var path = context.Request.Url!.AbsolutePath;
            Requests.Enqueue((context.Request.HttpMethod, path, body, context.Request.Headers["Authorization"]));
            var answer = (context.Request.HttpMethod, path.Split('/').Length) switch
            {
                ("POST", 5) => """{"executionState":{"status":"SUCCEEDED","statusDetails":{"step":"flash","firmware":"2.4.1"},"versionNumber":3}}""",
                ("GET", 5) => """{"execution":{"jobId":"fw-2026-11","status":"IN_PROGRESS","statusDetails":{"detailsMap":{"step":"flash"}},"thingArn":"arn:aws:iot:us-east-1:111122223333:thing/sensor-42","versionNumber":2,"executionNumber":1,"lastUpdatedAt":1795374000}}""",
                _ => "",
            };
            if (RefuseWith is { } code)
            {
                answer = """{"message":"The request signature we calculated does not match the signature you provided."}""";
                context.Response.Headers["x-amzn-ErrorType"] = code;
            }

            var bytes = Encoding.UTF8.GetBytes(answer);
            context.Response.StatusCode = RefuseWith is null ? 200 : 403;
            context.Response.ContentType = "application/json";
            context.Response.Headers["x-amzn-RequestId"] = Guid.NewGuid().ToString();
            await context.Response.OutputStream.WriteAsync(bytes);
            context.Response.Close();
        }
    }

    public async ValueTask DisposeAsync()
    {
        // Close alone: on Linux, Close after Stop releases the port a second time, binding it again to do so, and fails
        // with "Address already in use" when another listener took the port in between.
        _listener.Close();
        await _serving;
    }
}
