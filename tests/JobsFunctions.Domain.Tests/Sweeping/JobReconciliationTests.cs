using System.Globalization;
using JobsFunctions.Domain.Executions;
using JobsFunctions.Domain.Jobs;
using JobsFunctions.Domain.Operations;
using JobsFunctions.Domain.Policies;
using JobsFunctions.Domain.Recording;
using JobsFunctions.Domain.Sweeping;
using JobsFunctions.TestSupport;

namespace JobsFunctions.Domain.Tests.Sweeping;

/// <summary>IoT's listing of a job's open executions into the store, and the repair of a missed terminal event.</summary>
public sealed class JobReconciliationTests : SweepHarness
{
    [Fact]
    public async Task Reconciliation_fills_queued_and_in_progress_executions_and_repairs_a_missed_terminal_event()
    {
        await PolicyAsync(new JobPolicy(false, [new AbortCriterion(FailureType.All, ThresholdCount: 1000)], null));
        Iot.AddExecution(JobId, "pump-1", ExecutionStatus.Queued, 1, queuedAt: Now.AddMinutes(-20), lastUpdatedAt: Now.AddMinutes(-20));
        Iot.AddExecution(JobId, "pump-2", ExecutionStatus.InProgress, 2, queuedAt: Now.AddMinutes(-20), startedAt: Now.AddMinutes(-9), lastUpdatedAt: Now.AddMinutes(-4));
        Iot.AddExecution(JobId, "pump-3", ExecutionStatus.InProgress, 2, queuedAt: Now.AddMinutes(-20), startedAt: Now.AddMinutes(-8), lastUpdatedAt: Now.AddMinutes(-8));
        await Sweeper().RunAsync(new SweepRun("seed", Now.AddMinutes(1)), Cancel);
        Iot.AddExecution(JobId, "pump-3", ExecutionStatus.Succeeded, 3, new Dictionary<string, string> { ["result"] = "ok" },
            queuedAt: Now.AddMinutes(-20), startedAt: Now.AddMinutes(-8), lastUpdatedAt: Now.AddMinutes(-2));
        var describesBefore = Iot.DescribeCalls.Count;

        var report = await RunAsync();
        var writes = Store.ExecutionWrites;
        var again = await RunAsync();

        var records = Store.Executions.ToDictionary(record => record.ThingName);
        Assert.Equal(ExecutionStatus.Queued, records["pump-1"].Status);
        Assert.Equal(new ExecutionTimes(Now.AddMinutes(-20), Now.AddMinutes(-9), Now.AddMinutes(-4)), ExecutionTimes.Of(records["pump-2"]));
        Assert.Equal((ExecutionStatus.Succeeded, "ok", 3L), (records["pump-3"].Status, records["pump-3"].StatusDetails["result"], records["pump-3"].VersionNumber));
        Assert.Equal(("pump-3", describesBefore + 1), (Iot.DescribeCalls[^1].ThingName, Iot.DescribeCalls.Count));
        Assert.Equal(1, report.ReconciledChanges);
        Assert.Equal(0, again.ReconciledChanges);
        Assert.Equal(writes, Store.ExecutionWrites);
        var counts = await Store.GetCountsAsync(JobId, Cancel);
        Assert.Equal((1, 1, 1), (counts[ExecutionStatus.Queued], counts[ExecutionStatus.InProgress], counts[ExecutionStatus.Succeeded]));
    }

    [Fact]
    public async Task A_job_whose_listing_is_refused_is_still_judged_on_the_store_and_its_abort_taken()
    {
        var recorder = new StatusRecorder(Store, Clock);
        for (var i = 0; i < 5; i++)
        {
            Iot.AddExecution(JobId, $"pump-{i}", ExecutionStatus.Failed, 3);
            await recorder.RecordAsync(new ExecutionObservation(JobId, $"pump-{i}", ExecutionStatus.Failed, new Dictionary<string, string>(),
                ObservationSource.Event, $"evt-{i}", Now.AddMinutes(-10)), Cancel);
        }

        await PolicyAsync(new JobPolicy(false, [new AbortCriterion(FailureType.Failed, ThresholdCount: 5)], null));
        Iot.Refuse("ListJobExecutionsForJob", JobId, JobsControlErrors.Refused("AccessDeniedException", "AWS IoT refused ListJobExecutionsForJob: access denied."));

        var report = await RunAsync();

        Assert.Single(Iot.CancelJobCalls);
        Assert.Equal((1, 1, "aws.AccessDeniedException"), (report.Actions, report.JobsFailed, report.Failures.Single().ErrorCode));
    }

    [Fact]
    public async Task A_big_job_whose_listing_spans_runs_is_repaired_at_the_listings_end_with_one_describe()
    {
        // 600 QUEUED executions, recorded; then IoT ends one whose terminal event never reaches the store.
        await QueuedFleetAsync(600);

        await RunAsync(budget: TimeSpan.FromMinutes(5));
        Iot.AddExecution(JobId, "pump-300", ExecutionStatus.Canceled, 2, queuedAt: Now.AddMinutes(-5), lastUpdatedAt: Now.AddMinutes(-1));
        var describesBefore = Iot.DescribeCalls.Count;

        // Each IoT call takes 10 s of a 25 s budget: the listing (3 pages) spans three runs.
        Jobs.AfterEachCall = () => Clock.Advance(TimeSpan.FromSeconds(10));
        var first = await RunAsync(budget: TimeSpan.FromSeconds(25));
        var keptAfterFirst = State.ListedChunks;
        var second = await RunAsync(budget: TimeSpan.FromSeconds(25));
        var third = await RunAsync(budget: TimeSpan.FromMinutes(5));

        Assert.Equal((false, true), (first.Finished, third.Finished));
        Assert.True(second.JobsSwept > 0);
        Assert.True(keptAfterFirst > 0, "the first run kept nothing of what it listed");
        Assert.Equal(ExecutionStatus.Canceled, Store.Executions.Single(record => record.ThingName == "pump-300").Status);
        Assert.Equal(["pump-300"], Iot.DescribeCalls.Skip(describesBefore).Select(call => call.ThingName));
        var counts = await Store.GetCountsAsync(JobId, Cancel);
        Assert.Equal((599, 1), (counts[ExecutionStatus.Queued], counts[ExecutionStatus.Canceled]));
    }

    [Fact]
    public async Task A_listing_whose_names_cannot_be_kept_fails_the_job_and_ends_without_describing_what_it_listed()
    {
        await QueuedFleetAsync(600);

        await RunAsync(budget: TimeSpan.FromMinutes(5));
        var describesBefore = Iot.DescribeCalls.Count;
        var sweeper = Sweepers.Create(Jobs, Store, Policies, new Unkeepable(State), Audit, Iot, Clock);
        Jobs.AfterEachCall = () => Clock.Advance(TimeSpan.FromSeconds(10));

        var first = await RunAsync(sweeper, budget: TimeSpan.FromSeconds(25));
        var second = await RunAsync(sweeper, budget: TimeSpan.FromSeconds(25));
        var third = await RunAsync(sweeper, budget: TimeSpan.FromMinutes(5));

        Assert.Equal((1, "TimeoutException"), (first.JobsFailed, first.Failures.Single().ErrorCode));
        Assert.Equal((0, 0), (second.JobsFailed, third.JobsFailed));
        Assert.True(third.Finished);
        Assert.Equal(describesBefore, Iot.DescribeCalls.Count);
        Assert.Equal(600, (await Store.GetCountsAsync(JobId, Cancel))[ExecutionStatus.Queued]);
    }

    [Fact]
    public async Task A_cursor_stored_before_listings_were_kept_resumes_its_listing_and_ends_it_without_describing()
    {
        // A deploy can land while a listing is half-way: the stored cursor then has no listing id.
        await QueuedFleetAsync(600);

        await RunAsync(budget: TimeSpan.FromMinutes(5));
        Jobs.AfterEachCall = () => Clock.Advance(TimeSpan.FromSeconds(10));
        await RunAsync(budget: TimeSpan.FromSeconds(25));
        var cursor = State.Cursors.Single();
        await State.SetCursorAsync(cursor.Key, string.Join('|', cursor.Value.Split('|').Take(6)), Cancel);
        var (listsBefore, describesBefore) = (Iot.ListExecutionsCalls.Count, Iot.DescribeCalls.Count);

        var resumed = await RunAsync(budget: TimeSpan.FromMinutes(5));

        Assert.True(resumed.Finished);
        Assert.NotNull(Iot.ListExecutionsCalls[listsBefore].NextToken);
        Assert.Equal(describesBefore, Iot.DescribeCalls.Count);
        Assert.Equal(600, (await Store.GetCountsAsync(JobId, Cancel))[ExecutionStatus.Queued]);
    }

    /// <summary>Sweep state that cannot keep a listing's names (its store does not answer); everything else works.</summary>
    private sealed class Unkeepable(InMemorySweepState inner) : DelegatingSweepState(inner)
    {
        public override Task KeepListedAsync(
            string jobId, string listing, int chunk, IReadOnlyCollection<string> thingNames, DateTimeOffset expiresAt, CancellationToken cancellationToken) =>
            throw new TimeoutException("The store did not answer.");
    }
}
