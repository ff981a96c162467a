using JobsFunctions.Domain.Executions;
using JobsFunctions.Domain.Jobs;
using JobsFunctions.Domain.Policies;
using static JobsFunctions.Tests.Api.ApiHarness;

namespace JobsFunctions.Tests.Api;

public sealed class OperatorApiJobListTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 22, 18, 0, 0, TimeSpan.Zero);

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Jobs_are_listed_newest_first_with_counts_failure_rate_and_the_policy_that_applies()
    {
        var api = new ApiHarness(new JobPolicy(true, [], new PolicyTimeouts(QueuedTimeoutInMinutes: 1440)));
        await Record(api, "job-old", "thing-1", ExecutionStatus.Succeeded);
        await Record(api, "job-old", "thing-2", ExecutionStatus.Failed);
        await Record(api, "job-old", "thing-3", ExecutionStatus.Succeeded);
        await Record(api, "job-old", "thing-4", ExecutionStatus.Queued);
        await Record(api, "job-new", "thing-1", ExecutionStatus.InProgress);
        await api.PolicyStore.TryPutAsync(
            new StoredPolicy("job-old", new JobPolicy(false, [new AbortCriterion(FailureType.Failed, ThresholdCount: 3)], null), 2, At, "alice"),
            expectedRevision: null, Cancel);

        var reply = await api.InvokeAsync(WithQuery(Event("api-list-jobs.json")));

        Assert.Equal(200, reply.Status);
        var jobs = reply.Body["jobs"]!.AsArray();
        Assert.Equal(["job-new", "job-old"], jobs.Select(job => job!["jobId"]!.GetValue<string>()));
        var old = jobs[1]!;
        Assert.Equal((2L, 1L, 1L, 4L), (old["counts"]!["SUCCEEDED"]!.GetValue<long>(), old["counts"]!["FAILED"]!.GetValue<long>(),
            old["counts"]!["QUEUED"]!.GetValue<long>(), old["totalExecutions"]!.GetValue<long>()));
        Assert.Equal(0.3333, old["failureRate"]!.GetValue<double>());
        Assert.Equal(("OWN", false, 2L), (old["policy"]!.GetValue<string>(), old["dryRun"]!.GetValue<bool>(), old["policyRevision"]!.GetValue<long>()));
        var recent = jobs[0]!;
        Assert.Equal(("IN_PROGRESS", false), (recent["status"]!.GetValue<string>(), recent["statusRecorded"]!.GetValue<bool>()));
        Assert.Equal(("DEFAULT", true), (recent["policy"]!.GetValue<string>(), recent["dryRun"]!.GetValue<bool>()));
        Assert.Null(recent["failureRate"]);
        Assert.True(recent.AsObject().ContainsKey("failureRate"));
    }

    [Fact]
    public async Task A_status_filter_keeps_the_jobs_in_that_status_and_the_page_token()
    {
        var api = new ApiHarness();
        await Record(api, "job-running", "thing-1", ExecutionStatus.InProgress);
        await Record(api, "job-done", "thing-1", ExecutionStatus.Succeeded);
        await api.Records.TrySaveJobAsync(JobRules.Resolve("job-done", [new JobObservation("job-done", JobStatus.Completed, "event-1", At)], 0), Cancel);
        await Record(api, "job-third", "thing-1", ExecutionStatus.Queued);

        var first = await api.InvokeAsync(WithQuery(Event("api-list-jobs.json"), ("status", "COMPLETED"), ("limit", "2")));
        var second = await api.InvokeAsync(WithQuery(Event("api-list-jobs.json"), ("status", "COMPLETED"), ("limit", "2"),
            ("nextToken", first.Body["nextToken"]!.GetValue<string>())));

        Assert.Equal(["job-done"], first.Body["jobs"]!.AsArray().Select(job => job!["jobId"]!.GetValue<string>()));
        Assert.True(first.Body["jobs"]![0]!["statusRecorded"]!.GetValue<bool>());
        Assert.Empty(second.Body["jobs"]!.AsArray());
        Assert.Null(second.Body["nextToken"]);
    }

    [Theory]
    [InlineData("status", "RUNNING", "status")]
    [InlineData("limit", "0", "limit")]
    [InlineData("thingName", "thing-1", "thingName")]
    public async Task A_bad_query_is_a_400_naming_the_parameter(string name, string value, string field)
    {
        var reply = await new ApiHarness().InvokeAsync(WithQuery(Event("api-list-jobs.json"), (name, value)));

        Assert.Equal((400, field), (reply.Status, reply.Field));
    }

    private static async Task Record(ApiHarness api, string jobId, string thingName, ExecutionStatus status)
    {
        var record = ExecutionRules.Resolve(jobId, thingName,
            [new LedgerEntry($"{jobId}/{thingName}", status, new Dictionary<string, string>(), ObservationSource.Snapshot, At, 1, 1, At)], 0);
        Assert.True(await api.Records.TrySaveExecutionAsync(record, new CounterChange(null, status), Cancel));
    }
}
