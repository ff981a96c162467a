using System.Collections.Concurrent;
using System.Text;
using JobsFunctions.Emulator.Model;
using JobsFunctions.Local.Demo;
using JobsFunctions.Local.Rules;
using JobsFunctions.Local.Runtime;

namespace JobsFunctions.Local.Tests.Demo;

public sealed class EventFeedTests
{
    [Fact]
    public async Task Events_go_to_the_rules_in_the_order_published_unless_told_otherwise()
    {
        var delivered = await FeedAsync(new DeliveryFaults(Duplicate: false, Shuffle: false, Seed: 1), count: 200);

        Assert.Equal(Enumerable.Range(1, 200).Select(Label), delivered);
    }

    [Fact]
    public async Task Duplicated_events_each_arrive_twice_and_are_counted_as_redelivered()
    {
        var faults = new DeliveryFaults(Duplicate: true, Shuffle: false, Seed: 1);

        var delivered = await FeedAsync(faults, count: 50);

        Assert.Equal(Enumerable.Range(1, 50).SelectMany(n => new[] { Label(n), Label(n) }), delivered);
    }

    [Fact]
    public async Task Shuffled_events_all_arrive_but_not_in_the_order_published()
    {
        var delivered = await FeedAsync(new DeliveryFaults(Duplicate: false, Shuffle: true, Seed: 1), count: 500);

        Assert.Equal(Enumerable.Range(1, 500).Select(Label).Order(StringComparer.Ordinal), delivered.Order(StringComparer.Ordinal));
        Assert.NotEqual(Enumerable.Range(1, 500).Select(Label), delivered);
    }

    private static string Label(int n) => $"{{\"n\":{n}}}";

    private static async Task<IReadOnlyList<string>> FeedAsync(DeliveryFaults faults, int count)
    {
        var function = new InOrderFunction();
        await using var invocations = new AsyncInvocations([function], 2, _ => TimeSpan.Zero);
        var rules = new TopicRuleEngine(
            [new TopicRule("Executions", TopicFilter.TryParse("$aws/events/jobExecution/+/+", out _)!, "2016-03-23", "Recorder")],
            new Dictionary<string, AsyncInvocations> { ["Recorder"] = invocations });
        await using (var feed = new EventFeed(rules, faults))
        {
            for (var n = 1; n <= count; n++)
            {
                feed.OnEvent(new EmulatorEvent(n, "$aws/events/jobExecution/job/succeeded", Encoding.UTF8.GetBytes(Label(n)), DateTimeOffset.UnixEpoch));
            }

            await feed.DrainAsync(TestContext.Current.CancellationToken);
            Assert.Equal((count, faults.Duplicate ? count : 0L), feed.Counts);
        }

        await invocations.DrainAsync(TestContext.Current.CancellationToken);
        return [.. function.Events];
    }

    private sealed class InOrderFunction : IFunctionInvoker
    {
        public ConcurrentQueue<string> Events { get; } = new();

        public Task<InvocationResult> InvokeAsync(byte[] payload, CancellationToken cancellationToken)
        {
            Events.Enqueue(Encoding.UTF8.GetString(payload));
            return Task.FromResult(new InvocationResult("id", InvocationOutcome.Response, [], TimeSpan.Zero, null, null));
        }
    }
}
