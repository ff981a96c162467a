using System.Globalization;
using JobsFunctions.Domain.Executions;
using JobsFunctions.Domain.Jobs;
using JobsFunctions.Domain.Operations;
using JobsFunctions.Domain.Policies;
using JobsFunctions.Domain.Recording;
using JobsFunctions.Domain.Sweeping;
using JobsFunctions.TestSupport;

namespace JobsFunctions.Domain.Tests.Sweeping;

/// <summary>The run: lease, cursor, enumeration of jobs, isolation of each job, and the figures it reports.</summary>
public sealed class PolicySweeperTests : SweepHarness
{
    [Fact]
    public async Task Throttling_stops_the_run_and_the_next_run_resumes_the_job()
    {
        await PolicyAsync(StuckAfterTwoHours);
        Stuck("pump-1");
        Jobs.AfterEachCall = () =>
        {
            // After the event check: the listing that follows is throttled.
            Jobs.AfterEachCall = null;
            Iot.FailNext(JobsControlErrors.Throttled("Rate exceeded."));
        };

        var throttled = await RunAsync();
        var resumed = await RunAsync();

        Assert.Equal((false, 1, 0), (throttled.Finished, throttled.Throttles, throttled.Actions));
        Assert.Equal((true, 1), (resumed.Finished, resumed.Actions));
        Assert.Single(Iot.CancelCalls);
    }

    [Fact]
    public async Task Two_overlapping_sweeps_act_once()
    {
        await PolicyAsync(StuckAfterTwoHours);
        Stuck("pump-1");
        var holdFirst = new TaskCompletionSource();
        Jobs.BeforeEventCheck = async () =>
        {
            Jobs.BeforeEventCheck = null;
            await holdFirst.Task;
        };

        var first = RunAsync();
        var second = await RunAsync();
        holdFirst.SetResult();
        var firstReport = await first;

        Assert.False(second.LeaseTaken);
        Assert.True(firstReport.LeaseTaken);
        Assert.Single(Iot.CancelCalls);
        Assert.Equal(1, firstReport.Actions);
        Assert.Null(State.Lease);
    }

    [Fact]
    public async Task The_lease_is_given_back_when_a_run_fails()
    {
        await PolicyAsync(StuckAfterTwoHours);
        Stuck("pump-1");
        var state = new CursorlessState(State);

        await Assert.ThrowsAsync<TimeoutException>(() => Sweepers.Create(Jobs, Store, Policies, state, Audit, Iot, Clock)
            .RunAsync(new SweepRun("run-1", Now.AddSeconds(50)), Cancel));

        Assert.Null(State.Lease);
    }

    [Fact]
    public async Task Events_switched_off_are_reported()
    {
        Iot.EventSwitches = new JobEventSwitches(JobEvents: true, JobExecutionEvents: false);

        var report = await RunAsync();

        Assert.True(report.EventsOff);
        Assert.True(report.Finished);
        Assert.Equal(1, report.IotCalls);
    }

    [Fact]
    public async Task A_run_out_of_budget_stops_and_the_next_resumes_at_the_IoT_page_where_it_stopped()
    {
        await QueuedFleetAsync(600);

        Jobs.AfterEachCall = () => Clock.Advance(TimeSpan.FromSeconds(10));

        var first = await RunAsync(budget: TimeSpan.FromSeconds(25));
        var tokensSeen = Iot.ListExecutionsCalls.Count;
        var second = await RunAsync(budget: TimeSpan.FromSeconds(25));
        var third = await RunAsync(budget: TimeSpan.FromMinutes(5));

        Assert.False(first.Finished);
        Assert.False(second.Finished);
        Assert.True(third.Finished);
        Assert.Equal(2, tokensSeen);
        Assert.NotNull(Iot.ListExecutionsCalls[2].NextToken);
        Assert.Equal(600, Store.Executions.Count);
        Assert.Equal(600, (await Store.GetCountsAsync(JobId, Cancel))[ExecutionStatus.Queued]);
        Assert.Equal(3, Iot.ListExecutionsCalls.Count(call => call.Status == ExecutionStatus.Queued));
    }

    [Fact]
    public async Task A_cursor_that_cannot_be_read_starts_the_sweep_over()
    {
        await PolicyAsync(StuckAfterTwoHours);
        Stuck("pump-1");
        await State.SetCursorAsync("policy-sweeper", "not|a|cursor", Cancel);

        var report = await RunAsync();

        Assert.Equal((true, 1), (report.Finished, report.Actions));
        Assert.Empty(State.Cursors);
    }

    [Fact]
    public async Task The_default_policy_applies_to_in_progress_jobs_without_a_policy_of_their_own()
    {
        // A COMPLETED job has no execution left open (AWS completes a job once every execution is terminal).
        Iot.AddJob("job-own").AddJob("job-default").AddJob("job-done", status: JobStatus.Completed);
        foreach (var job in new[] { "job-own", "job-default" })
        {
            Iot.AddExecution(job, "pump-1", ExecutionStatus.InProgress, 2, startedAt: Now.AddHours(-5), lastUpdatedAt: Now.AddHours(-5));
        }

        await PolicyAsync(new JobPolicy(false, [], null), "job-own");

        var report = await RunAsync(Sweeper(defaultPolicy: StuckAfterTwoHours));

        Assert.Equal("job-default", Assert.Single(Iot.CancelCalls).JobId);
        Assert.Equal(2, report.JobsSwept);
        Assert.Equal("0", Audit.Entries.Single().Parameters["policy.revision"]);
    }

    [Fact]
    public async Task A_job_whose_listing_is_refused_with_AccessDenied_does_not_stop_the_others_and_is_reported()
    {
        foreach (var job in new[] { "job-a", "job-b", "job-c" })
        {
            await PolicyAsync(StuckAfterTwoHours, job);
            Stuck("pump-1", jobId: job);
        }

        Iot.Refuse("ListJobExecutionsForJob", "job-a", JobsControlErrors.Refused("AccessDeniedException", "AWS IoT refused ListJobExecutionsForJob: access denied."));

        var first = await RunAsync();
        Clock.Advance(TimeSpan.FromMinutes(1));
        var second = await RunAsync();

        Assert.Equal(["job-b", "job-c"], Iot.CancelCalls.Select(call => call.JobId).Order());
        Assert.Equal((1, false, 3), (first.JobsFailed, first.Finished, first.JobsSwept));
        var failure = Assert.Single(first.Failures);
        Assert.Equal(("job-a", "aws.AccessDeniedException"), (failure.JobId, failure.ErrorCode));
        Assert.Equal((1, false), (second.JobsFailed, second.Finished));
        Assert.Empty(State.Cursors);
    }

    [Fact]
    public async Task An_oversized_record_on_one_job_is_that_jobs_failure_and_the_run_goes_on()
    {
        foreach (var job in new[] { "job-a", "job-b" })
        {
            await PolicyAsync(StuckAfterTwoHours, job);
            Stuck("pump-1", jobId: job);
        }

        Store.BeforeExecutionSave = (record, _) =>
            record.JobId == "job-a" ? throw new RecordTooLargeException("execution record", 410_000, 400_000) : Task.CompletedTask;

        var report = await RunAsync();

        Assert.Equal("job-b", Assert.Single(Iot.CancelCalls).JobId);
        var failure = Assert.Single(report.Failures);
        Assert.Equal(("job-a", nameof(RecordTooLargeException)), (failure.JobId, failure.ErrorCode));
        Assert.Contains("410000 bytes", failure.Detail, StringComparison.Ordinal);
        Assert.Equal(1, report.JobsFailed);
    }

    [Fact]
    public async Task A_store_error_on_one_job_is_that_jobs_failure_and_the_run_goes_on()
    {
        foreach (var job in new[] { "job-a", "job-b" })
        {
            await PolicyAsync(StuckAfterTwoHours, job);
            Stuck("pump-1", jobId: job);
        }

        Iot.Refuse("DescribeJobExecution", "job-a", JobsControlErrors.Unavailable("AWS IoT could not serve DescribeJobExecution; retry later."));
        Store.BeforeExecutionSave = (record, _) =>
            record.JobId == "job-b" && record.ThingName == "pump-1" && record.IsTerminal ? throw new TimeoutException("The store did not answer.") : Task.CompletedTask;

        var report = await RunAsync();

        Assert.Equal(["job-a: unavailable", "job-b: TimeoutException"], report.Failures.Select(failure => $"{failure.JobId}: {failure.ErrorCode}").Order());
        Assert.Equal((2, false), (report.JobsFailed, report.Finished));
    }

    [Fact]
    public async Task A_job_that_throws_every_run_never_pins_the_cursor_and_each_run_sweeps_the_others()
    {
        foreach (var job in new[] { "job-a", "job-b", "job-c" })
        {
            await PolicyAsync(new JobPolicy(false, [], new PolicyTimeouts(InProgressTimeoutInMinutes: 120)), job);
        }

        Jobs.AfterEachCall = () =>
        {
            if (Iot.ListExecutionsCalls is [.., { JobId: "job-b" }] && Iot.ListExecutionsCalls[^1].Status == ExecutionStatus.Queued)
            {
                throw new InvalidOperationException("a bug in job-b's sweep");
            }
        };

        for (var run = 1; run <= 3; run++)
        {
            Stuck($"pump-{run}", jobId: "job-a");
            Stuck($"pump-{run}", jobId: "job-c");
            var report = await RunAsync();
            Clock.Advance(TimeSpan.FromMinutes(1));

            Assert.Equal((3, 1, 2), (report.JobsSwept, report.JobsFailed, report.Actions));
            Assert.Equal(("job-b", nameof(InvalidOperationException)), (report.Failures.Single().JobId, report.Failures.Single().ErrorCode));
            Assert.Empty(State.Cursors);
        }

        Assert.Equal(6, Iot.CancelCalls.Count);
    }

    [Fact]
    public async Task A_run_stopped_by_its_deadline_inside_a_job_resumes_it_and_reports_no_failure()
    {
        await PolicyAsync(StuckAfterTwoHours);
        Stuck("pump-1");
        using var deadline = new CancellationTokenSource();
        Jobs.AfterEachCall = () =>
        {
            if (Iot.ListExecutionsCalls.Count == 1)
            {
                deadline.Cancel();
            }
        };

        var stopped = await Sweeper().RunAsync(new SweepRun("run-deadline", Now.AddSeconds(50)), deadline.Token);
        Jobs.AfterEachCall = null;
        var resumed = await RunAsync();

        Assert.Equal((0, false), (stopped.JobsFailed, stopped.Finished));
        Assert.Equal((0, true, 1), (resumed.JobsFailed, resumed.Finished, resumed.Actions));
    }

    [Fact]
    public async Task A_call_the_adapter_answered_unavailable_because_the_deadline_came_is_not_a_job_failure()
    {
        await PolicyAsync(StuckAfterTwoHours);
        Stuck("pump-1");
        using var deadline = new CancellationTokenSource();
        Jobs.AfterDescribe = _ =>
        {
            Jobs.AfterDescribe = null;
            deadline.Cancel();
            // What IotJobsControl answers for a call its token cut short.
            Iot.FailNext(JobsControlErrors.Unavailable("CancelJobExecution was not sent to AWS IoT: the invocation deadline came."));
            return Task.CompletedTask;
        };

        var stopped = await Sweeper().RunAsync(new SweepRun("run-deadline", Now.AddSeconds(50)), deadline.Token);
        var cursorsAfterStop = State.Cursors.Count;
        var resumed = await RunAsync();

        Assert.Equal((0, false, 1), (stopped.JobsFailed, stopped.Finished, cursorsAfterStop));
        Assert.Equal((0, true, 1), (resumed.JobsFailed, resumed.Finished, resumed.Actions));
    }

    [Fact]
    public async Task A_failed_ListJobs_is_a_failure_of_the_run_not_silence()
    {
        Iot.AddJob("job-default");
        Stuck("pump-1", jobId: "job-default");
        Iot.FailNext(JobsControlErrors.Throttled("Rate exceeded.")); // the event check
        Jobs.AfterEachCall = () =>
        {
            Jobs.AfterEachCall = null;
            Iot.FailNext(JobsControlErrors.Refused("AccessDeniedException", "AWS IoT refused ListJobs: access denied."));
        };

        var report = await RunAsync(Sweeper(defaultPolicy: StuckAfterTwoHours));

        var failure = Assert.Single(report.Failures);
        Assert.Equal((null, "aws.AccessDeniedException"), (failure.JobId, failure.ErrorCode));
        Assert.StartsWith("ListJobs: ", failure.Detail, StringComparison.Ordinal);
        Assert.Equal((1, false, 0), (report.JobsFailed, report.Finished, report.JobsSwept));
        Assert.True(report.EventsCheckFailed);
        Assert.Empty(Iot.CancelCalls);
    }

    [Fact]
    public async Task A_policy_list_the_store_cannot_read_is_reported_and_the_default_policy_jobs_are_still_swept()
    {
        var failing = new FailingPolicyList(Policies);
        Stuck("pump-1", jobId: "job-default");
        var sweeper = Sweepers.Create(Jobs, Store, failing, State, Audit, Iot, Clock, new SweeperOptions(StuckAfterTwoHours));

        var report = await RunAsync(sweeper);

        Assert.Equal((1, false), (report.JobsFailed, report.Finished));
        Assert.Equal((null, nameof(TimeoutException)), (report.Failures.Single().JobId, report.Failures.Single().ErrorCode));
        Assert.Equal("job-default", Assert.Single(Iot.CancelCalls).JobId);
    }

    [Fact]
    public async Task The_run_reports_the_calls_and_throttled_answers_the_client_counted_including_retried_ones()
    {
        await PolicyAsync(StuckAfterTwoHours);
        Stuck("pump-1");
        Iot.ThrottleNextAttempts(2); // the event check is throttled twice, then answered on the third attempt

        var report = await RunAsync();

        // Event check (3 attempts), two listings, describe, cancel.
        Assert.Equal((7L, 2L), (report.IotCalls, report.Throttles));
        Assert.Equal((true, 1, false), (report.Finished, report.Actions, report.EventsCheckFailed));
    }

    [Fact]
    public async Task An_event_check_that_fails_says_so_and_never_reads_as_events_on()
    {
        Iot.FailNext(JobsControlErrors.Refused("AccessDeniedException", "AWS IoT refused DescribeEventConfigurations: access denied."));

        var report = await RunAsync();

        Assert.True(report.EventsCheckFailed);
        Assert.False(report.EventsOff);
        Assert.Null(report.Events);
        Assert.True(report.Finished);
    }

    /// <summary>A policy store whose list cannot be read (the finds still answer).</summary>
    private sealed class FailingPolicyList(IPolicyStore inner) : IPolicyStore
    {
        public Task<StoredPolicy?> FindAsync(string jobId, CancellationToken cancellationToken) => inner.FindAsync(jobId, cancellationToken);

        public Task<Page<StoredPolicy>> ListAsync(int limit, string? pageToken, CancellationToken cancellationToken) =>
            throw new TimeoutException("The store did not answer.");

        public Task<bool> TryPutAsync(StoredPolicy next, long? expectedRevision, CancellationToken cancellationToken) =>
            inner.TryPutAsync(next, expectedRevision, cancellationToken);

        public Task<bool> TryDeleteAsync(string jobId, long? expectedRevision, CancellationToken cancellationToken) =>
            inner.TryDeleteAsync(jobId, expectedRevision, cancellationToken);
    }

    /// <summary>Sweep state whose cursor cannot be read: the run itself fails, not a job.</summary>
    private sealed class CursorlessState(InMemorySweepState inner) : DelegatingSweepState(inner)
    {
        public override Task<string?> GetCursorAsync(string name, CancellationToken cancellationToken) => throw new TimeoutException("The store did not answer.");
    }
}
