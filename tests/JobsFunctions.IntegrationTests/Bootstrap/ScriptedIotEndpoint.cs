using System.Collections.Concurrent;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace JobsFunctions.IntegrationTests.Bootstrap;

/// <summary>
/// Plays the IoT control plane and jobs data plane on loopback for the bootstrap under test (moto cannot: UpdateJob and
/// every data-plane call fail there). Answers as AWS does for a healthy execution and records what it was asked.
/// Kestrel on a port the system picks, like the local stack's servers.
/// </summary>
public sealed class ScriptedIotEndpoint : IAsyncDisposable
{
    private readonly WebApplication _app;

    public ScriptedIotEndpoint()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(options => options.Listen(IPAddress.Loopback, 0));
        _app = builder.Build();
        _app.Run(AnswerAsync);
        _app.StartAsync().GetAwaiter().GetResult();
        Url = _app.Urls.First().TrimEnd('/');
    }

    public string Url { get; }

    public ConcurrentQueue<(string Method, string Path, string Body, string? Authorization)> Requests { get; } = new();

    /// <summary>When set, every request is refused with HTTP 403 and this AWS error code, as AWS refuses credentials.</summary>
    public string? RefuseWith { get; init; }

    private async Task AnswerAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body);
        var body = await reader.ReadToEndAsync(context.RequestAborted);
        var method = context.Request.Method;
        var path = context.Request.Path.Value ?? "/";
        Requests.Enqueue((method, path, body, context.Request.Headers.Authorization.FirstOrDefault()));
        var answer = (method, path.Split('/').Length) switch
        {
            ("POST", 5) => """{"executionState":{"status":"SUCCEEDED","statusDetails":{"step":"flash","firmware":"2.4.1"},"versionNumber":3}}""",
            ("GET", 5) => """{"execution":{"jobId":"fw-2026-11","status":"IN_PROGRESS","statusDetails":{"detailsMap":{"step":"flash"}},"thingArn":"arn:aws:iot:us-east-1:111122223333:thing/sensor-42","versionNumber":2,"executionNumber":1,"lastUpdatedAt":1795374000}}""",
            ("GET", 3) when path.StartsWith("/jobs/", StringComparison.Ordinal) =>
                """{"job":{"jobId":"fw-2026-11","status":"IN_PROGRESS","lastUpdatedAt":1795374000,"jobProcessDetails":{"numberOfSucceededThings":1,"numberOfQueuedThings":0}}}""",
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
        await context.Response.Body.WriteAsync(bytes, context.RequestAborted);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
