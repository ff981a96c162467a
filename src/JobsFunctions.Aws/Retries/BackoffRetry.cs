using System.Runtime.ExceptionServices;

namespace JobsFunctions.Aws.Retries;

/// <summary>
/// Exponential backoff with "full jitter"
/// (https://docs.aws.amazon.com/sdkref/latest/guide/feature-retry-behavior.html): the wait after the n-th failure is
/// random in [0, ceiling), the ceiling doubling from <see cref="FirstDelay"/> up to <see cref="MaxDelay"/>.
/// </summary>
public sealed record Backoff(TimeSpan FirstDelay, TimeSpan MaxDelay)
{
    /// <summary>The ceiling of the wait after the <paramref name="failures"/>-th failure (1-based).</summary>
    public TimeSpan Ceiling(int failures) => TimeSpan.FromMilliseconds(
        Math.Min(MaxDelay.TotalMilliseconds, FirstDelay.TotalMilliseconds * Math.Pow(2, Math.Clamp(failures - 1, 0, 30))));

    /// <summary>
    /// The wait after the <paramref name="failures"/>-th failure for a <paramref name="jitter"/> in [0, 1); a longer
    /// wait the service asked for (<c>Retry-After</c>) is honoured up to <see cref="MaxDelay"/>.
    /// </summary>
    public TimeSpan Delay(int failures, double jitter, TimeSpan? retryAfter = null)
    {
        var delay = Ceiling(failures) * jitter;
        return retryAfter is { } asked && asked > delay ? (asked < MaxDelay ? asked : MaxDelay) : delay;
    }
}

/// <summary>When one call's failures are worth another attempt, and for how long.</summary>
/// <param name="IsTransient">True for a failure another attempt may cure (throttling, a 5xx, no answer).</param>
public sealed record RetryRule(Func<Exception, bool> IsTransient)
{
    /// <summary>Attempts in all, the first included; 1 never retries.</summary>
    public int MaxAttempts { get; init; } = int.MaxValue;

    /// <summary>No attempt starts after this instant: a wait that would end at or past it is not begun.</summary>
    public DateTimeOffset StopBy { get; init; } = DateTimeOffset.MaxValue;

    /// <summary>The wait the service asked for with a failure, if any.</summary>
    public Func<Exception, TimeSpan?> RetryAfter { get; init; } = static _ => null;

    /// <summary>Hears each transient failure that is followed by another attempt (a metrics hook).</summary>
    public Action<Exception>? OnRetry { get; init; }
}

/// <summary>
/// The one retry loop every AWS caller of the product uses (the DynamoDB store's rounds, the IoT clients' attempts,
/// re-reading keys DynamoDB left unprocessed): attempt, and after a transient failure wait a <see cref="Backoff"/>
/// and attempt again, until success, a failure that is not transient, the attempts run out, or the next attempt
/// could not start in time. It never waits past the caller's token: when the token fires during a wait, or the next
/// attempt could not start before <see cref="RetryRule.StopBy"/>, the last failure is thrown as it came (it says more
/// than "canceled": the caller learns it was throttled or the service was down).
/// </summary>
/// <remarks>
/// A hand-written loop rather than Polly.Core: Polly's exponential jitter is decorrelated, not full; on cancellation
/// during a wait it throws <see cref="OperationCanceledException"/> where callers want the last failure; and the
/// loop itself is shorter than the options that would bend Polly to it, in a binary published with Native AOT.
/// </remarks>
public sealed class BackoffRetry
{
    private readonly TimeProvider _time;
    private readonly Func<TimeSpan, CancellationToken, Task> _sleep;
    private readonly Func<double> _jitter;

    /// <param name="sleep">Waits between attempts (tests pass one that does not wait); <see cref="Task.Delay(TimeSpan, TimeProvider, CancellationToken)"/> by default.</param>
    /// <param name="jitter">A number in [0, 1) scaling each wait; <see cref="Random.Shared"/> by default.</param>
    public BackoffRetry(Backoff backoff, TimeProvider? time = null, Func<TimeSpan, CancellationToken, Task>? sleep = null, Func<double>? jitter = null)
    {
        Backoff = backoff ?? throw new ArgumentNullException(nameof(backoff));
        _time = time ?? TimeProvider.System;
        _sleep = sleep ?? ((delay, token) => Task.Delay(delay, _time, token));
        _jitter = jitter ?? Random.Shared.NextDouble;
    }

    public Backoff Backoff { get; }

    /// <summary>The wait after the <paramref name="failures"/>-th failure, jitter drawn.</summary>
    public TimeSpan Delay(int failures, TimeSpan? retryAfter = null) => Backoff.Delay(failures, _jitter(), retryAfter);

    /// <summary>Waits as after the <paramref name="failures"/>-th failure, for loops whose "failure" is a partial answer.</summary>
    public Task WaitAsync(int failures, CancellationToken cancellationToken) => _sleep(Delay(failures), cancellationToken);

    /// <summary>Runs <paramref name="attempt"/> under <paramref name="rule"/>; see the class summary.</summary>
    public async Task<T> RunAsync<T>(Func<CancellationToken, Task<T>> attempt, RetryRule rule, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(attempt);
        ArgumentNullException.ThrowIfNull(rule);
        ArgumentOutOfRangeException.ThrowIfLessThan(rule.MaxAttempts, 1);
        for (var failures = 1; ; failures++)
        {
            Exception failure;
            try
            {
                return await attempt(cancellationToken);
            }
            catch (Exception e) when (!IsCallersCancellation(e, cancellationToken) && rule.IsTransient(e))
            {
                failure = e;
            }

            var delay = Delay(failures, rule.RetryAfter(failure));
            if (failures >= rule.MaxAttempts || _time.GetUtcNow() + delay >= rule.StopBy)
            {
                ExceptionDispatchInfo.Throw(failure);
            }

            rule.OnRetry?.Invoke(failure);
            try
            {
                await _sleep(delay, cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                ExceptionDispatchInfo.Throw(failure);
            }
        }
    }

    /// <summary>A cancellation the caller asked for (its deadline) is never retried, whatever the rule says.</summary>
    public static bool IsCallersCancellation(Exception failure, CancellationToken cancellationToken) =>
        failure is OperationCanceledException && cancellationToken.IsCancellationRequested;
}
