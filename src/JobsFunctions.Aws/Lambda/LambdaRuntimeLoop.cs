using JobsFunctions.Aws.Logging;
namespace JobsFunctions.Aws.Lambda;

/// <summary>
/// The custom runtime's main loop: take the next event, run the handler under a token that fires shortly before
/// the invocation's deadline, post the result or the failure, repeat. A handler failure fails that invocation only;
/// a broken Runtime API (<see cref="LambdaRuntimeException"/>) ends the loop so the process exits.
/// </summary>
public sealed class LambdaRuntimeLoop
{
    public static readonly TimeSpan DefaultDeadlineMargin = TimeSpan.FromMilliseconds(500);

    private const string TraceIdVariable = "_X_AMZN_TRACE_ID";

    // The longest delay a timer accepts; a deadline further away is as good as none.
    private static readonly TimeSpan LongestTimer = TimeSpan.FromMilliseconds(uint.MaxValue - 1);

    private readonly LambdaRuntimeClient _client;
    private readonly Func<ReadOnlyMemory<byte>, LambdaInvocationInfo, CancellationToken, Task<byte[]>> _handler;
    private readonly TimeSpan _deadlineMargin;
    private readonly TimeProvider _time;
    private readonly TextWriter _log;

    /// <param name="deadlineMargin">
    /// How long before the deadline the handler's token fires, leaving time to post a meaningful error before Lambda
    /// kills the invocation; <see cref="DefaultDeadlineMargin"/> when null.
    /// </param>
    /// <param name="log">Where one JSON line per failed invocation goes; standard error (CloudWatch Logs) when null.</param>
    public LambdaRuntimeLoop(
        LambdaRuntimeClient client,
        Func<ReadOnlyMemory<byte>, LambdaInvocationInfo, CancellationToken, Task<byte[]>> handler,
        TimeSpan? deadlineMargin = null,
        TimeProvider? timeProvider = null,
        TextWriter? log = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(handler);
        _deadlineMargin = deadlineMargin ?? DefaultDeadlineMargin;
        ArgumentOutOfRangeException.ThrowIfLessThan(_deadlineMargin, TimeSpan.Zero, nameof(deadlineMargin));
        _client = client;
        _handler = handler;
        _time = timeProvider ?? TimeProvider.System;
        _log = log ?? Console.Error;
    }

    /// <summary>Serves invocations until <paramref name="stopToken"/> fires while waiting for the next one.</summary>
    public async Task RunAsync(CancellationToken stopToken)
    {
        while (!stopToken.IsCancellationRequested)
        {
            LambdaInvocation invocation;
            try
            {
                invocation = await _client.NextAsync(stopToken);
            }
            catch (OperationCanceledException) when (stopToken.IsCancellationRequested)
            {
                return;
            }

            await InvokeAsync(invocation);
        }
    }

    // Once an event is taken it is always answered, even if a stop was requested meanwhile: Lambda would otherwise
    // wait for it until its timeout.
    private async Task InvokeAsync(LambdaInvocation invocation)
    {
        Environment.SetEnvironmentVariable(TraceIdVariable, invocation.TraceId);
        using var deadline = DeadlineSource(invocation.Deadline);
        byte[] result;
        try
        {
            result = await _handler(invocation.Payload, invocation.Info, deadline.Token);
        }
        catch (Exception e) // any handler failure fails only this invocation; the loop lives on
        {
            var error = ErrorFor(e, deadline.IsCancellationRequested);
            Log("ERROR", invocation.RequestId, error.ErrorType, error.ErrorMessage);
            var reported = await _client.ReportErrorAsync(invocation, error, CancellationToken.None);
            LogIfGone(reported, invocation);
            return;
        }

        var outcome = await _client.RespondAsync(invocation, result, CancellationToken.None);
        if (outcome == RuntimeApiOutcome.ReplacedByTooLargeError)
        {
            Log("ERROR", invocation.RequestId, "ResponseSizeTooLarge", $"The response of {result.Length} bytes exceeds the Lambda payload limit.");
        }

        LogIfGone(outcome, invocation);
    }

    private CancellationTokenSource DeadlineSource(DateTimeOffset deadline)
    {
        var remaining = deadline - _deadlineMargin - _time.GetUtcNow();
        if (remaining <= TimeSpan.Zero)
        {
            var expired = new CancellationTokenSource();
            expired.Cancel();
            return expired;
        }

        return new CancellationTokenSource(remaining < LongestTimer ? remaining : LongestTimer, _time);
    }

    private LambdaError ErrorFor(Exception exception, bool deadlineReached)
    {
        var message = exception is OperationCanceledException && deadlineReached
            ? $"The handler was cancelled {(int)_deadlineMargin.TotalMilliseconds} ms before the invocation deadline."
            : exception.Message;
        return LambdaError.ForFunction(exception.GetType().Name, message);
    }

    private void LogIfGone(RuntimeApiOutcome outcome, LambdaInvocation invocation)
    {
        if (outcome == RuntimeApiOutcome.Gone)
        {
            Log("WARN", invocation.RequestId, "InvocationGone", "The invocation had already ended when its outcome was posted.");
        }
    }

    private void Log(string level, string requestId, string errorType, string message) =>
        JsonLog.Write(_log, level, message, [("requestId", requestId), ("errorType", errorType)]);
}
