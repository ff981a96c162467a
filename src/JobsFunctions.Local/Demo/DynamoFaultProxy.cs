using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace JobsFunctions.Local.Demo;

/// <summary>What the fault proxy did to the requests it was given.</summary>
/// <param name="Throttled">Refused with ThrottlingException before reaching DynamoDB (nothing written).</param>
/// <param name="AnswersLost">Passed to DynamoDB, then answered 500 InternalServerError: the write happened, the caller cannot know.</param>
public sealed record DynamoFaultCounts(long Requests, long Throttled, long AnswersLost);

/// <summary>
/// A loopback proxy in front of a DynamoDB-compatible server that fails a share of requests the ways DynamoDB
/// documents (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Programming.Errors.html): half as
/// 400 ThrottlingException before the request reaches the table, half as 500 InternalServerError after it did, so
/// a write may have happened though its caller saw a failure.
/// </summary>
public sealed class DynamoFaultProxy : IAsyncDisposable
{
    private static readonly HashSet<string> NotForwarded = new(StringComparer.OrdinalIgnoreCase)
    {
        "Host", "Content-Length", "Content-Type", "Connection", "Transfer-Encoding", "Expect",
    };

    private readonly WebApplication _app;
    private readonly HttpClient _forward;
    private readonly Uri _target;
    private readonly double _rate;
    private readonly Random _random;
    private long _requests;
    private long _throttled;
    private long _lost;

    private DynamoFaultProxy(WebApplication app, Uri target, double rate, int seed)
    {
        _app = app;
        _target = target;
        _rate = rate;
        _random = new Random(seed);
        _forward = new HttpClient(new SocketsHttpHandler { UseProxy = false, MaxConnectionsPerServer = 64 });
        _app.Run(HandleAsync);
    }

    public Uri Endpoint { get; private set; } = null!;

    public DynamoFaultCounts Counts => new(Interlocked.Read(ref _requests), Interlocked.Read(ref _throttled), Interlocked.Read(ref _lost));

    /// <param name="rate">The share of requests to fail, from 0 to 1.</param>
    public static async Task<DynamoFaultProxy> StartAsync(Uri target, double rate, int seed, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(options => options.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var proxy = new DynamoFaultProxy(app, target, rate, seed);
        await app.StartAsync(cancellationToken);
        proxy.Endpoint = new Uri(app.Urls.First());
        return proxy;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _forward.Dispose();
    }

    private async Task HandleAsync(HttpContext context)
    {
        Interlocked.Increment(ref _requests);
        double draw;
        lock (_random)
        {
            draw = _random.NextDouble();
        }

        if (draw < _rate / 2)
        {
            Interlocked.Increment(ref _throttled);
            await WriteErrorAsync(context, 400, "com.amazonaws.dynamodb.v20120810#ThrottlingException", "Rate of requests exceeds the allowed throughput.");
            return;
        }

        using var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body, context.RequestAborted);
        using var request = new HttpRequestMessage(new HttpMethod(context.Request.Method), new Uri(_target, context.Request.Path + context.Request.QueryString))
        {
            Content = new ByteArrayContent(body.ToArray()),
        };
        foreach (var (name, values) in context.Request.Headers)
        {
            if (!NotForwarded.Contains(name))
            {
                request.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)values);
            }
        }

        if (context.Request.ContentType is { } contentType)
        {
            request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        }

        using var answered = await _forward.SendAsync(request, context.RequestAborted);
        var answer = await answered.Content.ReadAsByteArrayAsync(context.RequestAborted);
        if (draw < _rate)
        {
            Interlocked.Increment(ref _lost);
            await WriteErrorAsync(context, 500, "com.amazon.coral.service#InternalServerError", "Internal server error.");
            return;
        }

        context.Response.StatusCode = (int)answered.StatusCode;
        foreach (var header in answered.Headers.Concat(answered.Content.Headers))
        {
            if (!NotForwarded.Contains(header.Key))
            {
                context.Response.Headers[header.Key] = header.Value.ToArray();
            }
        }

        context.Response.ContentType = answered.Content.Headers.ContentType?.ToString();
        await context.Response.Body.WriteAsync(answer, context.RequestAborted);
    }

    private static async Task WriteErrorAsync(HttpContext context, int status, string type, string message)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/x-amz-json-1.0";
        await context.Response.WriteAsync($"{{\"__type\":\"{type}\",\"message\":\"{message}\"}}", context.RequestAborted);
    }
}
