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
}
