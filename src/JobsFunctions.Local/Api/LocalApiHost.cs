using System.Diagnostics;
using System.Text.Json;
using JobsFunctions.Local.Runtime;
using JobsFunctions.Local.Stack;
using Microsoft.AspNetCore.Http;

namespace JobsFunctions.Local.Api;

/// <summary>
/// The operator API on loopback HTTP, in API Gateway's place: each request is matched to a route, turned into an HTTP
/// API (payload 2.0) event carrying the local caller's IAM identity, run through the function, and the function's
/// response relayed. What API Gateway would answer by itself (no route, a failed function, a time-out) it answers
/// the same way. It runs on Kestrel, as the emulator does.
/// </summary>
public sealed class LocalApiHost : IAsyncDisposable
{
    /// <summary>Lambda's limit on a synchronous invocation's payload.</summary>
    public const int MaxEventBytes = 6 * 1024 * 1024;

    private static readonly HashSet<string> HopHeaders = new(StringComparer.OrdinalIgnoreCase)
    {
        "content-length", "transfer-encoding", "connection", "keep-alive",
    };

    private readonly CancellationTokenSource _stopping = new();
    private readonly TaskCompletionSource<Serving> _serving = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private LoopbackServer? _server;
    private int _disposed;

    private LocalApiHost()
    {
    }

    public int Port => _server?.Port ?? 0;

    public Uri BaseAddress => new($"http://127.0.0.1:{Port}");

    /// <summary>
    /// Takes the port on loopback (127.0.0.1, and [::1] so <c>localhost</c> answers too) now, so a taken port is
    /// reported before anything else starts; requests that arrive before <see cref="Serve"/> wait for it.
    /// </summary>
    public static LocalApiHost Listen(int port)
    {
        var host = new LocalApiHost();
        try
        {
            host._server = LoopbackServer.Start(port, localhost: true, host.AnswerAsync);
        }
        catch (IOException e)
        {
            host._stopping.Dispose();
            throw new LocalStackException($"Cannot serve the API on 127.0.0.1:{port} ({e.Message.TrimEnd('.')}): is the port in use? Pass --port with a free one.", e);
        }

        return host;
    }

    /// <summary>Starts answering requests with <paramref name="function"/>; one line per request goes to <paramref name="console"/>.</summary>
    public void Serve(RouteTable routes, IFunctionInvoker function, LocalCaller caller, TextWriter console)
    {
        ArgumentNullException.ThrowIfNull(routes);
        ArgumentNullException.ThrowIfNull(function);
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(console);
        _serving.TrySetResult(new Serving(routes, function, caller, console));
    }

    /// <summary>API Gateway's part of one request: route, translate, invoke, relay.</summary>
    public static async Task<(HttpReply Reply, string? RouteKey, InvocationResult? Invocation)> HandleAsync(
        IncomingRequest request, RouteTable routes, IFunctionInvoker function, LocalCaller caller, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(routes);
        ArgumentNullException.ThrowIfNull(function);
        var rawPath = request.RawTarget.Split('?', 2)[0];
        if (routes.Match(request.Method, rawPath) is not { } route)
        {
            return (HttpReply.NotFound, null, null);
        }

        var requestEvent = HttpApiEventBuilder.Build(request, route, caller, HttpApiEventBuilder.NewRequestId(), DateTimeOffset.UtcNow);
        var payload = JsonSerializer.SerializeToUtf8Bytes(requestEvent, LocalJsonContext.Default.HttpApiEvent);
        if (payload.Length > MaxEventBytes)
        {
            return (new HttpReply(413, [new("content-type", "application/json")], """{"message":"Request Entity Too Large"}"""u8.ToArray()), route.RouteKey, null);
        }

        var result = await function.InvokeAsync(payload, cancellationToken);
        var reply = result.Outcome switch
        {
            InvocationOutcome.Response => HttpReply.FromFunctionResponse(result.Body),
            InvocationOutcome.TimedOut => HttpReply.ServiceUnavailable,
            _ => HttpReply.InternalServerError,
        };
        return (reply with { Headers = [.. reply.Headers, new("apigw-requestid", requestEvent.RequestContext.RequestId)] }, route.RouteKey, result);
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        // Invocations in flight are cut off first, so the stop finds no request still running.
        await _stopping.CancelAsync();
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        _stopping.Dispose();
    }

    private async Task AnswerAsync(HttpContext context)
    {
        var started = Stopwatch.GetTimestamp();
        var request = context.Request;
        var response = context.Response;
        try
        {
            var (routes, function, caller, console) = await _serving.Task.WaitAsync(_stopping.Token);
            using var body = new MemoryStream();
            await request.Body.CopyToAsync(body, _stopping.Token);
            var incoming = new IncomingRequest(
                request.Method,
                LoopbackServer.RawTarget(context),
                [.. LoopbackServer.Headers(request)],
                body.ToArray(),
                context.Connection.RemoteIpAddress?.ToString() ?? "127.0.0.1",
                Port,
                request.Protocol);

            var (reply, routeKey, invocation) = await HandleAsync(incoming, routes, function, caller, _stopping.Token);
            response.StatusCode = reply.StatusCode;
            foreach (var (name, value) in reply.Headers.Where(header => !HopHeaders.Contains(header.Key)))
            {
                response.Headers.Append(name, value);
            }

            // HTTP gives 204 and 304 answers, and answers to HEAD, no body; Kestrel refuses to write one.
            if (reply.StatusCode is not (204 or 304) && !HttpMethods.IsHead(request.Method))
            {
                response.ContentLength = reply.Body.Length;
                await response.Body.WriteAsync(reply.Body, _stopping.Token);
            }

            await response.CompleteAsync();
            Report(console, incoming, reply, routeKey, invocation, Stopwatch.GetElapsedTime(started));
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            context.Abort();
        }
        catch (IOException)
        {
            // The client went away before the answer; nothing to tell it.
        }
    }

    private static void Report(TextWriter console, IncomingRequest request, HttpReply reply, string? routeKey, InvocationResult? invocation, TimeSpan elapsed)
    {
        var route = routeKey is null ? "no route" : routeKey;
        var line = $"{request.Method} {request.RawTarget} -> {reply.StatusCode} ({route}, {elapsed.TotalMilliseconds:0} ms)";
        var detail = invocation?.Outcome switch
        {
            InvocationOutcome.Error => $"{Environment.NewLine}    the function failed: {invocation.ErrorSummary}",
            InvocationOutcome.Crashed or InvocationOutcome.TimedOut => $"{Environment.NewLine}    {invocation.Diagnostics}",
            _ => string.Empty,
        };
        lock (console)
        {
            console.WriteLine(line + detail);
        }
    }

    private sealed record Serving(RouteTable Routes, IFunctionInvoker Function, LocalCaller Caller, TextWriter Console);
}
