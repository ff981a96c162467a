using JobsFunctions.Domain.Errors;
using JobsFunctions.Domain.Executions;
using JobsFunctions.Domain.Jobs;
using JobsFunctions.Domain.Operations;
using JobsFunctions.TestSupport.Operations;
using Microsoft.Extensions.Time.Testing;

namespace JobsFunctions.Domain.Tests.Operations;

/// <summary>The in-memory IoT Jobs the sweeper's tests rely on behaves as AWS documents the calls it fakes.</summary>
public sealed class FakeJobsControlTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);

    private readonly FakeTimeProvider _time = new(Now);
    private readonly FakeJobsControl _jobs;

    public FakeJobsControlTests() => _jobs = new FakeJobsControl(_time);

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task CancelJob_without_force_cancels_only_queued_executions_and_moves_their_versions()
    {
        _jobs.AddExecution("fw", "q", ExecutionStatus.Queued, version: 1)
            .AddExecution("fw", "p", ExecutionStatus.InProgress, version: 4)
            .AddExecution("fw", "s", ExecutionStatus.Succeeded, version: 3)
            .AddExecution("other", "q", ExecutionStatus.Queued, version: 1);

        var result = await _jobs.CancelJobAsync(new CancelJob("fw", Force: false, "POLICY_ABORT", "too many failures"), Token);

        Assert.True(result.IsSuccess);
        Assert.Equal((ExecutionStatus.Canceled, 2L, false), Summary("fw", "q"));
        Assert.Equal((ExecutionStatus.InProgress, 4L, false), Summary("fw", "p"));
        Assert.Equal((ExecutionStatus.Succeeded, 3L, false), Summary("fw", "s"));
        Assert.Equal((ExecutionStatus.Queued, 1L, false), Summary("other", "q"));
        Assert.Equal((JobStatus.Canceled, "POLICY_ABORT", "too many failures", false), _jobs.Job("fw"));
        Assert.Equal(Now, _jobs.Execution("fw", "q")!.LastUpdatedAt);
    }

    [Fact]
    public async Task CancelJob_with_force_cancels_in_progress_executions_too()
    {
        _jobs.AddExecution("fw", "q", ExecutionStatus.Queued).AddExecution("fw", "p", ExecutionStatus.InProgress, version: 4);

        await _jobs.CancelJobAsync(new CancelJob("fw", Force: true), Token);

        Assert.Equal((ExecutionStatus.Canceled, 2L, false), Summary("fw", "q"));
        Assert.Equal((ExecutionStatus.Canceled, 5L, true), Summary("fw", "p"));
        Assert.True(_jobs.Job("fw")!.Value.ForceCanceled);
    }

    [Theory]
    [InlineData(JobStatus.Completed)]
    [InlineData(JobStatus.DeletionInProgress)]
    public async Task CancelJob_of_a_finished_or_vanishing_job_is_rejected(JobStatus status)
    {
        _jobs.AddJob("fw", status: status);

        var error = (await _jobs.CancelJobAsync(new CancelJob("fw"), Token)).Error;

        Assert.Equal(ErrorKind.Validation, error!.Kind);
        Assert.Equal(status, _jobs.Job("fw")!.Value.Status);
    }

    [Fact]
    public async Task CancelJob_of_an_unknown_job_is_not_found()
    {
        Assert.Equal(ErrorKind.NotFound, (await _jobs.CancelJobAsync(new CancelJob("nope"), Token)).Error!.Kind);
    }

    [Fact]
    public async Task ListJobs_pages_with_a_token_through_jobs_of_one_status()
    {
        foreach (var id in new[] { "e", "a", "c", "b", "d" })
        {
            _jobs.AddJob(id);
        }

        _jobs.AddJob("z", status: JobStatus.Completed);
        var seen = new List<string>();
        string? token = null;
        do
        {
            var page = (await _jobs.ListJobsAsync(JobStatus.InProgress, 2, token, Token)).Value;
            Assert.True(page.Items.Count <= 2);
            seen.AddRange(page.Items.Select(j => j.JobId));
            token = page.NextPageToken;
        }
        while (token is not null);

        // ListJobs answers in the order the jobs were created, as the emulator does.
        Assert.Equal(["e", "a", "c", "b", "d"], seen);
        Assert.Equal(3, _jobs.ListJobsCalls.Count);
    }

    [Fact]
    public async Task ListJobExecutionsForJob_pages_one_status_with_AWS_times_and_refuses_a_foreign_token()
    {
        var queuedAt = Now.AddHours(-2);
        _jobs.AddExecution("fw", "t1", ExecutionStatus.Queued)
            .AddExecution("fw", "t2", ExecutionStatus.InProgress, startedAt: Now.AddHours(-1))
            .AddExecution("fw", "t3", ExecutionStatus.Queued, queuedAt: queuedAt, lastUpdatedAt: queuedAt, retryAttempt: 1);

        var first = (await _jobs.ListJobExecutionsForJobAsync("fw", ExecutionStatus.Queued, 1, null, Token)).Value;
        var second = (await _jobs.ListJobExecutionsForJobAsync("fw", ExecutionStatus.Queued, 1, first.NextPageToken, Token)).Value;
        var foreign = await _jobs.ListJobExecutionsForJobAsync("fw", null, 1, "someone-else's", Token);

        Assert.Equal("t1", Assert.Single(first.Items).ThingName);
        Assert.Equal(new ExecutionSummary("t3", ExecutionStatus.Queued, 1, 1, queuedAt, null, queuedAt), Assert.Single(second.Items));
        Assert.Null(second.NextPageToken);
        Assert.Equal(ErrorKind.Validation, foreign.Error!.Kind);
    }

    [Fact]
    public async Task Event_switches_answer_what_the_test_set()
    {
        _jobs.EventSwitches = new JobEventSwitches(JobEvents: true, JobExecutionEvents: false);

        Assert.Equal(new JobEventSwitches(true, false), (await _jobs.DescribeEventConfigurationsAsync(Token)).Value);
        Assert.Equal(1, _jobs.DescribeEventConfigurationsCalls);
    }

    [Fact]
    public async Task Reads_count_as_calls_but_not_as_writes()
    {
        _jobs.AddExecution("fw", "t1", ExecutionStatus.Queued);

        await _jobs.ListJobsAsync(null, 10, null, Token);
        await _jobs.ListJobExecutionsForJobAsync("fw", null, 10, null, Token);
        await _jobs.DescribeJobExecutionAsync("fw", "t1", null, Token);
        await _jobs.DescribeEventConfigurationsAsync(Token);
        Assert.Equal((0, 4), (_jobs.WriteCalls, _jobs.Calls));

        await _jobs.CancelJobAsync(new CancelJob("fw"), Token);
        Assert.Equal((1, 5), (_jobs.WriteCalls, _jobs.Calls));
    }

    [Fact]
    public async Task A_queued_failure_answers_the_next_call_of_any_kind()
    {
        _jobs.AddJob("fw").FailNext(JobsControlErrors.Throttled("slow down"));

        var error = (await _jobs.ListJobsAsync(null, 10, null, Token)).Error;

        Assert.Equal(ErrorKind.Throttled, error!.Kind);
        Assert.True((await _jobs.ListJobsAsync(null, 10, null, Token)).IsSuccess);
    }

    [Fact]
    public async Task A_stale_expected_version_comes_back_as_the_adapter_maps_it_a_version_conflict_with_the_current_state()
    {
        _jobs.AddExecution("fw", "t1", ExecutionStatus.InProgress, version: 3);

        var error = (await _jobs.UpdateJobExecutionAsync(new UpdateJobExecution("fw", "t1", "SUCCEEDED", ExpectedVersion: 2), Token)).Error;

        Assert.Equal(JobsControlErrors.VersionConflictCode, error!.Code);
        Assert.Equal((ExecutionStatus.InProgress, 3L), (error.CurrentState!.Status, error.CurrentState.VersionNumber));
        Assert.Equal((ExecutionStatus.InProgress, 3L, false), Summary("fw", "t1"));
    }

    [Fact]
    public async Task An_update_of_a_terminal_execution_is_an_invalid_transition()
    {
        _jobs.AddExecution("fw", "t1", ExecutionStatus.Succeeded, version: 3);

        var error = (await _jobs.UpdateJobExecutionAsync(new UpdateJobExecution("fw", "t1", "IN_PROGRESS"), Token)).Error;

        Assert.Equal(JobsControlErrors.InvalidTransitionCode, error!.Code);
    }

    private (ExecutionStatus, long?, bool) Summary(string jobId, string thingName)
    {
        var execution = _jobs.Execution(jobId, thingName)!;
        return (execution.Status, execution.VersionNumber, execution.ForceCanceled);
    }
}
