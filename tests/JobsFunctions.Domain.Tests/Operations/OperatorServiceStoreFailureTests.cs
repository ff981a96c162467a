using JobsFunctions.Domain.Executions;
using JobsFunctions.Domain.Jobs;
using JobsFunctions.Domain.Operations;
using JobsFunctions.Domain.Recording;
using JobsFunctions.TestSupport;
using JobsFunctions.TestSupport.Operations;
using Microsoft.Extensions.Time.Testing;

namespace JobsFunctions.Domain.Tests.Operations;

public sealed class OperatorServiceStoreFailureTests
{
    private static readonly Caller Alice = new("arn:aws:iam::111122223333:user/alice", "111122223333", "AIDAALICE", "AKIAALICE");

    private readonly FakeJobsControl _jobs = new FakeJobsControl()
        .AddJob("fw")
        .AddExecution("fw", "t1", ExecutionStatus.InProgress, version: 3);

    private readonly InMemoryAuditLog _audit = new();
    private readonly InMemoryIdempotencyStore _keys = new();
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 22, 19, 0, 0, TimeSpan.Zero));

    private static OperatorContext Context(string requestId) =>
        new(requestId, "PUT /things/{thingName}/jobs/{jobId}/cancel", Alice, IdempotencyKey: "op-42");

    [Fact]
    public async Task A_failed_read_of_the_state_before_frees_the_key_so_the_retry_is_not_refused()
    {
        var records = new FailingReads(new InMemoryRecordStore());
        var service = OperatorServices.Create(_jobs, _audit, _keys, records, _clock);
        var command = new CancelJobExecution("fw", "t1", Force: true);

        await Assert.ThrowsAsync<TimeoutException>(() => service.CancelJobExecutionAsync(command, Context("req-1"), TestContext.Current.CancellationToken));
        records.Fail = false;
        var retry = await service.CancelJobExecutionAsync(command, Context("req-2"), TestContext.Current.CancellationToken);

        Assert.True(retry.IsSuccess, retry.Error?.Code);
        Assert.Single(_jobs.CancelCalls);
    }

    [Fact]
    public async Task An_answer_whose_audit_write_fails_is_still_kept_for_its_key_so_a_retry_is_not_sent_again()
    {
        var records = new InMemoryRecordStore();
        var service = OperatorServices.Create(_jobs, new FailingAudit(), _keys, records, _clock);
        var command = new CancelJobExecution("fw", "t1", Force: true);

        await Assert.ThrowsAsync<TimeoutException>(() => service.CancelJobExecutionAsync(command, Context("req-1"), TestContext.Current.CancellationToken));
        var retry = await OperatorServices.Create(_jobs, _audit, _keys, records, _clock)
            .CancelJobExecutionAsync(command, Context("req-2"), TestContext.Current.CancellationToken);

        Assert.True(retry.IsSuccess, retry.Error?.Code);
        Assert.Single(_jobs.CancelCalls);
        Assert.True(Assert.Single(_audit.Entries).Replayed);
    }

    private sealed class FailingAudit : IAuditLog
    {
        public Task AppendAsync(AuditEntry entry, CancellationToken cancellationToken) => throw new TimeoutException("The table did not answer.");

        public Task<Page<AuditEntry>> ListForJobAsync(string jobId, int limit, string? pageToken, CancellationToken cancellationToken) =>
            throw new TimeoutException("The table did not answer.");
    }

    /// <summary>A table that times out on reads until told otherwise.</summary>
    private sealed class FailingReads(InMemoryRecordStore inner) : IRecordStore
    {
        public bool Fail { get; set; } = true;

        public Task<ExecutionRecord?> FindExecutionAsync(string jobId, string thingName, CancellationToken cancellationToken) =>
            Fail ? throw new TimeoutException("The table did not answer.") : inner.FindExecutionAsync(jobId, thingName, cancellationToken);

        public Task<bool> TrySaveExecutionAsync(ExecutionRecord next, CounterChange? counterChange, CancellationToken cancellationToken) =>
            inner.TrySaveExecutionAsync(next, counterChange, cancellationToken);

        public Task<JobRecord?> FindJobAsync(string jobId, CancellationToken cancellationToken) => inner.FindJobAsync(jobId, cancellationToken);

        public Task<bool> TrySaveJobAsync(JobRecord next, CancellationToken cancellationToken) => inner.TrySaveJobAsync(next, cancellationToken);
    }
}
