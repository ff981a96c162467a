using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text;
using System.Threading.Channels;
using JobsFunctions.Local.Stack;
using Microsoft.AspNetCore.Http;

namespace JobsFunctions.Local.Runtime;

/// <summary>
/// Lambda's Runtime API (<c>2018-06-01</c>,
/// https://docs.aws.amazon.com/lambda/latest/dg/runtimes-api.html) on Kestrel on a free loopback port, so functions
/// run locally exactly as Lambda runs them: callers queue events, a runtime (the published <c>bootstrap</c> with
/// <c>AWS_LAMBDA_RUNTIME_API=<see cref="Address"/></c>, or an in-process loop) takes them from <c>next</c>, and every
/// response, error and init error it posts is recorded with its headers.
/// A <c>next</c> call the runtime abandons (a stopped loop, a killed process) gives up its place in the queue once
/// the server sees the connection close; an event already handed to it is gone, as in Lambda. Give a restarted
/// process a new instance.
/// </summary>
public sealed class LocalRuntimeApi : IAsyncDisposable
{
    private const string Prefix = "/2018-06-01/runtime/";

    private readonly CancellationTokenSource _stopping = new();
    private readonly Channel<QueuedNext> _queue = Channel.CreateUnbounded<QueuedNext>();
    private readonly ConcurrentDictionary<string, LocalInvocation> _served = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, TaskCompletionSource<RuntimePost>> _results = new(StringComparer.Ordinal);
    private readonly TaskCompletionSource<RuntimePost> _initError = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _firstNext = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ConcurrentQueue<RuntimePost> _posts = new();
    private LoopbackServer? _server;
    private int _nextRequests;
    private int _waitingNextRequests;
    private int _disposed;

    private LocalRuntimeApi()
    {
    }

    /// <summary>The value for <c>AWS_LAMBDA_RUNTIME_API</c>.</summary>
    public string Address { get; private set; } = string.Empty;

    /// <summary>Every post received so far, in arrival order.</summary>
    public IReadOnlyList<RuntimePost> Posts => [.. _posts];

    /// <summary>How many <c>next</c> calls arrived, including ones still waiting for an event.</summary>
    public int NextRequests => Volatile.Read(ref _nextRequests);

    /// <summary>How many <c>next</c> calls are waiting for an event now (an abandoned one stops waiting once seen closed).</summary>
    internal int WaitingNextRequests => Volatile.Read(ref _waitingNextRequests);

    /// <summary>Completes when the runtime first asks for an event: its cold start is over and it is ready.</summary>
    public Task FirstNextRequest => _firstNext.Task;

    /// <summary>Completes when the runtime reports a failed cold start.</summary>
    public Task<RuntimePost> InitError => _initError.Task;

    /// <summary>Serves on a port the system picks; returns once the port is bound.</summary>
    public static LocalRuntimeApi Start()
    {
        var api = new LocalRuntimeApi();
        api._server = LoopbackServer.Start(0, localhost: false, api.HandleAsync);
        api.Address = LoopbackServer.Describe(api._server.Port);
        return api;
    }

    public string Enqueue(string payloadJson) => Enqueue(new LocalInvocation(payloadJson));

    /// <summary>Queues an event for <c>next</c>; returns its request id.</summary>
    public string Enqueue(LocalInvocation invocation)
    {
        ArgumentNullException.ThrowIfNull(invocation);
        _results.GetOrAdd(invocation.RequestId, NewResult);
        _queue.Writer.TryWrite(new QueuedNext(invocation, null));
        return invocation.RequestId;
    }

    /// <summary>Makes the next <c>next</c> call fail with <paramref name="status"/> (500: a broken environment).</summary>
    public void EnqueueNextFailure(HttpStatusCode status) => _queue.Writer.TryWrite(new QueuedNext(null, status));

    /// <summary>
    /// The response or error for <paramref name="requestId"/> that was accepted (answered 2xx); posts refused with
    /// 410 or 413 stay visible in <see cref="Posts"/> only.
    /// </summary>
    public async Task<RuntimePost> WaitForResultAsync(string requestId, TimeSpan timeout)
    {
        try
        {
            return await _results.GetOrAdd(requestId, NewResult).Task.WaitAsync(timeout);
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException(
                $"No accepted response or error for {requestId} within {timeout}. Posts so far: {Describe(Posts)}", e);
        }
    }

    public async Task<RuntimePost> WaitForInitErrorAsync(TimeSpan timeout)
    {
        try
        {
            return await _initError.Task.WaitAsync(timeout);
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"No init error within {timeout}. Posts so far: {Describe(Posts)}", e);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        // Pending `next` calls end first (cut off, nothing recorded), so the stop finds no request in flight.
        await _stopping.CancelAsync();
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        _stopping.Dispose();
    }

    private static TaskCompletionSource<RuntimePost> NewResult(string requestId) =>
        new(TaskCreationOptions.RunContinuationsAsynchronously);

    private async Task HandleAsync(HttpContext context)
    {
        try
        {
            var request = context.Request;
            var path = LoopbackServer.RawTarget(context).Split('?')[0];
            if (HttpMethods.IsGet(request.Method) && path == Prefix + "invocation/next")
            {
                await ServeNextAsync(context);
            }
            else if (HttpMethods.IsPost(request.Method) && path == Prefix + "init/error")
            {
                var post = await RecordAsync(request, RuntimePostKind.InitError, null, HttpStatusCode.Accepted);
                await AnswerAsync(context.Response, post.AnsweredWith, """{"status":"OK"}""");
                _initError.TrySetResult(post);
            }
            else if (HttpMethods.IsPost(request.Method) && TryParseInvocationPost(path, out var requestId, out var kind))
            {
                await ServeInvocationPostAsync(context, requestId, kind);
            }
            else
            {
                await AnswerAsync(context.Response, HttpStatusCode.NotFound, """{"errorMessage":"Unknown route","errorType":"NotFound"}""");
            }
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested || context.RequestAborted.IsCancellationRequested)
        {
            // The runtime's pending `next` is cut off when the server stops, or the runtime went away: nothing to record.
            context.Abort();
        }
        catch (IOException)
        {
            // The runtime went away mid-answer; the server keeps serving others.
        }
    }

    private async Task ServeNextAsync(HttpContext context)
    {
        Interlocked.Increment(ref _nextRequests);
        using var waiting = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token, context.RequestAborted);
        QueuedNext next;
        Interlocked.Increment(ref _waitingNextRequests);
        try
        {
            _firstNext.TrySetResult();
            next = await _queue.Reader.ReadAsync(waiting.Token);
        }
        finally
        {
            Interlocked.Decrement(ref _waitingNextRequests);
        }

        var response = context.Response;
        if (next.Failure is { } failure)
        {
            await AnswerAsync(response, failure, """{"errorMessage":"Injected failure","errorType":"Runtime.Injected"}""");
            return;
        }

        var invocation = next.Invocation!;
        _served[invocation.RequestId] = invocation;
        var deadline = invocation.Deadline ?? DateTimeOffset.UtcNow.Add(invocation.Timeout);
        response.Headers["Lambda-Runtime-Aws-Request-Id"] = invocation.RequestId;
        response.Headers["Lambda-Runtime-Deadline-Ms"] = deadline.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
        response.Headers["Lambda-Runtime-Invoked-Function-Arn"] = invocation.FunctionArn;
        if (invocation.TraceId is not null)
        {
            response.Headers["Lambda-Runtime-Trace-Id"] = invocation.TraceId;
        }

        if (invocation.InvocationId is not null)
        {
            response.Headers["Lambda-Runtime-Invocation-Id"] = invocation.InvocationId;
        }

        response.ContentType = "application/json";
        response.StatusCode = (int)HttpStatusCode.OK;
        response.ContentLength = invocation.Payload.Length;
        await response.Body.WriteAsync(invocation.Payload);
    }

    private async Task ServeInvocationPostAsync(HttpContext context, string requestId, RuntimePostKind kind)
    {
        var status = _served.TryGetValue(requestId, out var invocation)
            ? kind == RuntimePostKind.Response ? invocation.ResponseStatus : invocation.ErrorStatus
            : HttpStatusCode.BadRequest;
        var post = await RecordAsync(context.Request, kind, requestId, status);
        await AnswerAsync(context.Response, status, (int)status < 300
            ? """{"status":"OK"}"""
            : $$"""{"errorMessage":"Refused with {{(int)status}}","errorType":"Local.Refused"}""");
        if ((int)status is >= 200 and < 300)
        {
            _results.GetOrAdd(requestId, NewResult).TrySetResult(post);
        }
    }

    private async Task<RuntimePost> RecordAsync(HttpRequest request, RuntimePostKind kind, string? requestId, HttpStatusCode answer)
    {
        using var body = new MemoryStream();
        await request.Body.CopyToAsync(body, _stopping.Token);
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, values) in request.Headers)
        {
            headers[name] = values.ToString();
        }

        var post = new RuntimePost(kind, requestId, answer, body.ToArray(), request.ContentType, headers);
        _posts.Enqueue(post);
        return post;
    }

    private static async Task AnswerAsync(HttpResponse response, HttpStatusCode status, string json)
    {
        var bytes = Encoding.UTF8.GetBytes(json);
        response.StatusCode = (int)status;
        response.ContentType = "application/json";
        response.ContentLength = bytes.Length;
        await response.Body.WriteAsync(bytes);
    }

    private static bool TryParseInvocationPost(string path, out string requestId, out RuntimePostKind kind)
    {
        requestId = string.Empty;
        kind = RuntimePostKind.Response;
        if (!path.StartsWith(Prefix + "invocation/", StringComparison.Ordinal))
        {
            return false;
        }

        var parts = path[(Prefix.Length + "invocation/".Length)..].Split('/');
        if (parts.Length != 2 || parts[0].Length == 0)
        {
            return false;
        }

        requestId = Uri.UnescapeDataString(parts[0]);
        switch (parts[1])
        {
            case "response":
                kind = RuntimePostKind.Response;
                return true;
            case "error":
                kind = RuntimePostKind.Error;
                return true;
            default:
                return false;
        }
    }

    private static string Describe(IReadOnlyList<RuntimePost> posts) =>
        posts.Count == 0 ? "none" : string.Join("; ", posts.Select(p => $"{p.Kind} {p.RequestId} -> {(int)p.AnsweredWith}: {p.BodyText}"));

    private sealed record QueuedNext(LocalInvocation? Invocation, HttpStatusCode? Failure);
}

/// <summary>One event for the local Runtime API, with how it should answer the runtime's posts about it.</summary>
public sealed class LocalInvocation
{
    public LocalInvocation(string payloadJson)
        : this(Encoding.UTF8.GetBytes(payloadJson))
    {
    }

    public LocalInvocation(byte[] payload) => Payload = payload;

    public byte[] Payload { get; }

    public string RequestId { get; init; } = Guid.NewGuid().ToString();

    /// <summary>When null, <see cref="Timeout"/> after the event is handed out.</summary>
    public DateTimeOffset? Deadline { get; init; }

    /// <summary>The function's configured timeout; the deadline counts from when <c>next</c> hands the event out.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(30);

    public string FunctionArn { get; init; } = "arn:aws:lambda:us-east-1:000000000000:function:jobs-functions-local";

    public string? TraceId { get; init; } = "Root=1-6740d2a1-0123456789abcdef01234567;Parent=53995c3f42cd8ad8;Sampled=0";

    public string? InvocationId { get; init; }

    /// <summary>How the server answers the response post: 410 and 413 imitate Lambda's refusals.</summary>
    public HttpStatusCode ResponseStatus { get; init; } = HttpStatusCode.Accepted;

    public HttpStatusCode ErrorStatus { get; init; } = HttpStatusCode.Accepted;
}

public enum RuntimePostKind
{
    Response,
    Error,
    InitError,
}

/// <summary>A post the runtime made, as received. Header names are case-insensitive.</summary>
public sealed record RuntimePost(
    RuntimePostKind Kind,
    string? RequestId,
    HttpStatusCode AnsweredWith,
    byte[] Body,
    string? ContentType,
    IReadOnlyDictionary<string, string> Headers)
{
    public string BodyText => Encoding.UTF8.GetString(Body);

    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;
}
