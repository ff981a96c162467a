using JobsFunctions.Aws.Retries;
using Microsoft.Extensions.Time.Testing;

namespace JobsFunctions.Aws.Tests.Retries;

public sealed class BackoffRetryTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 7, 8, 0, 0, TimeSpan.Zero);

    private static readonly Backoff Doubling = new(TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(1));

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public void The_wait_is_full_jitter_below_a_doubling_ceiling_that_stops_at_the_cap_however_many_failures()
    {
        Assert.Equal([100, 200, 400, 800, 1000, 1000], new[] { 1, 2, 3, 4, 5, 64 }.Select(n => Doubling.Ceiling(n).TotalMilliseconds));
        Assert.Equal(TimeSpan.FromMilliseconds(100), Doubling.Delay(2, 0.5));
        Assert.Equal(TimeSpan.Zero, Doubling.Delay(5, 0));
        Assert.Equal(TimeSpan.FromSeconds(1), Doubling.Delay(int.MaxValue, 1));
    }

    [Fact]
    public void A_longer_wait_the_service_asked_for_is_honoured_up_to_the_cap()
    {
        Assert.Equal(TimeSpan.FromMilliseconds(700), Doubling.Delay(1, 0.5, TimeSpan.FromMilliseconds(700)));
        Assert.Equal(TimeSpan.FromSeconds(1), Doubling.Delay(1, 0.5, TimeSpan.FromMinutes(5)));
        Assert.Equal(TimeSpan.FromMilliseconds(50), Doubling.Delay(1, 0.5, TimeSpan.FromMilliseconds(10)));
    }

    [Fact]
    public async Task Attempts_stop_at_the_maximum_and_the_last_failure_is_thrown_as_it_came()
    {
        var (policy, _, waits) = Policy();
        var attempts = 0;
        var heard = new List<Exception>();
        var last = new TimeoutException("third");

        var thrown = await Assert.ThrowsAsync<TimeoutException>(() => policy.RunAsync<int>(
            _ => ++attempts < 3 ? throw new TimeoutException("again") : throw last,
            new RetryRule(_ => true) { MaxAttempts = 3, OnRetry = heard.Add }, Token));

        Assert.Same(last, thrown);
        Assert.Equal(3, attempts);
        Assert.Equal(2, heard.Count);
        Assert.Equal([TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(100)], waits);
    }

    [Fact]
    public async Task A_failure_the_rule_does_not_call_transient_is_thrown_at_once()
    {
        var (policy, _, waits) = Policy();
        var attempts = 0;

        await Assert.ThrowsAsync<InvalidOperationException>(() => policy.RunAsync<int>(
            _ =>
            {
                attempts++;
                throw new InvalidOperationException("refused");
            },
            new RetryRule(failure => failure is TimeoutException), Token));

        Assert.Equal(1, attempts);
        Assert.Empty(waits);
    }

    [Fact]
    public async Task No_wait_is_begun_that_would_end_past_the_stop()
    {
        var (policy, clock, waits) = Policy();
        var attempts = 0;

        await Assert.ThrowsAsync<TimeoutException>(() => policy.RunAsync<int>(
            _ =>
            {
                attempts++;
                throw new TimeoutException("no answer");
            },
            new RetryRule(_ => true) { StopBy = Start.AddSeconds(2) }, Token));

        Assert.True(clock.GetUtcNow() < Start.AddSeconds(2));
        Assert.True(clock.GetUtcNow() + Doubling.Delay(attempts, 0.5) >= Start.AddSeconds(2));
        Assert.Equal(attempts - 1, waits.Count);
    }

    [Fact]
    public async Task When_the_callers_token_fires_during_a_wait_the_last_failure_is_thrown_not_a_cancellation()
    {
        using var deadline = new CancellationTokenSource();
        var policy = new BackoffRetry(Doubling, new FakeTimeProvider(Start), (_, token) =>
        {
            deadline.Cancel();
            return Task.Delay(Timeout.Infinite, token);
        });
        var throttled = new TimeoutException("throttled");

        var thrown = await Assert.ThrowsAsync<TimeoutException>(() => policy.RunAsync<int>(_ => throw throttled, new RetryRule(_ => true), deadline.Token));

        Assert.Same(throttled, thrown);
    }

    [Fact]
    public async Task The_callers_own_cancellation_is_never_retried_whatever_the_rule_says()
    {
        var (policy, _, waits) = Policy();
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAsync<OperationCanceledException>(() => policy.RunAsync<int>(
            token => throw new OperationCanceledException(token), new RetryRule(_ => true), cancelled.Token));

        Assert.Empty(waits);
    }

    private static (BackoffRetry Policy, FakeTimeProvider Clock, List<TimeSpan> Waits) Policy()
    {
        var clock = new FakeTimeProvider(Start);
        var waits = new List<TimeSpan>();
        var policy = new BackoffRetry(Doubling, clock, (delay, _) =>
        {
            waits.Add(delay);
            clock.Advance(delay);
            return Task.CompletedTask;
        }, jitter: () => 0.5);
        return (policy, clock, waits);
    }
}
