using System.Diagnostics;
using System.Net;
using System.Text.Json;
using JobsFunctions.Local.Runtime;

namespace JobsFunctions.Local.Api;

/// <summary>
/// The operator API on loopback HTTP, in API Gateway's place: each request is matched to a route, turned into an HTTP
/// API (payload 2.0) event carrying the local caller's IAM identity, run through the function, and the function's
/// response relayed. What API Gateway would answer by itself (no route, a failed function, a time-out) it answers
/// the same way.
/// </summary>
public sealed class LocalApiHost : IAsyncDisposable
{
    /// <summary>Lambda's limit on a synchronous invocation's payload.</summary>
    public const int MaxEventBytes = 6 * 1024 * 1024;

    private static readonly HashSet<string> HopHeaders = new(StringComparer.OrdinalIgnoreCase)
    {
        "content-length", "transfer-encoding", "connection", "keep-alive",
    };

    private readonly HttpListener _listener;
    private readonly CancellationTokenSource _stopping = new();
    private Task _serving = Task.CompletedTask;

    private LocalApiHost(HttpListener listener, int port)
    {
        _listener = listener;
        Port = port;
    }

    public int Port { get; }

    public Uri BaseAddress => new($"http://127.0.0.1:{Port}");

    /// <summary>Takes the port on loopback (127.0.0.1 and localhost) now, so a taken port is reported before anything else starts.</summary>
    public static LocalApiHost Listen(int port)
    {
        var listener = new HttpListener();
        listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        listener.Prefixes.Add($"http://localhost:{port}/");
        try
        {
            listener.Start();
        }
        catch (HttpListenerException e)
        {
            listener.Close();
            throw new LocalStackException($"Cannot serve the API on 127.0.0.1:{port} ({e.Message.TrimEnd('.')}): is the port in use? Pass --port with a free one.", e);
        }

        return new LocalApiHost(listener, port);
    }

    /// <summary>Starts answering requests with <paramref name="function"/>; one line per request goes to <paramref name="console"/>.</summary>
    public void Serve(RouteTable routes, IFunctionInvoker function, LocalCaller caller, TextWriter console)
    {
        ArgumentNullException.ThrowIfNull(routes);
        ArgumentNullException.ThrowIfNull(function);
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(console);
        _serving = Task.Run(() => AcceptAsync(routes, function, caller, console));
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
        await _stopping.CancelAsync();
        // Close alone: on Linux, Close after Stop releases the port a second time, binding it again to do so, and fails
        // with "Address already in use" when another listener took the port in between.
        _listener.Close();
        await _serving.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _stopping.Dispose();
    }

    private async Task AcceptAsync(RouteTable routes, IFunctionInvoker function, LocalCaller caller, TextWriter console)
    {
        while (!_stopping.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception) when (_stopping.IsCancellationRequested)
            {
                return;
            }

            _ = Task.Run(() => AnswerAsync(context, routes, function, caller, console));
        }
    }

    private async Task AnswerAsync(HttpListenerContext context, RouteTable routes, IFunctionInvoker function, LocalCaller caller, TextWriter console)
    {
        var started = Stopwatch.GetTimestamp();
        var request = context.Request;
        var response = context.Response;
        try
        {
            using var body = new MemoryStream();
            await request.InputStream.CopyToAsync(body, _stopping.Token);
            var headers = request.Headers.AllKeys
                .Where(name => name is not null)
                .Select(name => new KeyValuePair<string, string>(name!, request.Headers[name] ?? string.Empty))
                .ToList();
            var incoming = new IncomingRequest(
                request.HttpMethod,
                request.RawUrl ?? "/",
                headers,
                body.ToArray(),
                request.RemoteEndPoint.Address.ToString(),
                Port,
                $"HTTP/{request.ProtocolVersion}");

            var (reply, routeKey, invocation) = await HandleAsync(incoming, routes, function, caller, _stopping.Token);
            response.StatusCode = reply.StatusCode;
            foreach (var (name, value) in reply.Headers.Where(header => !HopHeaders.Contains(header.Key)))
            {
                response.Headers.Add(name, value);
            }

            response.ContentLength64 = reply.Body.Length;
            await response.OutputStream.WriteAsync(reply.Body, _stopping.Token);
            response.Close();
            Report(console, incoming, reply, routeKey, invocation, Stopwatch.GetElapsedTime(started));
        }
        catch (Exception) when (_stopping.IsCancellationRequested)
        {
            response.Abort();
        }
        catch (HttpListenerException)
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
}
