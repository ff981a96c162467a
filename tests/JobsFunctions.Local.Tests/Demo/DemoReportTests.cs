using System.Text;
using JobsFunctions.Domain.Executions;
using JobsFunctions.Local.Demo;
using JobsFunctions.Local.Fleet;
using JobsFunctions.Local.Rules;

namespace JobsFunctions.Local.Tests.Demo;

public sealed class DemoReportTests
{
    [Fact]
    public void A_run_whose_store_equals_the_truth_and_lost_nothing_says_so()
    {
        var report = Report(storeSucceeded: 90, failedEventIds: []);

        Assert.True(report.StoreMatchesTruth);
        Assert.Equal("The store matches the emulator's truth.", report.Verdict);
    }

    [Fact]
    public void A_count_that_differs_is_named()
    {
        var report = Report(storeSucceeded: 89, failedEventIds: []);

        Assert.False(report.StoreMatchesTruth);
        Assert.Equal("The store does NOT match the emulator's truth: SUCCEEDED differ.", report.Verdict);
    }

    [Fact]
    public void Events_lost_to_the_failure_queue_fail_the_run_even_when_the_counts_agree_and_the_first_five_are_named()
    {
        var report = Report(storeSucceeded: 90, failedEventIds: ["e-1", "e-2", "e-3", "e-4", "e-5", "e-6"]);

        Assert.False(report.StoreMatchesTruth);
        Assert.Equal("The store does NOT match the emulator's truth: 6 events failed every attempt (eventId e-1, e-2, e-3, e-4, e-5, …).", report.Verdict);
    }

    [Fact]
    public void Both_reasons_are_given_when_both_hold()
    {
        var report = Report(storeSucceeded: 88, failedEventIds: ["e-1", "e-2"]);

        Assert.Equal("The store does NOT match the emulator's truth: SUCCEEDED differ; 2 events failed every attempt (eventId e-1, e-2).", report.Verdict);
    }

    [Theory]
    [InlineData("""{"eventType":"JOB_EXECUTION","eventId":"1a2b-0001","jobId":"fw"}""", "1a2b-0001")]
    [InlineData("""{"eventType":"JOB_EXECUTION","jobId":"fw"}""", "(no eventId)")]
    [InlineData("""{"eventId":7}""", "(no eventId)")]
    [InlineData("not json", "(not JSON)")]
    public void A_failed_event_is_named_by_its_eventId(string payload, string expected) =>
        Assert.Equal(expected, FleetRun.EventId(Encoding.UTF8.GetBytes(payload)));

    private static DemoReport Report(long storeSucceeded, IReadOnlyList<string> failedEventIds)
    {
        var truth = new Dictionary<ExecutionStatus, int> { [ExecutionStatus.Succeeded] = 90, [ExecutionStatus.Failed] = 10 };
        var store = new Dictionary<ExecutionStatus, long> { [ExecutionStatus.Succeeded] = storeSucceeded, [ExecutionStatus.Failed] = 10 };
        return new DemoReport(
            "fw", "COMPLETED", 100, TimeSpan.FromMinutes(70), TimeSpan.FromSeconds(8), truth, store, store,
            [ExecutionStatus.Succeeded, ExecutionStatus.Failed], 100, 250,
            new FleetCounts(300, 100, 200, new Dictionary<string, long>(), 0), 100, 0, 100,
            new AsyncInvocationCounts(100, 100 + (failedEventIds.Count * 2), failedEventIds.Count * 2, 100 - failedEventIds.Count, failedEventIds.Count),
            failedEventIds, null, 5, new Dictionary<string, long>(), new Uri("http://127.0.0.1:8080/"), new Uri("http://127.0.0.1:8090/"));
    }
}
