using JobsFunctions.Domain.Executions;
using JobsFunctions.Domain.Policies;
using static JobsFunctions.Domain.Tests.Policies.RecordedJob;

namespace JobsFunctions.Domain.Tests.Policies;

public sealed class AbortEvaluationTests
{
    private readonly RecordedJob _job = new();

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    /// <summary>
    /// Devices whose attempt 1 ended in <paramref name="failure"/> (its event), which AWS then queued again as attempt 2
    /// (the sweeper's snapshot), ending that in <paramref name="then"/> when given.
    /// </summary>
    private async Task RetriedAsync(int devices, ExecutionStatus failure, ExecutionStatus? then)
    {
        for (var i = 0; i < devices; i++)
        {
            var thing = $"retried-{i:D3}";
            await _job.Recorder.RecordAsync(Seen(thing, failure, "evt-1", Now.AddMinutes(-20)), Cancel);
            await _job.Recorder.RecordAsync([Seen(thing, ExecutionStatus.Queued, "snap-2", Now.AddMinutes(-19), version: 1, execution: 2)], known: null, Cancel);
            if (then is { } status)
            {
                await _job.Recorder.RecordAsync(Seen(thing, status, "evt-2", Now.AddMinutes(-10)), Cancel);
            }
        }

        static ExecutionObservation Seen(string thing, ExecutionStatus status, string id, DateTimeOffset at, long? version = null, long? execution = null) =>
            new(JobId, thing, status, new Dictionary<string, string>(), execution is null ? ObservationSource.Event : ObservationSource.Snapshot,
                $"{id}-{thing}", at, version, execution);
    }

    private Task<AbortDecision?> EvaluateAsync(params AbortCriterion[] criteria) =>
        new AbortEvaluation(_job.Store).EvaluateAsync(JobId, criteria, Now, Cancel);

    [Theory]
    [InlineData(4, false)]
    [InlineData(5, true)]
    [InlineData(6, true)]
    public async Task A_failure_percentage_trips_when_it_reaches_the_threshold(int failed, bool trips)
    {
        await _job.EndAsync(ExecutionStatus.Failed, failed);
        await _job.EndAsync(ExecutionStatus.Succeeded, 100 - failed);

        var decision = await EvaluateAsync(new AbortCriterion(FailureType.Failed, ThresholdPercentage: 5m));

        Assert.Equal(trips, decision is not null);
    }

    [Fact]
    public async Task The_comment_names_the_criterion_and_the_figures_that_tripped_it()
    {
        await _job.EndAsync(ExecutionStatus.Succeeded, 1, Now.AddHours(-1));
        await _job.EndAsync(ExecutionStatus.Failed, 12, Now.AddMinutes(-10));
        await _job.EndAsync(ExecutionStatus.Succeeded, 128, Now.AddMinutes(-5));

        var decision = await EvaluateAsync(
            new AbortCriterion(FailureType.Rejected, ThresholdCount: 1),
            new AbortCriterion(FailureType.Failed, Force: true, ThresholdPercentage: 5m, WindowInMinutes: 15));

        Assert.NotNull(decision);
        Assert.Equal(1, decision.CriterionIndex);
        Assert.True(decision.Criterion.Force);
        Assert.Equal((12, 140), (decision.Failures, decision.ExecutedCount));
        Assert.Equal("abortConfig.criteriaList[1]: 12 FAILED of 140 executed (8.57%) >= 5% in 15 min", decision.Comment);
    }

    [Theory]
    [InlineData(49, false)]
    [InlineData(50, true)]
    [InlineData(51, true)]
    public async Task MinNumberOfExecutedThings_is_a_floor_the_executed_count_must_reach(int executed, bool trips)
    {
        await _job.EndAsync(ExecutionStatus.Failed, 10);
        await _job.EndAsync(ExecutionStatus.Succeeded, executed - 10);

        var decision = await EvaluateAsync(new AbortCriterion(FailureType.Failed, ThresholdPercentage: 10m, MinNumberOfExecutedThings: 50));

        Assert.Equal(trips, decision is not null);
    }

    [Theory]
    [InlineData(24, false)]
    [InlineData(25, true)]
    [InlineData(26, true)]
    public async Task A_failure_count_trips_when_it_reaches_the_threshold(int rejected, bool trips)
    {
        await _job.EndAsync(ExecutionStatus.Rejected, rejected);
        await _job.EndAsync(ExecutionStatus.Succeeded, 1000);

        var decision = await EvaluateAsync(new AbortCriterion(FailureType.Rejected, ThresholdCount: 25));

        Assert.Equal(trips, decision is not null);
        if (decision is not null)
        {
            Assert.Equal($"abortConfig.criteriaList[0]: {rejected} REJECTED of {rejected + 1000} executed >= 25", decision.Comment);
        }
    }

    [Fact]
    public async Task ALL_counts_failed_rejected_and_timed_out_together()
    {
        await _job.EndAsync(ExecutionStatus.Failed, 1);
        await _job.EndAsync(ExecutionStatus.Rejected, 1);
        await _job.EndAsync(ExecutionStatus.TimedOut, 1);
        await _job.EndAsync(ExecutionStatus.Succeeded, 7);

        var all = await EvaluateAsync(new AbortCriterion(FailureType.All, ThresholdCount: 3));
        var failedOnly = await EvaluateAsync(new AbortCriterion(FailureType.Failed, ThresholdCount: 2));

        Assert.Equal("abortConfig.criteriaList[0]: 3 FAILED+REJECTED+TIMED_OUT of 10 executed >= 3", all?.Comment);
        Assert.Null(failedOnly);
    }

    [Fact]
    public async Task Canceled_and_removed_executions_are_not_executed_and_do_not_dilute_the_rate()
    {
        await _job.EndAsync(ExecutionStatus.Failed, 5);
        await _job.EndAsync(ExecutionStatus.Succeeded, 5);
        await _job.EndAsync(ExecutionStatus.Canceled, 100);
        await _job.EndAsync(ExecutionStatus.Removed, 100);

        var decision = await EvaluateAsync(new AbortCriterion(FailureType.Failed, ThresholdPercentage: 50m, MinNumberOfExecutedThings: 10));

        Assert.Equal("abortConfig.criteriaList[0]: 5 FAILED of 10 executed (50%) >= 50%", decision?.Comment);
    }

    [Fact]
    public async Task Queued_and_in_progress_executions_are_not_executed()
    {
        await _job.EndAsync(ExecutionStatus.Failed, 1);
        await _job.EndAsync(ExecutionStatus.Queued, 5);
        await _job.EndAsync(ExecutionStatus.InProgress, 5);

        var decision = await EvaluateAsync(new AbortCriterion(FailureType.Failed, ThresholdPercentage: 100m, MinNumberOfExecutedThings: 2));

        Assert.Null(decision);
    }

    [Theory]
    [InlineData(-1, true)]
    [InlineData(0, true)]
    [InlineData(1, false)]
    public async Task The_window_counts_from_the_minute_its_start_falls_in(int secondsBeforeWindow, bool counted)
    {
        await _job.EndAsync(ExecutionStatus.Failed, 3, Now.AddMinutes(-15).AddSeconds(-secondsBeforeWindow));
        await _job.EndAsync(ExecutionStatus.Succeeded, 1, Now.AddMinutes(-1));

        var decision = await EvaluateAsync(new AbortCriterion(FailureType.Failed, ThresholdCount: 3, WindowInMinutes: 15));

        Assert.Equal(counted, decision is not null);
    }

    [Fact]
    public async Task Failures_before_the_window_do_not_count_while_the_whole_job_criterion_counts_them()
    {
        await _job.EndAsync(ExecutionStatus.TimedOut, 30, Now.AddHours(-2));
        await _job.EndAsync(ExecutionStatus.Succeeded, 10, Now.AddMinutes(-2));

        Assert.Null(await EvaluateAsync(new AbortCriterion(FailureType.TimedOut, ThresholdPercentage: 10m, WindowInMinutes: 60)));
        Assert.NotNull(await EvaluateAsync(new AbortCriterion(FailureType.TimedOut, ThresholdPercentage: 10m)));
    }

    [Theory]
    [InlineData(4, false)]
    [InlineData(5, true)]
    [InlineData(6, true)]
    public async Task Consecutive_failures_trip_when_the_latest_run_reaches_the_threshold(int run, bool trips)
    {
        await _job.EndAsync(ExecutionStatus.Failed, 20, Now.AddHours(-3));
        await _job.EndAsync(ExecutionStatus.Succeeded, 1, Now.AddHours(-2));
        for (var i = 0; i < run; i++)
        {
            await _job.EndAsync(ExecutionStatus.Failed, 1, Now.AddMinutes(-60 + i));
        }

        var decision = await EvaluateAsync(new AbortCriterion(FailureType.Failed, ConsecutiveFailures: 5));

        Assert.Equal(trips, decision is not null);
        if (decision is not null)
        {
            Assert.Equal("abortConfig.criteriaList[0]: the latest 5 executed were FAILED >= 5 consecutive", decision.Comment);
        }
    }

    [Fact]
    public async Task A_cancel_between_failures_neither_counts_nor_breaks_the_run()
    {
        await _job.EndAsync(ExecutionStatus.Failed, 1, Now.AddMinutes(-5));
        await _job.EndAsync(ExecutionStatus.Canceled, 1, Now.AddMinutes(-4));
        await _job.EndAsync(ExecutionStatus.Failed, 1, Now.AddMinutes(-3));

        Assert.NotNull(await EvaluateAsync(new AbortCriterion(FailureType.Failed, ConsecutiveFailures: 2)));
        Assert.Null(await EvaluateAsync(new AbortCriterion(FailureType.Failed, ConsecutiveFailures: 3)));
    }

    [Fact]
    public async Task Consecutive_failures_within_a_window_count_only_executions_that_ended_in_it()
    {
        await _job.EndAsync(ExecutionStatus.Failed, 1, Now.AddMinutes(-20));
        await _job.EndAsync(ExecutionStatus.Failed, 1, Now.AddMinutes(-5));
        await _job.EndAsync(ExecutionStatus.Failed, 1, Now.AddMinutes(-4));

        Assert.Null(await EvaluateAsync(new AbortCriterion(FailureType.Failed, ConsecutiveFailures: 3, WindowInMinutes: 15)));
        Assert.Equal("abortConfig.criteriaList[0]: the latest 2 executed were FAILED >= 2 consecutive in 15 min",
            (await EvaluateAsync(new AbortCriterion(FailureType.Failed, ConsecutiveFailures: 2, WindowInMinutes: 15)))?.Comment);
    }

    [Fact]
    public async Task A_failure_AWS_retried_stays_counted_when_the_retry_queues_the_execution_again()
    {
        // Ten devices fail their first attempt and AWS queues each again (retryConfig): the records show QUEUED only.
        await RetriedAsync(devices: 10, ExecutionStatus.Failed, then: null);
        await _job.EndAsync(ExecutionStatus.Succeeded, 10, Now.AddMinutes(-3));

        var decision = await EvaluateAsync(new AbortCriterion(FailureType.Failed, ThresholdPercentage: 50m, MinNumberOfExecutedThings: 20));

        Assert.Equal("abortConfig.criteriaList[0]: 10 FAILED of 20 executed (50%) >= 50%", decision?.Comment);
        Assert.Equal(10, (await _job.Store.GetCountsAsync(JobId, Cancel))[ExecutionStatus.Queued]);
    }

    [Fact]
    public async Task Every_attempt_counts_so_a_retry_that_succeeds_leaves_its_first_attempts_failure_counted()
    {
        await RetriedAsync(devices: 4, ExecutionStatus.TimedOut, then: ExecutionStatus.Succeeded);

        var whole = await EvaluateAsync(new AbortCriterion(FailureType.TimedOut, ThresholdCount: 4));
        var windowed = await EvaluateAsync(new AbortCriterion(FailureType.All, ThresholdPercentage: 50m, MinNumberOfExecutedThings: 8, WindowInMinutes: 30));

        Assert.Equal("abortConfig.criteriaList[0]: 4 TIMED_OUT of 8 executed >= 4", whole?.Comment);
        Assert.Equal("abortConfig.criteriaList[0]: 4 FAILED+REJECTED+TIMED_OUT of 8 executed (50%) >= 50% in 30 min", windowed?.Comment);
    }

    [Fact]
    public async Task A_minute_in_which_anything_else_ended_ends_the_run_without_adding_its_failures()
    {
        await _job.EndAsync(ExecutionStatus.Failed, 1, Now.AddMinutes(-9));
        await _job.EndAsync(ExecutionStatus.Failed, 5, Now.AddMinutes(-5).AddSeconds(10));
        await _job.EndAsync(ExecutionStatus.Succeeded, 1, Now.AddMinutes(-5).AddSeconds(20));
        await _job.EndAsync(ExecutionStatus.Failed, 2, Now.AddMinutes(-2));
        await _job.EndAsync(ExecutionStatus.Failed, 1, Now.AddMinutes(-1));

        Assert.NotNull(await EvaluateAsync(new AbortCriterion(FailureType.Failed, ConsecutiveFailures: 3)));
        Assert.Null(await EvaluateAsync(new AbortCriterion(FailureType.Failed, ConsecutiveFailures: 4)));
    }

    [Fact]
    public async Task A_window_over_a_job_whose_every_execution_ended_in_it_reads_one_bucket_per_minute_not_per_execution()
    {
        for (var minute = 0; minute < 15; minute++)
        {
            await _job.EndAsync(minute % 3 == 0 ? ExecutionStatus.Failed : ExecutionStatus.Succeeded, 200, Now.AddMinutes(-minute).AddSeconds(-30));
        }

        var decision = await EvaluateAsync(new AbortCriterion(FailureType.Failed, ThresholdPercentage: 30m, MinNumberOfExecutedThings: 3000, WindowInMinutes: 15));

        Assert.Equal("abortConfig.criteriaList[0]: 1000 FAILED of 3000 executed (33.33%) >= 30% in 15 min", decision?.Comment);
        Assert.InRange(_job.Store.EndedMinutesRead, 15, 16);
    }

    [Fact]
    public async Task A_run_of_consecutive_failures_reads_the_minutes_it_needs_and_no_more()
    {
        await _job.EndAsync(ExecutionStatus.Succeeded, 500, Now.AddHours(-3));
        for (var minute = 1; minute <= 100; minute++)
        {
            await _job.EndAsync(ExecutionStatus.Failed, 1, Now.AddMinutes(-minute));
        }

        Assert.NotNull(await EvaluateAsync(new AbortCriterion(FailureType.Failed, ConsecutiveFailures: 10)));
        Assert.InRange(_job.Store.EndedMinutesRead, 10, 11);
    }

    [Fact]
    public async Task A_job_with_nothing_executed_never_trips()
    {
        Assert.Null(await EvaluateAsync(
            new AbortCriterion(FailureType.All, ThresholdPercentage: 0.01m),
            new AbortCriterion(FailureType.All, ThresholdCount: 1),
            new AbortCriterion(FailureType.All, ConsecutiveFailures: 1, WindowInMinutes: 5)));
    }
}
