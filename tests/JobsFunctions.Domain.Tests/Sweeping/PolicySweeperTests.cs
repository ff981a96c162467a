using System.Globalization;
using JobsFunctions.Domain.Executions;
using JobsFunctions.Domain.Jobs;
using JobsFunctions.Domain.Operations;
using JobsFunctions.Domain.Policies;
using JobsFunctions.Domain.Recording;
using JobsFunctions.Domain.Sweeping;
using JobsFunctions.TestSupport;
using JobsFunctions.TestSupport.Operations;
using Microsoft.Extensions.Time.Testing;

namespace JobsFunctions.Domain.Tests.Sweeping;

public sealed class PolicySweeperTests
{
    private const string JobId = "fw-2026-11";

    private static readonly DateTimeOffset Now = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);

    private static readonly JobPolicy StuckAfterTwoHours = new(false, [], new PolicyTimeouts(InProgressTimeoutInMinutes: 120));

    private readonly FakeTimeProvider _clock = new(Now);
    private readonly InMemoryRecordStore _store = new();
    private readonly InMemoryAuditLog _audit = new();
    private readonly InMemoryPolicyStore _policies = new();
    private readonly InMemorySweepState _state = new();
    private readonly FakeJobsControl _iot;
    private readonly InterceptedJobs _jobs;
    private int _runs;

    public PolicySweeperTests()
    {
        _iot = new FakeJobsControl(_clock);
        _jobs = new InterceptedJobs(_iot);
    }

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private PolicySweeper Sweeper(JobPolicy? defaultPolicy = null) =>
        new(_jobs, _store, _store, _store, _policies, _state, _audit, _clock, new SweeperOptions(defaultPolicy));

    private Task<SweepReport> RunAsync(PolicySweeper? sweeper = null, TimeSpan? budget = null) =>
        (sweeper ?? Sweeper()).RunAsync(new SweepRun($"run-{++_runs}", _clock.GetUtcNow() + (budget ?? TimeSpan.FromSeconds(50))), Cancel);

    private async Task PolicyAsync(JobPolicy policy, string jobId = JobId, long revision = 3) =>
        await _policies.TryPutAsync(new StoredPolicy(jobId, policy, revision, Now.AddDays(-1), "ops"), null, Cancel);

    private FakeJobsControl Stuck(string thing, long version = 3, int startedMinutesAgo = 180, IReadOnlyDictionary<string, string>? details = null) =>
        _iot.AddExecution(JobId, thing, ExecutionStatus.InProgress, version, details,
            queuedAt: Now.AddMinutes(-startedMinutesAgo - 10), startedAt: Now.AddMinutes(-startedMinutesAgo), lastUpdatedAt: Now.AddMinutes(-startedMinutesAgo));

    [Fact]
    public async Task A_stuck_execution_is_canceled_exactly_once_with_the_version_IoT_described()
    {
        await PolicyAsync(StuckAfterTwoHours);
        Stuck("pump-1", version: 3, details: new Dictionary<string, string> { ["step"] = "flash" });
        _iot.AddExecution(JobId, "pump-2", ExecutionStatus.InProgress, 2, startedAt: Now.AddMinutes(-30), lastUpdatedAt: Now.AddMinutes(-1));

        var first = await RunAsync();
        _clock.Advance(TimeSpan.FromMinutes(1));
        var second = await RunAsync();

        var cancel = Assert.Single(_iot.CancelCalls);
        Assert.Equal(("pump-1", 3L, true), (cancel.ThingName, cancel.ExpectedVersion, cancel.Force));
        Assert.Equal("flash", cancel.StatusDetails!["step"]);
        Assert.Equal("policy revision 3", cancel.StatusDetails[PolicySweeper.PolicyDetailKey]);
        Assert.StartsWith("policy revision 3: IN_PROGRESS for 180 min since 2026-11-23T09:00:00Z >= inProgressTimeoutInMinutes 120",
            cancel.StatusDetails[PolicySweeper.ReasonDetailKey]);
        Assert.Equal(ExecutionStatus.Canceled, _iot.Execution(JobId, "pump-1")!.Status);
        Assert.Equal((1, 0, 2), (first.Actions, first.Skips, first.ExecutionsExamined));
        Assert.Equal((0, 1), (second.Actions, second.ExecutionsExamined));

        var recorded = await _store.FindExecutionAsync(JobId, "pump-1", Cancel);
        Assert.Equal(ExecutionStatus.Canceled, recorded!.Status);
        Assert.Equal(ObservationSource.Sweeper, recorded.Ledger.Single(entry => entry.Status == ExecutionStatus.Canceled).Source);
        var entry = Assert.Single(_audit.Entries);
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
        Assert.Equal("2", Assert.Single(_audit.Entries).Parameters["policy.revision"]);
    }

    [Fact]
    public async Task A_run_judges_at_the_schedule_instant_it_is_given_not_at_its_own_clock()
    {
        await PolicyAsync(StuckAfterTwoHours);
        Stuck("pump-1", startedMinutesAgo: 100);

        var atClock = await RunAsync();
        var atSchedule = await Sweeper().RunAsync(new SweepRun("scheduled", Now.AddSeconds(50), JudgedAt: Now.AddMinutes(20)), Cancel);

        Assert.Equal((0, 1), (atClock.Actions, atSchedule.Actions));
        Assert.Contains("IN_PROGRESS for 120 min", Assert.Single(_iot.CancelCalls).StatusDetails![PolicySweeper.ReasonDetailKey], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Throttling_stops_the_run_and_the_next_run_resumes_the_job()
    {
        await PolicyAsync(StuckAfterTwoHours);
        Stuck("pump-1");
        _jobs.AfterEachCall = () =>
        {
            // After the event check: the listing that follows is throttled.
            _jobs.AfterEachCall = null;
            _iot.FailNext(JobsControlErrors.Throttled("Rate exceeded."));
        };

        var throttled = await RunAsync();
        var resumed = await RunAsync();

        Assert.Equal((false, 1, 0), (throttled.Finished, throttled.Throttles, throttled.Actions));
        Assert.Equal((true, 1), (resumed.Finished, resumed.Actions));
        Assert.Single(_iot.CancelCalls);
    }

    [Fact]
    public async Task A_queued_execution_that_never_started_is_canceled_without_force()
    {
        await PolicyAsync(new JobPolicy(false, [], new PolicyTimeouts(QueuedTimeoutInMinutes: 1440)));
        _iot.AddExecution(JobId, "pump-1", ExecutionStatus.Queued, 1, queuedAt: Now.AddMinutes(-1440), lastUpdatedAt: Now.AddMinutes(-1440));
        _iot.AddExecution(JobId, "pump-2", ExecutionStatus.Queued, 1, queuedAt: Now.AddMinutes(-1439), lastUpdatedAt: Now.AddMinutes(-1439));

        var report = await RunAsync();

        var cancel = Assert.Single(_iot.CancelCalls);
        Assert.Equal(("pump-1", false, 1L), (cancel.ThingName, cancel.Force, cancel.ExpectedVersion));
        Assert.Equal(1, report.Actions);
    }

    [Fact]
    public async Task A_FAIL_timeout_fails_the_execution_through_the_data_plane_with_the_described_version()
    {
        await PolicyAsync(new JobPolicy(false, [], new PolicyTimeouts(NoProgressTimeoutInMinutes: 30, Action: TimeoutAction.Fail)));
        _iot.AddExecution(JobId, "pump-1", ExecutionStatus.InProgress, 7, startedAt: Now.AddMinutes(-40), lastUpdatedAt: Now.AddMinutes(-31));

        var report = await RunAsync();

        var update = Assert.Single(_iot.UpdateExecutionCalls);
        Assert.Equal(("FAILED", 7L), (update.Status, update.ExpectedVersion));
        Assert.StartsWith("policy revision 3: no progress reported for 31 min", update.StatusDetails![PolicySweeper.ReasonDetailKey]);
        Assert.Empty(_iot.CancelCalls);
        Assert.Equal(1, report.Actions);
        var recorded = await _store.FindExecutionAsync(JobId, "pump-1", Cancel);
        Assert.Equal((ExecutionStatus.Failed, 8L), (recorded!.Status, recorded.VersionNumber));
    }

    [Fact]
    public async Task A_device_that_moved_after_the_describe_is_left_alone_and_the_skip_recorded()
    {
        await PolicyAsync(StuckAfterTwoHours);
        Stuck("pump-1", version: 3);
        _jobs.AfterDescribe = async described =>
        {
            _jobs.AfterDescribe = null;
            await _iot.UpdateJobExecutionAsync(new UpdateJobExecution(JobId, described.ThingName, "IN_PROGRESS",
                new Dictionary<string, string> { ["step"] = "verify" }), Cancel);
        };

        var report = await RunAsync();

        Assert.Equal((0, 1), (report.Actions, report.Skips));
        Assert.Equal(3L, Assert.Single(_iot.CancelCalls).ExpectedVersion);
        Assert.Equal((ExecutionStatus.InProgress, 4L), (_iot.Execution(JobId, "pump-1")!.Status, _iot.Execution(JobId, "pump-1")!.VersionNumber));
        var entry = Assert.Single(_audit.Entries);
        Assert.Equal((JobsControlErrors.VersionConflictCode, "3"), (entry.Outcome, entry.Parameters["policy.revision"]));
        var recorded = await _store.FindExecutionAsync(JobId, "pump-1", Cancel);
        Assert.Equal((ExecutionStatus.InProgress, 4L, "verify"), (recorded!.Status, recorded.VersionNumber, recorded.StatusDetails["step"]));
    }

    [Fact]
    public async Task An_execution_the_store_thinks_stuck_but_IoT_describes_as_progressing_is_left_alone()
    {
        await PolicyAsync(new JobPolicy(false, [], new PolicyTimeouts(NoProgressTimeoutInMinutes: 30)));
        _iot.AddExecution(JobId, "pump-1", ExecutionStatus.InProgress, 3, startedAt: Now.AddMinutes(-60), lastUpdatedAt: Now.AddMinutes(-45));
        _jobs.AfterEachCall = () =>
        {
            if (_iot.ListExecutionsCalls.Count == 2 && _jobs.AfterEachCall is not null)
            {
                _jobs.AfterEachCall = null;
                _iot.AddExecution(JobId, "pump-1", ExecutionStatus.InProgress, 4, startedAt: Now.AddMinutes(-60), lastUpdatedAt: Now.AddMinutes(-1));
            }
        };

        var report = await RunAsync();

        Assert.Empty(_iot.CancelCalls);
        Assert.Single(_iot.DescribeCalls);
        Assert.Equal(0, report.Actions);
        Assert.Equal(4, (await _store.FindExecutionAsync(JobId, "pump-1", Cancel))!.VersionNumber);
    }

    [Fact]
    public async Task A_dry_run_audits_what_it_would_do_and_changes_nothing_in_IoT()
    {
        await PolicyAsync(StuckAfterTwoHours with { DryRun = true });
        Stuck("pump-1");

        var report = await RunAsync();

        Assert.Equal(0, _iot.WriteCalls);
        Assert.Empty(_iot.DescribeCalls);
        Assert.Equal((0, 1), (report.Actions, report.DryRunActions));
        var entry = Assert.Single(_audit.Entries);
        Assert.Equal(("CancelJobExecution", PolicySweeper.DryRunOutcome, "pump-1"), (entry.Operation, entry.Outcome, entry.ThingName));
        Assert.Equal(ExecutionStatus.InProgress, (await _store.FindExecutionAsync(JobId, "pump-1", Cancel))!.Status);
    }

    [Fact]
    public async Task Two_overlapping_sweeps_act_once()
    {
        await PolicyAsync(StuckAfterTwoHours);
        Stuck("pump-1");
        var holdFirst = new TaskCompletionSource();
        _jobs.BeforeEventCheck = async () =>
        {
            _jobs.BeforeEventCheck = null;
            await holdFirst.Task;
        };

        var first = RunAsync();
        var second = await RunAsync();
        holdFirst.SetResult();
        var firstReport = await first;

        Assert.False(second.LeaseTaken);
        Assert.True(firstReport.LeaseTaken);
        Assert.Single(_iot.CancelCalls);
        Assert.Equal(1, firstReport.Actions);
        Assert.Null(_state.Lease);
    }

    [Fact]
    public async Task The_lease_is_given_back_when_a_run_fails()
    {
        await PolicyAsync(StuckAfterTwoHours);
        Stuck("pump-1");
        _iot.ThrowNext = new InvalidOperationException("boom");

        await Assert.ThrowsAsync<InvalidOperationException>(() => RunAsync());

        Assert.Null(_state.Lease);
    }

    [Fact]
    public async Task The_window_criterion_cancels_the_job_with_the_figures_once()
    {
        var recorder = new StatusRecorder(_store, _clock);
        for (var i = 0; i < 20; i++)
        {
            var status = i < 4 ? ExecutionStatus.Failed : ExecutionStatus.Succeeded;
            _iot.AddExecution(JobId, $"pump-{i:D2}", status, 3);
            await recorder.RecordAsync(new ExecutionObservation(JobId, $"pump-{i:D2}", status, new Dictionary<string, string>(),
                ObservationSource.Event, $"evt-{i}", Now.AddMinutes(-10)), Cancel);
        }

        _iot.AddExecution(JobId, "pump-queued", ExecutionStatus.Queued, 1, queuedAt: Now.AddMinutes(-5), lastUpdatedAt: Now.AddMinutes(-5));
        await PolicyAsync(new JobPolicy(false, [new AbortCriterion(FailureType.Failed, Force: true, ThresholdPercentage: 20m, WindowInMinutes: 15)], null));

        var first = await RunAsync();
        var second = await RunAsync();

        var cancel = Assert.Single(_iot.CancelJobCalls);
        Assert.Equal((true, "POLICY_ABORT", "abortConfig.criteriaList[0]: 4 FAILED of 20 executed (20%) >= 20% in 15 min"),
            (cancel.Force, cancel.ReasonCode, cancel.Comment));
        Assert.Equal(JobStatus.Canceled, _iot.Job(JobId)!.Value.Status);
        Assert.Equal(JobStatus.CancellationInProgress, (await _store.FindJobAsync(JobId, Cancel))!.Status);
        Assert.Equal((1, 0), (first.Actions, second.Actions));
        Assert.Equal(("CancelJob", "3"), (_audit.Entries.Single().Operation, _audit.Entries.Single().Parameters["policy.revision"]));
    }

    [Fact]
    public async Task Reconciliation_fills_queued_and_in_progress_executions_and_repairs_a_missed_terminal_event()
    {
        await PolicyAsync(new JobPolicy(false, [new AbortCriterion(FailureType.All, ThresholdCount: 1000)], null));
        _iot.AddExecution(JobId, "pump-1", ExecutionStatus.Queued, 1, queuedAt: Now.AddMinutes(-20), lastUpdatedAt: Now.AddMinutes(-20));
        _iot.AddExecution(JobId, "pump-2", ExecutionStatus.InProgress, 2, queuedAt: Now.AddMinutes(-20), startedAt: Now.AddMinutes(-9), lastUpdatedAt: Now.AddMinutes(-4));
        _iot.AddExecution(JobId, "pump-3", ExecutionStatus.InProgress, 2, queuedAt: Now.AddMinutes(-20), startedAt: Now.AddMinutes(-8), lastUpdatedAt: Now.AddMinutes(-8));
        await Sweeper().RunAsync(new SweepRun("seed", Now.AddMinutes(1)), Cancel);
        _iot.AddExecution(JobId, "pump-3", ExecutionStatus.Succeeded, 3, new Dictionary<string, string> { ["result"] = "ok" },
            queuedAt: Now.AddMinutes(-20), startedAt: Now.AddMinutes(-8), lastUpdatedAt: Now.AddMinutes(-2));
        var describesBefore = _iot.DescribeCalls.Count;

        var report = await RunAsync();
        var writes = _store.ExecutionWrites;
        var again = await RunAsync();

        var records = _store.Executions.ToDictionary(record => record.ThingName);
        Assert.Equal(ExecutionStatus.Queued, records["pump-1"].Status);
        Assert.Equal(new ExecutionTimes(Now.AddMinutes(-20), Now.AddMinutes(-9), Now.AddMinutes(-4)), ExecutionTimes.Of(records["pump-2"]));
        Assert.Equal((ExecutionStatus.Succeeded, "ok", 3L), (records["pump-3"].Status, records["pump-3"].StatusDetails["result"], records["pump-3"].VersionNumber));
        Assert.Equal(("pump-3", describesBefore + 1), (_iot.DescribeCalls[^1].ThingName, _iot.DescribeCalls.Count));
        Assert.Equal(1, report.ReconciledChanges);
        Assert.Equal(0, again.ReconciledChanges);
        Assert.Equal(writes, _store.ExecutionWrites);
        var counts = await _store.GetCountsAsync(JobId, Cancel);
        Assert.Equal((1, 1, 1), (counts[ExecutionStatus.Queued], counts[ExecutionStatus.InProgress], counts[ExecutionStatus.Succeeded]));
    }

    [Fact]
    public async Task Events_switched_off_are_reported()
    {
        _iot.EventSwitches = new JobEventSwitches(JobEvents: true, JobExecutionEvents: false);

        var report = await RunAsync();

        Assert.True(report.EventsOff);
        Assert.True(report.Finished);
        Assert.Equal(1, report.IotCalls);
    }

    [Fact]
    public async Task A_run_out_of_budget_stops_and_the_next_resumes_at_the_IoT_page_where_it_stopped()
    {
        await PolicyAsync(new JobPolicy(false, [], new PolicyTimeouts(QueuedTimeoutInMinutes: 10_000)));
        for (var i = 0; i < 600; i++)
        {
            _iot.AddExecution(JobId, string.Create(CultureInfo.InvariantCulture, $"pump-{i:D3}"), ExecutionStatus.Queued, 1,
                queuedAt: Now.AddMinutes(-5), lastUpdatedAt: Now.AddMinutes(-5));
        }

        _jobs.AfterEachCall = () => _clock.Advance(TimeSpan.FromSeconds(10));

        var first = await RunAsync(budget: TimeSpan.FromSeconds(25));
        var tokensSeen = _iot.ListExecutionsCalls.Count;
        var second = await RunAsync(budget: TimeSpan.FromSeconds(25));
        var third = await RunAsync(budget: TimeSpan.FromMinutes(5));

        Assert.False(first.Finished);
        Assert.False(second.Finished);
        Assert.True(third.Finished);
        Assert.Equal(2, tokensSeen);
        Assert.NotNull(_iot.ListExecutionsCalls[2].NextToken);
        Assert.Equal(600, _store.Executions.Count);
        Assert.Equal(600, (await _store.GetCountsAsync(JobId, Cancel))[ExecutionStatus.Queued]);
        Assert.Equal(3, _iot.ListExecutionsCalls.Count(call => call.Status == ExecutionStatus.Queued));
    }

    [Fact]
    public async Task A_cursor_that_cannot_be_read_starts_the_sweep_over()
    {
        await PolicyAsync(StuckAfterTwoHours);
        Stuck("pump-1");
        await _state.SetCursorAsync("policy-sweeper", "not|a|cursor", Cancel);

        var report = await RunAsync();

        Assert.Equal((true, 1), (report.Finished, report.Actions));
        Assert.Empty(_state.Cursors);
    }

    [Fact]
    public async Task The_default_policy_applies_to_in_progress_jobs_without_a_policy_of_their_own()
    {
        // A COMPLETED job has no execution left open (AWS completes a job once every execution is terminal).
        _iot.AddJob("job-own").AddJob("job-default").AddJob("job-done", status: JobStatus.Completed);
        foreach (var job in new[] { "job-own", "job-default" })
        {
            _iot.AddExecution(job, "pump-1", ExecutionStatus.InProgress, 2, startedAt: Now.AddHours(-5), lastUpdatedAt: Now.AddHours(-5));
        }

        await PolicyAsync(new JobPolicy(false, [], null), "job-own");

        var report = await RunAsync(Sweeper(defaultPolicy: StuckAfterTwoHours));

        Assert.Equal("job-default", Assert.Single(_iot.CancelCalls).JobId);
        Assert.Equal(2, report.JobsSwept);
        Assert.Equal("0", _audit.Entries.Single().Parameters["policy.revision"]);
    }

    [Fact]
    public async Task A_preview_answers_what_the_policy_would_do_from_the_store_alone()
    {
        await PolicyAsync(new JobPolicy(false, [], null));
        Stuck("pump-1");
        Stuck("pump-2", startedMinutesAgo: 60);
        await Sweeper().RunAsync(new SweepRun("fill", Now.AddMinutes(1)), Cancel);
        var calls = _iot.Calls;
        var writes = _store.ExecutionWrites;

        var planned = await Sweeper().PreviewAsync(JobId, StuckAfterTwoHours, Cancel);

        var action = Assert.Single(planned);
        Assert.Equal((PlannedActionKind.CancelExecution, "pump-1", true, ExecutionStatus.InProgress), (action.Kind, action.ThingName, action.Force, action.Status));
        Assert.Contains("inProgressTimeoutInMinutes 120", action.Reason, StringComparison.Ordinal);
        Assert.Equal(calls, _iot.Calls);
        Assert.Equal(writes, _store.ExecutionWrites);
        Assert.Empty(_audit.Entries);
    }
}
