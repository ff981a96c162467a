using JobsFunctions.Domain.Errors;
using JobsFunctions.Domain.Executions;
using JobsFunctions.Domain.Jobs;
using JobsFunctions.Domain.Operations;
using JobsFunctions.Domain.Recording;
using JobsFunctions.TestSupport;
using JobsFunctions.TestSupport.Operations;
using Microsoft.Extensions.Time.Testing;

namespace JobsFunctions.Domain.Tests.Operations;

/// <summary>
/// The invocation deadline fires while AWS is being called: the adapter answers Unavailable or Throttled, and the
/// request's bookkeeping must still happen, against stores that, like DynamoDB, refuse a cancelled token.
/// </summary>
public sealed class OperatorServiceDeadlineTests
{
    private static readonly Caller Alice = new("arn:aws:iam::111122223333:user/alice", "111122223333", "AIDAALICE", "AKIAALICE");

    private readonly FakeJobsControl _jobs = new FakeJobsControl()
        .AddJob("fw")
        .AddExecution("fw", "t1", ExecutionStatus.InProgress, version: 3);

    private readonly InMemoryAuditLog _audit = new();
    private readonly InMemoryIdempotencyStore _keys = new();
    private readonly InMemoryRecordStore _records = new();
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 22, 19, 0, 0, TimeSpan.Zero));

    private static OperatorContext Context(string requestId, string? key = "op-42") =>
        new(requestId, "POST /things/{thingName}/jobs/{jobId}", Alice, "rollback", key);

    private OperatorService Service(IJobsControl jobs) =>
        OperatorServices.Create(jobs, new TokenCheckingAudit(_audit), new TokenCheckingKeys(_keys), _records, _clock);

    [Theory]
    [InlineData(ErrorKind.Unavailable)]
    [InlineData(ErrorKind.Throttled)]
    public async Task A_call_cut_short_by_the_deadline_is_answered_audited_and_frees_its_key(ErrorKind kind)
    {
        using var deadline = new CancellationTokenSource();
        var answer = kind == ErrorKind.Throttled
            ? JobsControlErrors.Throttled("AWS IoT is throttling UpdateJobExecution; retry later.", TimeSpan.FromSeconds(2))
            : JobsControlErrors.Unavailable("AWS IoT did not answer UpdateJobExecution before the invocation deadline.");
        var command = new UpdateJobExecution("fw", "t1", "SUCCEEDED");

        var result = await Service(new DeadlineDuringCall(_jobs, deadline, answer)).UpdateJobExecutionAsync(command, Context("req-1"), deadline.Token);

        Assert.Equal(kind, result.Error?.Kind);
        var entry = Assert.Single(_audit.Entries);
        Assert.Equal((answer.Code, "rollback"), (entry.Outcome, entry.Reason));
        Assert.Empty(_keys.Entries);

        var retry = await Service(_jobs).UpdateJobExecutionAsync(command, Context("req-2"), TestContext.Current.CancellationToken);
        Assert.True(retry.IsSuccess);
    }

    [Fact]
    public async Task A_conflict_answered_just_as_the_deadline_fires_is_still_audited_and_kept_for_its_key()
    {
        using var deadline = new CancellationTokenSource();
        var conflict = JobsControlErrors.VersionConflict("The execution is no longer at the expected version 2.");
        var command = new UpdateJobExecution("fw", "t1", "SUCCEEDED", ExpectedVersion: 2);

        var result = await Service(new DeadlineDuringCall(_jobs, deadline, conflict)).UpdateJobExecutionAsync(command, Context("req-1"), deadline.Token);

        Assert.Equal(JobsControlErrors.VersionConflictCode, result.Error?.Code);
        Assert.Equal(JobsControlErrors.VersionConflictCode, Assert.Single(_audit.Entries).Outcome);
        Assert.Equal(JobsControlErrors.VersionConflictCode, Assert.Single(_keys.Entries).Response?.Error?.Code);
    }

    /// <summary>Fires the deadline while "AWS" is busy with the write, then answers as the adapter does.</summary>
    private sealed class DeadlineDuringCall(FakeJobsControl inner, CancellationTokenSource deadline, Error answer) : IJobsControl
    {
        public Task<Result<Unit>> UpdateJobAsync(UpdateJob command, CancellationToken cancellationToken) =>
            Task.FromResult(Fire<Unit>());

        public Task<Result<Unit>> CancelJobExecutionAsync(CancelJobExecution command, CancellationToken cancellationToken) =>
            Task.FromResult(Fire<Unit>());

        public Task<Result<ExecutionUpdate>> UpdateJobExecutionAsync(UpdateJobExecution command, CancellationToken cancellationToken) =>
            Task.FromResult(Fire<ExecutionUpdate>());

        public Task<Result<JobDescription>> DescribeJobAsync(string jobId, CancellationToken cancellationToken) =>
            inner.DescribeJobAsync(jobId, cancellationToken);

        public Task<Result<JobExecutionDescription>> DescribeJobExecutionAsync(
            string jobId, string thingName, long? executionNumber, CancellationToken cancellationToken) =>
            cancellationToken.IsCancellationRequested
                ? Task.FromResult<Result<JobExecutionDescription>>(JobsControlErrors.Unavailable("No answer before the deadline."))
                : inner.DescribeJobExecutionAsync(jobId, thingName, executionNumber, cancellationToken);

        public Task<Result<Unit>> CancelJobAsync(CancelJob command, CancellationToken cancellationToken) =>
            Task.FromResult(Fire<Unit>());

        public Task<Result<Page<JobSummary>>> ListJobsAsync(JobStatus? status, int maxResults, string? nextToken, CancellationToken cancellationToken) =>
            inner.ListJobsAsync(status, maxResults, nextToken, cancellationToken);

        public Task<Result<Page<ExecutionSummary>>> ListJobExecutionsForJobAsync(
            string jobId, ExecutionStatus? status, int maxResults, string? nextToken, CancellationToken cancellationToken) =>
            inner.ListJobExecutionsForJobAsync(jobId, status, maxResults, nextToken, cancellationToken);

        public Task<Result<JobEventSwitches>> DescribeEventConfigurationsAsync(CancellationToken cancellationToken) =>
            inner.DescribeEventConfigurationsAsync(cancellationToken);

        private Result<T> Fire<T>()
        {
            deadline.Cancel();
            return answer;
        }
    }

    private sealed class TokenCheckingAudit(IAuditLog inner) : IAuditLog
    {
        public Task AppendAsync(AuditEntry entry, CancellationToken cancellationToken)
        {
            cancellationToken.ThrowIfCancellationRequested();
            return inner.AppendAsync(entry, cancellationToken);
        }

        public Task<Page<AuditEntry>> ListForJobAsync(string jobId, int limit, string? pageToken, CancellationToken cancellationToken) =>
            inner.ListForJobAsync(jobId, limit, pageToken, cancellationToken);
    }

    private sealed class TokenCheckingKeys(IIdempotencyStore inner) : IIdempotencyStore
    {
        public Task<IdempotencyEntry?> TryClaimAsync(IdempotencyEntry claim, CancellationToken cancellationToken)
        {
            cancellationToken.ThrowIfCancellationRequested();
            return inner.TryClaimAsync(claim, cancellationToken);
        }

        public Task CompleteAsync(IdempotencyEntry completed, CancellationToken cancellationToken)
        {
            cancellationToken.ThrowIfCancellationRequested();
            return inner.CompleteAsync(completed, cancellationToken);
        }

        public Task ReleaseAsync(IdempotencyEntry claim, CancellationToken cancellationToken)
        {
            cancellationToken.ThrowIfCancellationRequested();
            return inner.ReleaseAsync(claim, cancellationToken);
        }
    }
}
