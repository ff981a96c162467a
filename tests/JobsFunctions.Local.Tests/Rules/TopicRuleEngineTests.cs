using System.Collections.Concurrent;
using System.Text;
using JobsFunctions.Local.Rules;
using JobsFunctions.Local.Runtime;

namespace JobsFunctions.Local.Tests.Rules;

public sealed class TopicRuleEngineTests
{
    [Fact]
    public async Task A_message_goes_as_it_is_to_the_function_of_each_rule_whose_filter_matches_its_topic()
    {
        var jobs = new RecordingFunction();
        var executions = new RecordingFunction();
        await using var toJobs = new AsyncInvocations([jobs], 2, _ => TimeSpan.Zero);
        await using var toExecutions = new AsyncInvocations([executions], 2, _ => TimeSpan.Zero);
        var engine = new TopicRuleEngine(
            [Rule("Jobs", "$aws/events/job/+/+", "JobsFunction"), Rule("Executions", "$aws/events/jobExecution/+/+", "ExecutionsFunction")],
            new Dictionary<string, AsyncInvocations> { ["JobsFunction"] = toJobs, ["ExecutionsFunction"] = toExecutions });

        Assert.Equal(1, engine.Publish("$aws/events/jobExecution/job-1/succeeded", "{\"status\":\"SUCCEEDED\"}"u8.ToArray()));
        Assert.Equal(1, engine.Publish("$aws/events/job/job-1/completed", "{\"status\":\"COMPLETED\"}"u8.ToArray()));
        Assert.Equal(0, engine.Publish("$aws/things/thing-1/jobs/notify", "{}"u8.ToArray()));
        await toJobs.DrainAsync(TestContext.Current.CancellationToken);
        await toExecutions.DrainAsync(TestContext.Current.CancellationToken);

        Assert.Equal(["{\"status\":\"SUCCEEDED\"}"], executions.Events);
        Assert.Equal(["{\"status\":\"COMPLETED\"}"], jobs.Events);
        Assert.Equal((3L, 2L), engine.Counts);
    }

    [Fact]
    public async Task A_message_two_rules_match_is_delivered_once_by_each()
    {
        var function = new RecordingFunction();
        await using var invocations = new AsyncInvocations([function], 2, _ => TimeSpan.Zero);
        var engine = new TopicRuleEngine(
            [Rule("All", "$aws/events/#", "Function"), Rule("Jobs", "$aws/events/job/+/+", "Function")],
            new Dictionary<string, AsyncInvocations> { ["Function"] = invocations });

        Assert.Equal(2, engine.Publish("$aws/events/job/job-1/completed", "{}"u8.ToArray()));
        await invocations.DrainAsync(TestContext.Current.CancellationToken);

        Assert.Equal(2, function.Events.Count);
    }

    [Fact]
    public void A_rule_whose_function_is_not_running_is_refused_at_start()
    {
        var error = Assert.Throws<ArgumentException>(() => new TopicRuleEngine([Rule("Jobs", "a/+", "Missing")], new Dictionary<string, AsyncInvocations>()));

        Assert.Contains("Topic rule Jobs invokes Missing", error.Message);
    }

    private static TopicRule Rule(string name, string filter, string function) =>
        new(name, TopicFilter.TryParse(filter, out _)!, "2016-03-23", function);

    private sealed class RecordingFunction : IFunctionInvoker
    {
        private readonly ConcurrentQueue<string> _events = new();

        public IReadOnlyList<string> Events => [.. _events];

        public Task<InvocationResult> InvokeAsync(byte[] payload, CancellationToken cancellationToken)
        {
            _events.Enqueue(Encoding.UTF8.GetString(payload));
            return Task.FromResult(new InvocationResult("id", InvocationOutcome.Response, [], TimeSpan.Zero, null, null));
        }
    }
}
