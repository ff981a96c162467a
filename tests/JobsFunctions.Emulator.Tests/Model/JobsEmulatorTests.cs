using System.Text;
using System.Text.Json.Nodes;
using JobsFunctions.Domain.Executions;
using JobsFunctions.Emulator.Model;

namespace JobsFunctions.Emulator.Tests.Model;

public sealed class JobsEmulatorTests
{
    private const string Prefix = "arn:aws:iot:us-east-1:123456789012:";

    private readonly JobsEmulator _emulator = new(new EmulatorClock(frozen: true));

    private readonly List<EmulatorEvent> _seen = [];

    public JobsEmulatorTests() => _emulator.Subscribe(new Recorder(_seen));

    [Fact]
    public void VersionNumber_starts_at_1_and_moves_on_every_change_the_services_own_included()
    {
        Things("t1");
        CreateJob("job", ["t1"], timeoutMinutes: 5);
        Assert.Equal(1, Execution("job", "t1").VersionNumber);

        var started = _emulator.UpdateJobExecution("job", "t1", new DeviceExecutionUpdate { Status = ExecutionStatus.InProgress });
        Assert.Equal(2, started.VersionNumber);

        _emulator.Advance(TimeSpan.FromMinutes(5));
        var timedOut = Execution("job", "t1");
        Assert.Equal(ExecutionStatus.TimedOut, timedOut.Status);
        Assert.Equal(3, timedOut.VersionNumber);
    }

    [Fact]
    public void A_stale_expectedVersion_on_the_data_plane_is_an_invalid_state_transition_carrying_the_state_and_changes_nothing()
    {
        Things("t1");
        CreateJob("job", ["t1"]);

        var error = Assert.Throws<EmulatorException>(() => _emulator.UpdateJobExecution(
            "job", "t1", new DeviceExecutionUpdate { Status = ExecutionStatus.InProgress, ExpectedVersion = 7 }));

        Assert.Equal(ErrorCodes.InvalidStateTransition, error.Code);
        Assert.Equal(1, error.State!.VersionNumber);
        Assert.Equal(ExecutionStatus.Queued, Execution("job", "t1").Status);
    }

    [Fact]
    public void A_stale_expectedVersion_on_CancelJobExecution_is_a_version_conflict()
    {
        Things("t1");
        CreateJob("job", ["t1"]);

        var error = Assert.Throws<EmulatorException>(() => _emulator.CancelJobExecution("job", "t1", false, 2, null));

        Assert.Equal(ErrorCodes.VersionConflict, error.Code);
        Assert.Equal(ExecutionStatus.Queued, Execution("job", "t1").Status);
    }

    [Theory]
    [InlineData(ExecutionStatus.Succeeded)]
    [InlineData(ExecutionStatus.Failed)]
    [InlineData(ExecutionStatus.Rejected)]
    [InlineData(ExecutionStatus.Removed)]
    public void A_terminal_execution_refuses_every_update(ExecutionStatus terminal)
    {
        Things("t1", "t2");
        CreateJob("job", ["t1", "t2"]);
        _emulator.UpdateJobExecution("job", "t1", new DeviceExecutionUpdate { Status = terminal });

        var error = Assert.Throws<EmulatorException>(() => _emulator.UpdateJobExecution("job", "t1", new DeviceExecutionUpdate { Status = ExecutionStatus.InProgress }));

        Assert.Equal(ErrorCodes.InvalidStateTransition, error.Code);
        Assert.Equal(terminal, error.State!.Status);
    }

    [Theory]
    [InlineData(ExecutionStatus.Queued)]
    [InlineData(ExecutionStatus.Canceled)]
    [InlineData(ExecutionStatus.TimedOut)]
    public void A_device_cannot_set_the_statuses_only_the_service_sets(ExecutionStatus status)
    {
        Things("t1");
        CreateJob("job", ["t1"]);

        var error = Assert.Throws<EmulatorException>(() => _emulator.UpdateJobExecution("job", "t1", new DeviceExecutionUpdate { Status = status }));

        Assert.Equal(ErrorCodes.InvalidRequest, error.Code);
        Assert.Contains(status.ToWire(), error.Message);
    }

    [Fact]
    public void Cancelling_an_IN_PROGRESS_execution_needs_force_and_then_marks_it_force_canceled()
    {
        Things("t1");
        CreateJob("job", ["t1"]);
        Start("job", "t1");

        var refused = Assert.Throws<EmulatorException>(() => _emulator.CancelJobExecution("job", "t1", false, null, null));
        var canceled = _emulator.CancelJobExecution("job", "t1", true, 2, new Dictionary<string, string> { ["why"] = "operator" });

        Assert.Equal(ErrorCodes.InvalidStateTransition, refused.Code);
        Assert.Equal(ExecutionStatus.Canceled, canceled.Status);
        Assert.True(canceled.ForceCanceled);
        Assert.Equal(3, canceled.VersionNumber);
        Assert.Equal("operator", canceled.StatusDetails["why"]);
    }

    [Fact]
    public void Deleting_an_IN_PROGRESS_execution_needs_force_while_a_QUEUED_or_terminal_one_does_not()
    {
        Things("t1", "t2");
        CreateJob("job", ["t1", "t2"]);
        Start("job", "t1");

        var refused = Assert.Throws<EmulatorException>(() => _emulator.DeleteJobExecution("job", "t1", 1, false));
        _emulator.DeleteJobExecution("job", "t2", 1, false);
        _emulator.DeleteJobExecution("job", "t1", 1, true);

        Assert.Equal(ErrorCodes.InvalidStateTransition, refused.Code);
        Assert.Equal(ErrorCodes.ResourceNotFound, Assert.Throws<EmulatorException>(() => Execution("job", "t1")).Code);
    }

    [Fact]
    public void Deleting_a_job_needs_force_while_it_runs_passes_through_DELETION_IN_PROGRESS_and_frees_its_id()
    {
        Things("t1");
        CreateJob("job", ["t1"]);

        var refused = Assert.Throws<EmulatorException>(() => _emulator.DeleteJob("job", false));
        _emulator.DeleteJob("job", true);
        var during = _emulator.DescribeJob("job").Status;
        var twice = Assert.Throws<EmulatorException>(() => _emulator.DeleteJob("job", true));
        _emulator.Advance(JobsEmulator.DeletionTime);

        Assert.Equal(ErrorCodes.InvalidStateTransition, refused.Code);
        Assert.Equal(EmulatedJobStatus.DeletionInProgress, during);
        Assert.Equal(ErrorCodes.InvalidStateTransition, twice.Code);
        Assert.Equal(ErrorCodes.ResourceNotFound, Assert.Throws<EmulatorException>(() => _emulator.DescribeJob("job")).Code);
        Assert.Equal(EmulatedJobStatus.InProgress, CreateJob("job", ["t1"]).Status);
    }

    [Fact]
    public void An_eleventh_deletion_in_progress_is_refused_as_LimitExceeded()
    {
        Things("t1");
        for (var i = 0; i < JobsEmulator.MaxDeletionsInProgress; i++)
        {
            CreateJob($"job{i}", ["t1"]);
            _emulator.DeleteJob($"job{i}", true);
        }

        CreateJob("one-more", ["t1"]);

        Assert.Equal(ErrorCodes.LimitExceeded, Assert.Throws<EmulatorException>(() => _emulator.DeleteJob("one-more", true)).Code);
    }

    [Fact]
    public void A_seven_day_in_progress_timeout_fires_at_the_minute_and_not_before()
    {
        Things("t1");
        CreateJob("job", ["t1"], timeoutMinutes: 10080);
        Start("job", "t1");

        _emulator.Advance(TimeSpan.FromMinutes(10079));
        var before = Execution("job", "t1");
        _emulator.Advance(TimeSpan.FromMinutes(1));
        var after = Execution("job", "t1");

        Assert.Equal(ExecutionStatus.InProgress, before.Status);
        Assert.Equal(60, before.ApproximateSecondsBeforeTimedOut);
        Assert.Equal(ExecutionStatus.TimedOut, after.Status);
        Assert.Equal(before.StartedAt!.Value.AddDays(7), after.LastUpdatedAt);
        Assert.Null(after.ApproximateSecondsBeforeTimedOut);
    }

    [Fact]
    public void Step_timers_replace_each_other_and_never_outlast_the_in_progress_bound_as_in_AWS_worked_example()
    {
        // In-progress 20 min from 12:00; step 7 at 12:05 -> 12:12; step 5 at 12:10 -> 12:15; step 9 at 12:13 -> 12:20.
        Things("t1");
        CreateJob("job", ["t1"], timeoutMinutes: 20);
        Start("job", "t1");
        _emulator.Advance(TimeSpan.FromMinutes(5));
        Assert.Equal(7 * 60, Step("job", "t1", 7).ApproximateSecondsBeforeTimedOut);
        _emulator.Advance(TimeSpan.FromMinutes(5));
        Assert.Equal(5 * 60, Step("job", "t1", 5).ApproximateSecondsBeforeTimedOut);
        _emulator.Advance(TimeSpan.FromMinutes(3));
        Assert.Equal(7 * 60, Step("job", "t1", 9).ApproximateSecondsBeforeTimedOut);

        _emulator.Advance(TimeSpan.FromMinutes(7) - TimeSpan.FromSeconds(1));
        Assert.Equal(ExecutionStatus.InProgress, Execution("job", "t1").Status);
        _emulator.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(ExecutionStatus.TimedOut, Execution("job", "t1").Status);
    }

    [Fact]
    public void A_step_timer_alone_times_the_execution_out_and_minus_one_cancels_it()
    {
        Things("t1", "t2");
        CreateJob("job", ["t1", "t2"]);
        Start("job", "t1", step: 3);
        Start("job", "t2", step: 3);
        Step("job", "t2", -1);

        _emulator.Advance(TimeSpan.FromDays(30));

        Assert.Equal(ExecutionStatus.TimedOut, Execution("job", "t1").Status);
        Assert.Equal(ExecutionStatus.InProgress, Execution("job", "t2").Status);
        Assert.Null(Execution("job", "t2").ApproximateSecondsBeforeTimedOut);
    }

    [Fact]
    public void MaximumPerMinute_releases_that_many_executions_each_minute_until_every_target_has_one()
    {
        var things = Enumerable.Range(0, 25).Select(i => $"t{i}").ToArray();
        Things(things);
        CreateJob("job", things, rollout: new RolloutConfig(10, null));

        var released = new List<int> { Queued("job") };
        for (var minute = 1; minute <= 3; minute++)
        {
            _emulator.Advance(TimeSpan.FromSeconds(59));
            released.Add(Queued("job"));
            _emulator.Advance(TimeSpan.FromSeconds(1));
            released.Add(Queued("job"));
        }

        Assert.Equal([10, 10, 20, 20, 25, 25, 25], released);
        Assert.Null(_emulator.DescribeJob("job").ProcessDetails.ProcessingTargets);
    }

    [Fact]
    public void An_exponential_rate_multiplies_by_its_factor_each_time_the_notified_criterion_is_met()
    {
        var things = Enumerable.Range(0, 40).Select(i => $"t{i}").ToArray();
        Things(things);
        CreateJob("job", things, rollout: new RolloutConfig(null, new ExponentialRate(2, 2, 2, null)));

        var released = new List<int> { Queued("job") };
        for (var minute = 1; minute <= 4; minute++)
        {
            _emulator.Advance(TimeSpan.FromMinutes(1));
            released.Add(Queued("job"));
        }

        // 2, then x2 after each 2-then-more notified: 2 -> 4 -> 8 -> 16 -> 32 per minute, cumulatively.
        Assert.Equal([2, 6, 14, 30, 40], released);
    }

    [Fact]
    public void The_abort_criteria_cancel_the_job_its_QUEUED_executions_and_leave_IN_PROGRESS_ones_alone()
    {
        var things = Enumerable.Range(0, 6).Select(i => $"t{i}").ToArray();
        Things(things);
        CreateJob("job", things, abort: [new JobAbortCriterion("FAILED", "CANCEL", 50, 2)]);
        Start("job", "t5");

        _emulator.UpdateJobExecution("job", "t0", new DeviceExecutionUpdate { Status = ExecutionStatus.Failed });
        var afterOne = _emulator.DescribeJob("job").Status;
        _emulator.UpdateJobExecution("job", "t1", new DeviceExecutionUpdate { Status = ExecutionStatus.Succeeded });
        var job = _emulator.DescribeJob("job");

        Assert.Equal(EmulatedJobStatus.InProgress, afterOne);
        Assert.Equal(EmulatedJobStatus.Canceled, job.Status);
        Assert.Equal("AUTO_ABORT_FAILED", job.ReasonCode);
        Assert.Contains("50% of 2 completed executions were FAILED", job.Comment);
        Assert.Equal(3, job.ProcessDetails.Canceled);
        Assert.Equal(ExecutionStatus.InProgress, Execution("job", "t5").Status);
    }

    [Fact]
    public void A_FAILED_execution_is_retried_with_a_new_executionNumber_until_its_retries_run_out()
    {
        Things("t1");
        CreateJob("job", ["t1"], retry: [new RetryCriterion("FAILED", 2)]);

        for (var attempt = 0; attempt < 3; attempt++)
        {
            _emulator.UpdateJobExecution("job", "t1", new DeviceExecutionUpdate { Status = ExecutionStatus.Failed });
        }

        var latest = Execution("job", "t1");
        Assert.Equal(3, latest.ExecutionNumber);
        Assert.Equal(2, latest.RetryAttempt);
        Assert.Equal(ExecutionStatus.Failed, latest.Status);
        Assert.Equal(ExecutionStatus.Failed, _emulator.DescribeJobExecution("job", "t1", 1).Status);
        Assert.Equal(EmulatedJobStatus.Completed, _emulator.DescribeJob("job").Status);
    }

    [Fact]
    public void A_TIMED_OUT_execution_is_retried_under_ALL_and_a_REJECTED_one_never()
    {
        Things("t1", "t2");
        CreateJob("job", ["t1", "t2"], timeoutMinutes: 1, retry: [new RetryCriterion("ALL", 1)]);
        Start("job", "t1");
        _emulator.UpdateJobExecution("job", "t2", new DeviceExecutionUpdate { Status = ExecutionStatus.Rejected });

        _emulator.Advance(TimeSpan.FromMinutes(1));

        var retried = Execution("job", "t1");
        Assert.Equal((2L, ExecutionStatus.Queued, 1), (retried.ExecutionNumber, retried.Status, retried.RetryAttempt));
        Assert.Equal(1, Execution("job", "t2").ExecutionNumber);
    }

    [Fact]
    public void A_SNAPSHOT_job_completes_once_every_execution_is_terminal_and_counts_what_happened()
    {
        Things("t1", "t2", "t3");
        CreateJob("job", ["t1", "t2", "t3"]);
        _emulator.UpdateJobExecution("job", "t1", new DeviceExecutionUpdate { Status = ExecutionStatus.Succeeded });
        _emulator.UpdateJobExecution("job", "t2", new DeviceExecutionUpdate { Status = ExecutionStatus.Rejected });
        var running = _emulator.DescribeJob("job");
        _emulator.CancelJobExecution("job", "t3", false, null, null);
        var done = _emulator.DescribeJob("job");

        Assert.Equal(EmulatedJobStatus.InProgress, running.Status);
        Assert.Equal(EmulatedJobStatus.Completed, done.Status);
        Assert.NotNull(done.CompletedAt);
        Assert.Equal((1, 1, 1, 0, 0), (done.ProcessDetails.Succeeded, done.ProcessDetails.Rejected, done.ProcessDetails.Canceled, done.ProcessDetails.Queued, done.ProcessDetails.InProgress));
    }

    [Fact]
    public void A_CONTINUOUS_job_follows_its_group_and_never_completes()
    {
        Things("t1", "t2");
        _emulator.CreateThingGroup("fleet", null);
        _emulator.AddThingToThingGroup("fleet", "t1");
        CreateJob("job", [], groups: ["fleet"], selection: TargetSelection.Continuous);
        _emulator.UpdateJobExecution("job", "t1", new DeviceExecutionUpdate { Status = ExecutionStatus.Succeeded });

        _emulator.AddThingToThingGroup("fleet", "t2");
        var joined = Execution("job", "t2");
        _emulator.RemoveThingFromThingGroup("fleet", "t2");
        var left = Execution("job", "t2");

        Assert.Equal(ExecutionStatus.Queued, joined.Status);
        Assert.Equal((ExecutionStatus.Removed, 2L), (left.Status, left.VersionNumber));
        Assert.Equal(EmulatedJobStatus.InProgress, _emulator.DescribeJob("job").Status);
    }

    [Fact]
    public void A_CONTINUOUS_rollout_skips_a_thing_that_left_the_group_before_its_turn()
    {
        Things("t0", "t1", "t2");
        _emulator.CreateThingGroup("fleet", null);
        foreach (var thing in new[] { "t0", "t1", "t2" })
        {
            _emulator.AddThingToThingGroup("fleet", thing);
        }

        CreateJob("job", [], groups: ["fleet"], selection: TargetSelection.Continuous, rollout: new RolloutConfig(1, null));
        _emulator.RemoveThingFromThingGroup("fleet", "t1");
        _emulator.Advance(TimeSpan.FromMinutes(2));

        Assert.Equal(["t0", "t2"], _emulator.ListJobExecutionsForJob("job", null, 10, null).Items.Select(e => e.ThingName));
    }

    [Fact]
    public void Cancelling_a_job_publishes_its_start_each_canceled_execution_and_its_end_only_while_events_are_enabled()
    {
        Things("t1", "t2");
        CreateJob("quiet", ["t1"]);
        _emulator.CancelJob("quiet", false, null, null);
        Assert.Empty(_seen);

        _emulator.UpdateEventConfigurations(new Dictionary<string, bool> { ["JOB"] = true, ["JOB_EXECUTION"] = true });
        CreateJob("job", ["t1", "t2"]);
        Start("job", "t2");
        _emulator.CancelJob("job", false, "OPERATOR_STOP", "stopped by hand");

        Assert.Equal(
            ["$aws/events/job/job/cancellation_in_progress", "$aws/events/jobExecution/job/canceled", "$aws/events/job/job/canceled"],
            _seen.Select(e => e.Topic));
        Assert.Equal([1L, 2L, 3L], _seen.Select(e => e.Sequence));
        var start = Payload(_seen[0]);
        Assert.Equal(("JOB", "CANCELLATION_IN_PROGRESS", "stopped by hand"), ((string)start["eventType"]!, (string)start["status"]!, (string)start["comment"]!));
        var execution = Payload(_seen[1]);
        Assert.Equal((Prefix + "thing/t1", "CANCELED", "canceled"), ((string)execution["thingArn"]!, (string)execution["status"]!, (string)execution["operation"]!));
        Assert.Equal(_seen, _emulator.EventsAfter(0, 100));
    }

    [Fact]
    public void Completion_publishes_the_completed_event_with_the_counts()
    {
        Things("t1");
        _emulator.UpdateEventConfigurations(new Dictionary<string, bool> { ["JOB"] = true });
        CreateJob("job", ["t1"]);
        _emulator.UpdateJobExecution("job", "t1", new DeviceExecutionUpdate { Status = ExecutionStatus.Succeeded });

        var completed = Assert.Single(_seen);
        var payload = Payload(completed);
        Assert.Equal("$aws/events/job/job/completed", completed.Topic);
        Assert.Equal(1, (int)payload["jobProcessDetails"]!["numberOfSucceededThings"]!);
        Assert.Equal(_emulator.DescribeJob("job").CompletedAt!.Value.ToUnixTimeMilliseconds(), (long)payload["completedAt"]!);
    }

    [Fact]
    public void Next_pending_is_the_IN_PROGRESS_execution_first_then_the_oldest_QUEUED_one()
    {
        Things("t1");
        CreateJob("a", ["t1"]);
        CreateJob("b", ["t1"]);
        CreateJob("c", ["t1"]);
        Assert.Equal("a", _emulator.DescribeJobExecutionForDevice("$next", "t1", null)!.JobId);
        Start("b", "t1");

        var next = _emulator.DescribeJobExecutionForDevice("$next", "t1", null)!;
        var started = _emulator.StartNextPendingJobExecution("t1", new Dictionary<string, string> { ["ignored"] = "yes" }, 5);
        var pending = _emulator.GetPendingJobExecutions("t1");

        Assert.Equal("b", next.JobId);
        Assert.Equal(("b", 2L), (started!.JobId, started.VersionNumber));
        Assert.Empty(started.StatusDetails);
        Assert.Equal(["b"], pending.InProgress.Select(e => e.JobId));
        Assert.Equal(["a", "c"], pending.Queued.Select(e => e.JobId));
    }

    [Fact]
    public void StartNext_starts_the_oldest_QUEUED_execution_with_its_details_and_answers_null_when_nothing_is_pending()
    {
        Things("t1");
        CreateJob("a", ["t1"]);

        var started = _emulator.StartNextPendingJobExecution("t1", new Dictionary<string, string> { ["step"] = "download" }, null)!;
        _emulator.UpdateJobExecution("a", "t1", new DeviceExecutionUpdate { Status = ExecutionStatus.Succeeded });

        Assert.Equal((ExecutionStatus.InProgress, "download"), (started.Status, started.StatusDetails["step"]));
        Assert.Null(_emulator.StartNextPendingJobExecution("t1", null, null));
        Assert.Null(_emulator.DescribeJobExecutionForDevice("$next", "t1", null));
    }

    [Fact]
    public void Listings_page_with_maxResults_and_the_token_they_return()
    {
        var things = Enumerable.Range(0, 5).Select(i => $"t{i}").ToArray();
        Things(things);
        CreateJob("job", things);

        var first = _emulator.ListJobExecutionsForJob("job", null, 2, null);
        var second = _emulator.ListJobExecutionsForJob("job", null, 2, first.NextToken);
        var last = _emulator.ListJobExecutionsForJob("job", null, 2, second.NextToken);

        Assert.Equal(["t0", "t1", "t2", "t3", "t4"], first.Items.Concat(second.Items).Concat(last.Items).Select(e => e.ThingName));
        Assert.Null(last.NextToken);
        Assert.Equal(ErrorCodes.InvalidRequest, Assert.Throws<EmulatorException>(() => _emulator.ListJobExecutionsForJob("job", null, 2, "bogus")).Code);
    }

    [Fact]
    public void A_job_cannot_target_a_thing_that_does_not_exist()
    {
        var error = Assert.Throws<EmulatorException>(() => CreateJob("job", ["ghost"]));

        Assert.Equal(ErrorCodes.ResourceNotFound, error.Code);
        Assert.Contains("ghost", error.Message);
    }

    private void Things(params string[] names)
    {
        foreach (var name in names)
        {
            _emulator.CreateThing(name, null);
        }
    }

    private EmulatedJobView CreateJob(
        string jobId,
        string[] things,
        long? timeoutMinutes = null,
        RolloutConfig? rollout = null,
        JobAbortCriterion[]? abort = null,
        RetryCriterion[]? retry = null,
        string[]? groups = null,
        TargetSelection selection = TargetSelection.Snapshot) =>
        _emulator.CreateJob(new JobSpec
        {
            JobId = jobId,
            Targets = [.. things.Select(t => Prefix + "thing/" + t), .. (groups ?? []).Select(g => Prefix + "thinggroup/" + g)],
            Document = "{\"operation\":\"reboot\"}",
            TargetSelection = selection,
            InProgressTimeoutInMinutes = timeoutMinutes,
            Rollout = rollout,
            Abort = abort,
            Retry = retry,
        });

    private ExecutionView Execution(string jobId, string thing) => _emulator.DescribeJobExecution(jobId, thing, null);

    private void Start(string jobId, string thing, long? step = null) =>
        _emulator.UpdateJobExecution(jobId, thing, new DeviceExecutionUpdate { Status = ExecutionStatus.InProgress, StepTimeoutInMinutes = step });

    private ExecutionView Step(string jobId, string thing, long step) =>
        _emulator.UpdateJobExecution(jobId, thing, new DeviceExecutionUpdate { Status = ExecutionStatus.InProgress, StepTimeoutInMinutes = step });

    private int Queued(string jobId)
    {
        var details = _emulator.DescribeJob(jobId).ProcessDetails;
        return details.Queued + details.InProgress + details.Succeeded;
    }

    private static JsonNode Payload(EmulatorEvent published) => JsonNode.Parse(Encoding.UTF8.GetString(published.Payload.Span))!;

    private sealed class Recorder(List<EmulatorEvent> seen) : IEmulatorEventSubscriber
    {
        public void OnEvent(EmulatorEvent published) => seen.Add(published);
    }
}
