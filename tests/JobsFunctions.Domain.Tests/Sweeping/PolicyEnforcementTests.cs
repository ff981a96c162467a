using System.Globalization;
using JobsFunctions.Domain.Executions;
using JobsFunctions.Domain.Jobs;
using JobsFunctions.Domain.Operations;
using JobsFunctions.Domain.Policies;
using JobsFunctions.Domain.Recording;
using JobsFunctions.Domain.Sweeping;
using JobsFunctions.TestSupport;

namespace JobsFunctions.Domain.Tests.Sweeping;

/// <summary>Acting on a plan: describe first, act with the described version, skip what moved, audit a dry run once.</summary>
public sealed class PolicyEnforcementTests : SweepHarness
{
    [Fact]
    public async Task A_stuck_execution_is_canceled_exactly_once_with_the_version_IoT_described()
    {
        await PolicyAsync(StuckAfterTwoHours);
        Stuck("pump-1", version: 3, details: new Dictionary<string, string> { ["step"] = "flash" });
        Iot.AddExecution(JobId, "pump-2", ExecutionStatus.InProgress, 2, startedAt: Now.AddMinutes(-30), lastUpdatedAt: Now.AddMinutes(-1));

        var first = await RunAsync();
        Clock.Advance(TimeSpan.FromMinutes(1));
        var second = await RunAsync();

        var cancel = Assert.Single(Iot.CancelCalls);
        Assert.Equal(("pump-1", 3L, true), (cancel.ThingName, cancel.ExpectedVersion, cancel.Force));
        Assert.Equal("flash", cancel.StatusDetails!["step"]);
        Assert.Equal("policy revision 3", cancel.StatusDetails[PolicyEnforcement.PolicyDetailKey]);
        Assert.StartsWith("policy revision 3: IN_PROGRESS for 180 min since 2026-11-23T09:00:00Z >= inProgressTimeoutInMinutes 120",
            cancel.StatusDetails[PolicyEnforcement.ReasonDetailKey]);
        Assert.Equal(ExecutionStatus.Canceled, Iot.Execution(JobId, "pump-1")!.Status);
        Assert.Equal((1, 0, 2), (first.Actions, first.Skips, first.ExecutionsExamined));
        Assert.Equal((0, 1), (second.Actions, second.ExecutionsExamined));

        var recorded = await Store.FindExecutionAsync(JobId, "pump-1", Cancel);
        Assert.Equal(ExecutionStatus.Canceled, recorded!.Status);
        Assert.Equal(ObservationSource.Sweeper, recorded.Ledger.Single(entry => entry.Status == ExecutionStatus.Canceled).Source);
        var entry = Assert.Single(Audit.Entries);
        Assert.Equal(("CancelJobExecution", AuditEntry.Succeeded, "3"), (entry.Operation, entry.Outcome, entry.Parameters["policy.revision"]));
        Assert.Equal(Actor.Sweeper, entry.Caller);
        Assert.Equal(3, entry.Before?.VersionNumber);
        Assert.Contains("inProgressTimeoutInMinutes 120", entry.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_shorter_in_progress_limit_applies_at_once_to_executions_already_running()
    {
        await PolicyAsync(new JobPolicy(false, [], new PolicyTimeouts(InProgressTimeoutInMinutes: 240)), revision: 1);
        Stuck("pump-1", startedMinutesAgo: 180);
        var before = await RunAsync();

        await PolicyAsync(StuckAfterTwoHours, revision: 2);
        var after = await RunAsync();

        Assert.Equal((0, 1), (before.Actions, after.Actions));
        Assert.Equal("2", Assert.Single(Audit.Entries).Parameters["policy.revision"]);
    }

    [Fact]
    public async Task A_run_judges_at_the_schedule_instant_it_is_given_not_at_its_own_clock()
    {
        await PolicyAsync(StuckAfterTwoHours);
        Stuck("pump-1", startedMinutesAgo: 100);

        var atClock = await RunAsync();
        var atSchedule = await Sweeper().RunAsync(new SweepRun("scheduled", Now.AddSeconds(50), JudgedAt: Now.AddMinutes(20)), Cancel);

        Assert.Equal((0, 1), (atClock.Actions, atSchedule.Actions));
        Assert.Contains("IN_PROGRESS for 120 min", Assert.Single(Iot.CancelCalls).StatusDetails![PolicyEnforcement.ReasonDetailKey], StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_queued_execution_that_never_started_is_canceled_without_force()
    {
        await PolicyAsync(new JobPolicy(false, [], new PolicyTimeouts(QueuedTimeoutInMinutes: 1440)));
        Iot.AddExecution(JobId, "pump-1", ExecutionStatus.Queued, 1, queuedAt: Now.AddMinutes(-1440), lastUpdatedAt: Now.AddMinutes(-1440));
        Iot.AddExecution(JobId, "pump-2", ExecutionStatus.Queued, 1, queuedAt: Now.AddMinutes(-1439), lastUpdatedAt: Now.AddMinutes(-1439));

        var report = await RunAsync();

        var cancel = Assert.Single(Iot.CancelCalls);
        Assert.Equal(("pump-1", false, 1L), (cancel.ThingName, cancel.Force, cancel.ExpectedVersion));
        Assert.Equal(1, report.Actions);
    }

    [Fact]
    public async Task A_FAIL_timeout_fails_the_execution_through_the_data_plane_with_the_described_version()
    {
        await PolicyAsync(new JobPolicy(false, [], new PolicyTimeouts(NoProgressTimeoutInMinutes: 30, Action: TimeoutAction.Fail)));
        Iot.AddExecution(JobId, "pump-1", ExecutionStatus.InProgress, 7, startedAt: Now.AddMinutes(-40), lastUpdatedAt: Now.AddMinutes(-31));

        var report = await RunAsync();

        var update = Assert.Single(Iot.UpdateExecutionCalls);
        Assert.Equal(("FAILED", 7L), (update.Status, update.ExpectedVersion));
        Assert.StartsWith("policy revision 3: no progress reported for 31 min", update.StatusDetails![PolicyEnforcement.ReasonDetailKey]);
        Assert.Empty(Iot.CancelCalls);
        Assert.Equal(1, report.Actions);
        var recorded = await Store.FindExecutionAsync(JobId, "pump-1", Cancel);
        Assert.Equal((ExecutionStatus.Failed, 8L), (recorded!.Status, recorded.VersionNumber));
    }

    [Fact]
    public async Task A_device_that_moved_after_the_describe_is_left_alone_and_the_skip_recorded()
    {
        await PolicyAsync(StuckAfterTwoHours);
        Stuck("pump-1", version: 3);
        Jobs.AfterDescribe = async described =>
        {
            Jobs.AfterDescribe = null;
            await Iot.UpdateJobExecutionAsync(new UpdateJobExecution(JobId, described.ThingName, "IN_PROGRESS",
                new Dictionary<string, string> { ["step"] = "verify" }), Cancel);
        };

        var report = await RunAsync();

        Assert.Equal((0, 1), (report.Actions, report.Skips));
        Assert.Equal(3L, Assert.Single(Iot.CancelCalls).ExpectedVersion);
        Assert.Equal((ExecutionStatus.InProgress, 4L), (Iot.Execution(JobId, "pump-1")!.Status, Iot.Execution(JobId, "pump-1")!.VersionNumber));
        var entry = Assert.Single(Audit.Entries);
        Assert.Equal((JobsControlErrors.VersionConflictCode, "3"), (entry.Outcome, entry.Parameters["policy.revision"]));
        var recorded = await Store.FindExecutionAsync(JobId, "pump-1", Cancel);
        Assert.Equal((ExecutionStatus.InProgress, 4L, "verify"), (recorded!.Status, recorded.VersionNumber, recorded.StatusDetails["step"]));
    }

    [Fact]
    public async Task An_execution_the_store_thinks_stuck_but_IoT_describes_as_progressing_is_left_alone()
    {
        await PolicyAsync(new JobPolicy(false, [], new PolicyTimeouts(NoProgressTimeoutInMinutes: 30)));
        Iot.AddExecution(JobId, "pump-1", ExecutionStatus.InProgress, 3, startedAt: Now.AddMinutes(-60), lastUpdatedAt: Now.AddMinutes(-45));
        Jobs.AfterEachCall = () =>
        {
            if (Iot.ListExecutionsCalls.Count == 2 && Jobs.AfterEachCall is not null)
            {
                Jobs.AfterEachCall = null;
                Iot.AddExecution(JobId, "pump-1", ExecutionStatus.InProgress, 4, startedAt: Now.AddMinutes(-60), lastUpdatedAt: Now.AddMinutes(-1));
            }
        };

        var report = await RunAsync();

        Assert.Empty(Iot.CancelCalls);
        Assert.Single(Iot.DescribeCalls);
        Assert.Equal(0, report.Actions);
        Assert.Equal(4, (await Store.FindExecutionAsync(JobId, "pump-1", Cancel))!.VersionNumber);
    }

    [Fact]
    public async Task A_dry_run_audits_what_it_would_do_and_changes_nothing_in_IoT()
    {
        await PolicyAsync(StuckAfterTwoHours with { DryRun = true });
        Stuck("pump-1");

        var report = await RunAsync();

        Assert.Equal(0, Iot.WriteCalls);
        Assert.Empty(Iot.DescribeCalls);
        Assert.Equal((0, 1), (report.Actions, report.DryRunActions));
        var entry = Assert.Single(Audit.Entries);
        Assert.Equal(("CancelJobExecution", PolicyEnforcement.DryRunOutcome, "pump-1"), (entry.Operation, entry.Outcome, entry.ThingName));
        Assert.Equal(ExecutionStatus.InProgress, (await Store.FindExecutionAsync(JobId, "pump-1", Cancel))!.Status);
    }

    [Fact]
    public async Task The_window_criterion_cancels_the_job_with_the_figures_once()
    {
        var recorder = new StatusRecorder(Store, Clock);
        for (var i = 0; i < 20; i++)
        {
            var status = i < 4 ? ExecutionStatus.Failed : ExecutionStatus.Succeeded;
            Iot.AddExecution(JobId, $"pump-{i:D2}", status, 3);
            await recorder.RecordAsync(new ExecutionObservation(JobId, $"pump-{i:D2}", status, new Dictionary<string, string>(),
                ObservationSource.Event, $"evt-{i}", Now.AddMinutes(-10)), Cancel);
        }

        Iot.AddExecution(JobId, "pump-queued", ExecutionStatus.Queued, 1, queuedAt: Now.AddMinutes(-5), lastUpdatedAt: Now.AddMinutes(-5));
        await PolicyAsync(new JobPolicy(false, [new AbortCriterion(FailureType.Failed, Force: true, ThresholdPercentage: 20m, WindowInMinutes: 15)], null));

        var first = await RunAsync();
        var second = await RunAsync();

        var cancel = Assert.Single(Iot.CancelJobCalls);
        Assert.Equal((true, "POLICY_ABORT", "abortConfig.criteriaList[0]: 4 FAILED of 20 executed (20%) >= 20% in 15 min"),
            (cancel.Force, cancel.ReasonCode, cancel.Comment));
        Assert.Equal(JobStatus.Canceled, Iot.Job(JobId)!.Value.Status);
        Assert.Equal(JobStatus.CancellationInProgress, (await Store.FindJobAsync(JobId, Cancel))!.Status);
        Assert.Equal((1, 0), (first.Actions, second.Actions));
        Assert.Equal(("CancelJob", "3"), (Audit.Entries.Single().Operation, Audit.Entries.Single().Parameters["policy.revision"]));
    }

    [Fact]
    public async Task A_dry_run_decision_is_audited_once_however_many_runs_see_it()
    {
        await PolicyAsync(StuckAfterTwoHours with { DryRun = true });
        Stuck("pump-1");
        Stuck("pump-2");

        var reports = new List<SweepReport>();
        for (var run = 0; run < 30; run++)
        {
            reports.Add(await RunAsync());
            Clock.Advance(TimeSpan.FromMinutes(1));
        }

        Assert.Equal(["pump-1", "pump-2"], Audit.Entries.Select(entry => entry.ThingName).Order());
        Assert.All(Audit.Entries, entry => Assert.Equal(PolicyEnforcement.DryRunOutcome, entry.Outcome));
        Assert.Equal(2, reports[0].DryRunActions);
        Assert.All(reports.Skip(1), report => Assert.Equal(0, report.DryRunActions));
        Assert.Equal(0, Iot.WriteCalls);
    }

    [Fact]
    public async Task A_dry_run_decision_is_audited_again_under_a_new_policy_revision_and_after_the_repeat_span()
    {
        await PolicyAsync(StuckAfterTwoHours with { DryRun = true }, revision: 1);
        Stuck("pump-1");
        await RunAsync();
        await RunAsync();

        await PolicyAsync(StuckAfterTwoHours with { DryRun = true }, revision: 2);
        await RunAsync();
        Clock.Advance(TimeSpan.FromDays(31));
        await RunAsync();

        Assert.Equal(["1", "2", "2"], Audit.Entries.Select(entry => entry.Parameters["policy.revision"]));
    }

    [Fact]
    public async Task Overlapping_runs_that_both_see_a_dry_run_decision_audit_it_once()
    {
        await PolicyAsync(StuckAfterTwoHours with { DryRun = true });
        Stuck("pump-1");
        // Two sweepers whose leases do not exclude each other (each its own lease store) share the decision marks.
        var shared = new InMemorySweepState();
        var first = Sweepers.Create(Jobs, Store, Policies, new SharedMarks(new InMemorySweepState(), shared), Audit, Iot, Clock);
        var second = Sweepers.Create(Jobs, Store, Policies, new SharedMarks(new InMemorySweepState(), shared), Audit, Iot, Clock);

        await Task.WhenAll(
            first.RunAsync(new SweepRun("run-a", Now.AddSeconds(50)), Cancel),
            second.RunAsync(new SweepRun("run-b", Now.AddSeconds(50)), Cancel));

        Assert.Single(Audit.Entries);
    }

    [Fact]
    public async Task A_dry_run_decision_whose_audit_write_failed_is_audited_by_the_next_run()
    {
        await PolicyAsync(StuckAfterTwoHours with { DryRun = true });
        Stuck("pump-1");
        var failing = new FailingOnce(Audit);
        var sweeper = Sweepers.Create(Jobs, Store, Policies, State, failing, Iot, Clock);

        var failed = await sweeper.RunAsync(new SweepRun("run-1", Now.AddSeconds(50)), Cancel);
        var next = await sweeper.RunAsync(new SweepRun("run-2", Now.AddSeconds(50)), Cancel);

        Assert.Equal((1, nameof(TimeoutException)), (failed.JobsFailed, failed.Failures.Single().ErrorCode));
        Assert.Equal(1, next.DryRunActions);
        Assert.Single(Audit.Entries);
    }

    /// <summary>Its own lease and cursors, another store's marks.</summary>
    private sealed class SharedMarks(InMemorySweepState own, InMemorySweepState marks) : DelegatingSweepState(own)
    {
        public override Task<bool> TryMarkAsync(string mark, DateTimeOffset now, DateTimeOffset expiresAt, CancellationToken cancellationToken) =>
            marks.TryMarkAsync(mark, now, expiresAt, cancellationToken);

        public override Task UnmarkAsync(string mark, CancellationToken cancellationToken) => marks.UnmarkAsync(mark, cancellationToken);
    }

    /// <summary>An audit log whose first write fails.</summary>
    private sealed class FailingOnce(IAuditLog inner) : IAuditLog
    {
        private int _writes;

        public Task AppendAsync(AuditEntry entry, CancellationToken cancellationToken) =>
            Interlocked.Increment(ref _writes) == 1 ? throw new TimeoutException("The store did not answer.") : inner.AppendAsync(entry, cancellationToken);

        public Task<Page<AuditEntry>> ListForJobAsync(string jobId, int limit, string? pageToken, CancellationToken cancellationToken) =>
            inner.ListForJobAsync(jobId, limit, pageToken, cancellationToken);
    }
}
