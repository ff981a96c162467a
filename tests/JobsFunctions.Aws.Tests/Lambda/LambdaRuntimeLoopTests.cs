using System.Net;
using System.Text;
using System.Text.Json;
using JobsFunctions.Aws.Lambda;
using JobsFunctions.Local.Runtime;
using JobsFunctions.TestSupport;
using Microsoft.Extensions.Time.Testing;

namespace JobsFunctions.Aws.Tests.Lambda;

// The loop sets the process-wide _X_AMZN_TRACE_ID, so these tests share one class and never run in parallel.
public sealed class LambdaRuntimeLoopTests : IAsyncDisposable
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    private readonly LocalRuntimeApi _api = LocalRuntimeApi.Start();
    private readonly LambdaRuntimeClient _client;
    private readonly StringWriter _log = new();
    private readonly CancellationTokenSource _stop = new();
    private Task? _running;

    public LambdaRuntimeLoopTests() => _client = new LambdaRuntimeClient(_api.Address);

    [Fact]
    public async Task A_successful_invocation_posts_the_handler_result_with_the_event_details_it_was_given()
    {
        LambdaInvocationInfo? seen = null;
        string? payloadSeen = null;
        Run((payload, info, _) =>
        {
            seen = info;
            payloadSeen = Encoding.UTF8.GetString(payload.Span);
            return Task.FromResult("""{"recorded":true}"""u8.ToArray());
        });
        var deadline = DateTimeOffset.UtcNow.AddSeconds(20);
        var id = _api.Enqueue(new LocalInvocation("""{"jobId":"job-1"}""")
        {
            Deadline = deadline,
            FunctionArn = "arn:aws:lambda:eu-west-1:111122223333:function:recorder",
        });

        var result = await _api.WaitForResultAsync(id, Wait);

        Assert.Equal(RuntimePostKind.Response, result.Kind);
        Assert.Equal("""{"recorded":true}""", result.BodyText);
        Assert.Equal("""{"jobId":"job-1"}""", payloadSeen);
        Assert.Equal(id, seen!.RequestId);
        Assert.Equal("arn:aws:lambda:eu-west-1:111122223333:function:recorder", seen.FunctionArn);
        Assert.Equal(deadline.ToUnixTimeMilliseconds(), seen.Deadline.ToUnixTimeMilliseconds());
        Assert.Equal(string.Empty, _log.ToString());
    }

    [Fact]
    public async Task A_handler_exception_fails_only_that_invocation_with_its_type_and_is_logged_as_one_json_line()
    {
        Run((payload, _, _) => Encoding.UTF8.GetString(payload.Span) == "\"boom\""
            ? throw new InvalidOperationException("Table jobs-executions does not exist.")
            : Task.FromResult("\"fine\""u8.ToArray()));
        var failing = _api.Enqueue("\"boom\"");
        var next = _api.Enqueue("\"ok\"");

        var error = await _api.WaitForResultAsync(failing, Wait);
        var after = await _api.WaitForResultAsync(next, Wait);

        Assert.Equal(RuntimePostKind.Error, error.Kind);
        Assert.Equal("application/vnd.aws.lambda.error+json", error.ContentType);
        Assert.Equal("Function.InvalidOperationException", error.Header("Lambda-Runtime-Function-Error-Type"));
        using var body = JsonDocument.Parse(error.Body);
        Assert.Equal("InvalidOperationException", body.RootElement.GetProperty("errorType").GetString());
        Assert.Equal("Table jobs-executions does not exist.", body.RootElement.GetProperty("errorMessage").GetString());
        Assert.Equal(0, body.RootElement.GetProperty("stackTrace").GetArrayLength());
        Assert.Equal(RuntimePostKind.Response, after.Kind);

        var line = Assert.Single(LogLines());
        Assert.Equal("ERROR", line.GetProperty("level").GetString());
        Assert.Equal(failing, line.GetProperty("requestId").GetString());
        Assert.Equal("InvalidOperationException", line.GetProperty("errorType").GetString());
        Assert.Equal("Table jobs-executions does not exist.", line.GetProperty("message").GetString());
    }

    [Fact]
    public async Task The_handler_token_fires_the_margin_before_the_deadline_and_the_cancellation_is_reported()
    {
        var time = new FakeTimeProvider();
        var started = new TaskCompletionSource<CancellationToken>(TaskCreationOptions.RunContinuationsAsynchronously);
        Run(async (_, _, token) =>
        {
            started.SetResult(token);
            await Task.Delay(Timeout.InfiniteTimeSpan, token);
            return [];
        }, time, TimeSpan.FromMilliseconds(500));
        var id = _api.Enqueue(new LocalInvocation("{}") { Deadline = time.GetUtcNow().AddSeconds(2) });

        var token = await started.Task.WaitAsync(Wait, TestContext.Current.CancellationToken);
        time.Advance(TimeSpan.FromMilliseconds(1499));
        Assert.False(token.IsCancellationRequested);
        time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.True(token.IsCancellationRequested);

        var error = await _api.WaitForResultAsync(id, Wait);
        Assert.Equal(RuntimePostKind.Error, error.Kind);
        using var body = JsonDocument.Parse(error.Body);
        Assert.Equal("TaskCanceledException", body.RootElement.GetProperty("errorType").GetString());
        Assert.Equal(
            "The handler was cancelled 500 ms before the invocation deadline.",
            body.RootElement.GetProperty("errorMessage").GetString());
    }

    [Fact]
    public async Task An_event_whose_deadline_margin_has_already_passed_starts_with_a_cancelled_token()
    {
        var time = new FakeTimeProvider();
        bool? cancelledAtStart = null;
        Run((_, _, token) =>
        {
            cancelledAtStart = token.IsCancellationRequested;
            return Task.FromResult("{}"u8.ToArray());
        }, time);
        var id = _api.Enqueue(new LocalInvocation("{}") { Deadline = time.GetUtcNow().AddMilliseconds(400) });

        await _api.WaitForResultAsync(id, Wait);

        Assert.True(cancelledAtStart);
    }

    [Fact]
    public async Task The_invocation_id_is_echoed_on_both_the_response_and_the_error()
    {
        Run((payload, _, _) => payload.Span.SequenceEqual("1"u8)
            ? Task.FromResult("{}"u8.ToArray())
            : throw new FormatException("Not a job event."));
        var ok = _api.Enqueue(new LocalInvocation("1") { InvocationId = "inv-ok" });
        var failed = _api.Enqueue(new LocalInvocation("2") { InvocationId = "inv-failed" });
        var plain = _api.Enqueue(new LocalInvocation("1"));

        Assert.Equal("inv-ok", (await _api.WaitForResultAsync(ok, Wait)).Header("Lambda-Runtime-Invocation-Id"));
        Assert.Equal("inv-failed", (await _api.WaitForResultAsync(failed, Wait)).Header("Lambda-Runtime-Invocation-Id"));
        Assert.Null((await _api.WaitForResultAsync(plain, Wait)).Header("Lambda-Runtime-Invocation-Id"));
    }

    [Fact]
    public async Task A_410_on_the_response_is_tolerated_and_the_next_event_is_served()
    {
        Run((_, _, _) => Task.FromResult("{}"u8.ToArray()));
        var late = _api.Enqueue(new LocalInvocation("{}") { ResponseStatus = HttpStatusCode.Gone });
        var next = _api.Enqueue("{}");

        var result = await _api.WaitForResultAsync(next, Wait);

        Assert.Equal(RuntimePostKind.Response, result.Kind);
        var refused = Assert.Single(_api.Posts, p => p.RequestId == late);
        Assert.Equal(HttpStatusCode.Gone, refused.AnsweredWith);
        Assert.Equal("WARN", Assert.Single(LogLines()).GetProperty("level").GetString());
    }

    [Fact]
    public async Task The_trace_id_of_each_event_is_in_the_environment_while_its_handler_runs()
    {
        Run((_, _, _) => Task.FromResult(
            Encoding.UTF8.GetBytes(Environment.GetEnvironmentVariable("_X_AMZN_TRACE_ID") ?? "absent")));
        var traced = _api.Enqueue(new LocalInvocation("{}") { TraceId = "Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=1" });
        var untraced = _api.Enqueue(new LocalInvocation("{}") { TraceId = null });

        Assert.Equal("Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=1", (await _api.WaitForResultAsync(traced, Wait)).BodyText);
        Assert.Equal("absent", (await _api.WaitForResultAsync(untraced, Wait)).BodyText);
    }

    [Fact]
    public async Task A_500_from_next_ends_the_loop_with_an_exception()
    {
        Run((_, _, _) => Task.FromResult("{}"u8.ToArray()));
        _api.EnqueueNextFailure(HttpStatusCode.InternalServerError);

        var running = _running!;
        _running = null;
        var failure = await Assert.ThrowsAsync<LambdaRuntimeException>(() => running.WaitAsync(Wait, TestContext.Current.CancellationToken));
        Assert.Contains("500", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_413_on_the_response_turns_into_an_error_report_that_does_not_repeat_the_response()
    {
        Run((_, _, _) => Task.FromResult("""{"secret":"s3cr3t-value"}"""u8.ToArray()));
        var id = _api.Enqueue(new LocalInvocation("{}") { ResponseStatus = HttpStatusCode.RequestEntityTooLarge });
        var next = _api.Enqueue("{}");

        var result = await _api.WaitForResultAsync(id, Wait);
        await _api.WaitForResultAsync(next, Wait);

        Assert.Equal(RuntimePostKind.Error, result.Kind);
        Assert.Equal("Function.ResponseSizeTooLarge", result.Header("Lambda-Runtime-Function-Error-Type"));
        using var body = JsonDocument.Parse(result.Body);
        Assert.Equal("ResponseSizeTooLarge", body.RootElement.GetProperty("errorType").GetString());
        Assert.DoesNotContain("s3cr3t", result.BodyText, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, _api.Posts[0].AnsweredWith);
        Assert.Equal("ResponseSizeTooLarge", Assert.Single(LogLines()).GetProperty("errorType").GetString());
    }

    [Fact]
    public async Task Stopping_while_waiting_for_the_next_event_ends_the_loop_quietly()
    {
        Run((_, _, _) => Task.FromResult("{}"u8.ToArray()));
        while (_api.NextRequests == 0)
        {
            await Task.Delay(10, TestContext.Current.CancellationToken);
        }

        await _stop.CancelAsync();
        var running = _running!;
        _running = null;

        await running.WaitAsync(Wait, TestContext.Current.CancellationToken);
        Assert.True(running.IsCompletedSuccessfully);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_running is not null)
        {
            await _running.WaitAsync(Wait, TestContext.Current.CancellationToken);
        }

        await _api.DisposeAsync();
        _client.Dispose();
        _stop.Dispose();
        _log.Dispose();
    }

    private void Run(
        Func<ReadOnlyMemory<byte>, LambdaInvocationInfo, CancellationToken, Task<byte[]>> handler,
        TimeProvider? time = null,
        TimeSpan? margin = null)
    {
        var loop = new LambdaRuntimeLoop(_client, handler, margin, time, TextWriter.Synchronized(_log));
        _running = Task.Run(() => loop.RunAsync(_stop.Token), TestContext.Current.CancellationToken);
    }

    private List<JsonElement> LogLines() =>
        [.. _log.ToString()
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line => JsonDocument.Parse(line).RootElement.Clone())];
}
