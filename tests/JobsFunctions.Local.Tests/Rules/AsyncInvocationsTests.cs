using System.Collections.Concurrent;
using System.Text;
using JobsFunctions.Local.Rules;
using JobsFunctions.Local.Runtime;

namespace JobsFunctions.Local.Tests.Rules;

public sealed class AsyncInvocationsTests
{
    [Fact]
    public async Task An_event_that_keeps_failing_is_tried_once_and_retried_twice_then_kept_for_the_failure_destination()
    {
        var function = new ScriptedFunction(_ => InvocationOutcome.Error);
        await using var invocations = new AsyncInvocations([function], maximumRetryAttempts: 2, _ => TimeSpan.Zero);

        invocations.Enqueue(Encoding.UTF8.GetBytes("{\"n\":1}"));
        await invocations.DrainAsync(TestContext.Current.CancellationToken);

        Assert.Equal(3, function.Calls.Count);
        Assert.Equal(new AsyncInvocationCounts(Accepted: 1, Invocations: 3, Retries: 2, Succeeded: 0, Failed: 1), invocations.Counts);
        Assert.Equal("{\"n\":1}", Encoding.UTF8.GetString(Assert.Single(invocations.FailedEvents)));
    }

    [Theory]
    [InlineData(InvocationOutcome.Error)]
    [InlineData(InvocationOutcome.Crashed)]
    [InlineData(InvocationOutcome.TimedOut)]
    public async Task An_event_whose_first_attempt_fails_succeeds_on_its_retry(InvocationOutcome failure)
    {
        var function = new ScriptedFunction(attempt => attempt == 1 ? failure : InvocationOutcome.Response);
        await using var invocations = new AsyncInvocations([function], maximumRetryAttempts: 2, _ => TimeSpan.Zero);

        invocations.Enqueue("{}"u8.ToArray());
        await invocations.DrainAsync(TestContext.Current.CancellationToken);

        Assert.Equal(new AsyncInvocationCounts(Accepted: 1, Invocations: 2, Retries: 1, Succeeded: 1, Failed: 0), invocations.Counts);
        Assert.Empty(invocations.FailedEvents);
    }

    [Fact]
    public async Task With_no_retries_configured_a_failed_event_goes_straight_to_the_failure_destination()
    {
        var function = new ScriptedFunction(_ => InvocationOutcome.Error);
        await using var invocations = new AsyncInvocations([function], maximumRetryAttempts: 0, _ => TimeSpan.Zero);

        invocations.Enqueue("{}"u8.ToArray());
        await invocations.DrainAsync(TestContext.Current.CancellationToken);

        Assert.Single(function.Calls);
        Assert.Equal(1, invocations.Counts.Failed);
    }

    [Fact]
    public async Task Every_execution_environment_takes_events_from_the_one_queue()
    {
        var first = new ScriptedFunction(_ => InvocationOutcome.Response, TimeSpan.FromMilliseconds(20));
        var second = new ScriptedFunction(_ => InvocationOutcome.Response, TimeSpan.FromMilliseconds(20));
        await using var invocations = new AsyncInvocations([first, second], maximumRetryAttempts: 2, _ => TimeSpan.Zero);

        for (var i = 0; i < 20; i++)
        {
            invocations.Enqueue(Encoding.UTF8.GetBytes($"{{\"n\":{i}}}"));
        }

        await invocations.DrainAsync(TestContext.Current.CancellationToken);

        Assert.Equal(20, first.Calls.Count + second.Calls.Count);
        Assert.NotEmpty(first.Calls);
        Assert.NotEmpty(second.Calls);
        Assert.Equal(20, invocations.Counts.Succeeded);
    }

    [Fact]
    public void Lambdas_own_retry_waits_are_one_then_two_minutes_shortened_by_the_clocks_speed()
    {
        var delays = AsyncInvocations.LambdaRetryDelays(speed: 60);

        Assert.Equal(TimeSpan.FromSeconds(1), delays(1));
        Assert.Equal(TimeSpan.FromSeconds(2), delays(2));
        Assert.Equal(TimeSpan.FromMinutes(2), AsyncInvocations.LambdaRetryDelays(speed: 1)(2));
    }

    /// <summary>A function whose n-th invocation of an event ends as the script says.</summary>
    private sealed class ScriptedFunction(Func<int, InvocationOutcome> outcomeOfAttempt, TimeSpan? duration = null) : IFunctionInvoker
    {
        private readonly ConcurrentDictionary<string, int> _attempts = new(StringComparer.Ordinal);

        public ConcurrentQueue<string> Calls { get; } = new();

        public async Task<InvocationResult> InvokeAsync(byte[] payload, CancellationToken cancellationToken)
        {
            var text = Encoding.UTF8.GetString(payload);
            Calls.Enqueue(text);
            var attempt = _attempts.AddOrUpdate(text, 1, (_, n) => n + 1);
            if (duration is { } wait)
            {
                await Task.Delay(wait, cancellationToken);
            }

            return new InvocationResult(Guid.NewGuid().ToString(), outcomeOfAttempt(attempt), [], TimeSpan.Zero, null, null);
        }
    }
}
