using System.Threading.Channels;
using JobsFunctions.Local.Runtime;

namespace JobsFunctions.Local.Rules;

/// <summary>What became of the events handed to a function asynchronously so far.</summary>
/// <param name="Accepted">Events queued (each counts once, however often it was tried).</param>
/// <param name="Invocations">Invocations run, first attempts and retries.</param>
/// <param name="Retries">Invocations that were retries of an event whose previous attempt failed.</param>
/// <param name="Succeeded">Events that ended in a response.</param>
/// <param name="Failed">Events whose every attempt failed: Lambda sends these to the on-failure destination.</param>
public sealed record AsyncInvocationCounts(long Accepted, long Invocations, long Retries, long Succeeded, long Failed);

/// <summary>
/// A function invoked asynchronously (InvocationType Event), as IoT's Lambda action invokes it: the event is queued
/// and the caller moves on; an invocation that errs, crashes or times out is retried up to
/// <c>MaximumRetryAttempts</c> times, and an event that fails every attempt is kept for the on-failure destination
/// (https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-error-handling.html). Several execution environments
/// take from the one queue, so events may be processed in any order, as in Lambda.
/// </summary>
public sealed class AsyncInvocations : IAsyncDisposable
{
    private readonly Channel<Attempt> _queue = Channel.CreateUnbounded<Attempt>();
    private readonly int _maximumRetryAttempts;
    private readonly Func<int, TimeSpan> _retryDelay;
    private readonly Task[] _workers;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<byte[]> _failed = [];
    private long _pending;
    private long _accepted;
    private long _invocations;
    private long _retries;
    private long _succeeded;

    /// <param name="environments">One invoker per concurrent execution environment.</param>
    /// <param name="retryDelay">The wait before retry n (1, 2, …).</param>
    public AsyncInvocations(IReadOnlyList<IFunctionInvoker> environments, int maximumRetryAttempts, Func<int, TimeSpan> retryDelay)
    {
        ArgumentNullException.ThrowIfNull(environments);
        ArgumentOutOfRangeException.ThrowIfZero(environments.Count);
        ArgumentOutOfRangeException.ThrowIfNegative(maximumRetryAttempts);
        _maximumRetryAttempts = maximumRetryAttempts;
        _retryDelay = retryDelay;
        _workers = environments.Select(environment => Task.Run(() => WorkAsync(environment))).ToArray();
    }

    /// <summary>
    /// Lambda's own waits between attempts: one minute before the first retry, two before the second
    /// (https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-error-handling.html), divided by how much faster
    /// than real time the caller's clock runs.
    /// </summary>
    public static Func<int, TimeSpan> LambdaRetryDelays(double speed) =>
        retry => TimeSpan.FromMinutes(Math.Min(retry, 2)) / Math.Max(speed, 1);

    public AsyncInvocationCounts Counts
    {
        get
        {
            lock (_failed)
            {
                return new AsyncInvocationCounts(
                    Interlocked.Read(ref _accepted), Interlocked.Read(ref _invocations), Interlocked.Read(ref _retries), Interlocked.Read(ref _succeeded), _failed.Count);
            }
        }
    }

    /// <summary>The events every attempt failed on, as the on-failure destination would hold them.</summary>
    public IReadOnlyList<byte[]> FailedEvents
    {
        get
        {
            lock (_failed)
            {
                return [.. _failed];
            }
        }
    }

    /// <summary>Queues one event; like Lambda's 202, it says nothing about how the invocation will go.</summary>
    public void Enqueue(ReadOnlyMemory<byte> payload)
    {
        Interlocked.Increment(ref _accepted);
        Interlocked.Increment(ref _pending);
        _queue.Writer.TryWrite(new Attempt(payload.ToArray(), 1));
    }

    /// <summary>Waits until every queued event has succeeded or failed its last attempt, retries included.</summary>
    public async Task DrainAsync(CancellationToken cancellationToken)
    {
        while (Interlocked.Read(ref _pending) > 0)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(5), cancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _stop.CancelAsync();
        await Task.WhenAll(_workers).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _stop.Dispose();
    }

    private async Task WorkAsync(IFunctionInvoker environment)
    {
        try
        {
            await foreach (var attempt in _queue.Reader.ReadAllAsync(_stop.Token))
            {
                await RunAsync(environment, attempt);
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
        }
    }

    private async Task RunAsync(IFunctionInvoker environment, Attempt attempt)
    {
        Interlocked.Increment(ref _invocations);
        if (attempt.Number > 1)
        {
            Interlocked.Increment(ref _retries);
        }

        var result = await environment.InvokeAsync(attempt.Payload, _stop.Token);
        if (result.Outcome == InvocationOutcome.Response)
        {
            Interlocked.Increment(ref _succeeded);
            Interlocked.Decrement(ref _pending);
            return;
        }

        if (attempt.Number > _maximumRetryAttempts)
        {
            lock (_failed)
            {
                _failed.Add(attempt.Payload);
            }

            Interlocked.Decrement(ref _pending);
            return;
        }

        // The retry waits without holding this environment, as Lambda's queue keeps the event, not the instance.
        _ = RetryLaterAsync(attempt with { Number = attempt.Number + 1 });
    }

    private async Task RetryLaterAsync(Attempt next)
    {
        try
        {
            await Task.Delay(_retryDelay(next.Number - 1), _stop.Token);
            _queue.Writer.TryWrite(next);
        }
        catch (OperationCanceledException)
        {
        }
    }

    private sealed record Attempt(byte[] Payload, int Number);
}
