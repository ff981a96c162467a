using JobsFunctions.Domain.Errors;
using JobsFunctions.Domain.Executions;
using JobsFunctions.Domain.Operations;
using JobsFunctions.TestSupport;
using JobsFunctions.TestSupport.Operations;
using Microsoft.Extensions.Time.Testing;

namespace JobsFunctions.Domain.Tests.Operations;

/// <summary>
/// AWS refusing the function's own credentials (AccessDenied, InvalidSignature…) is an error value like any other:
/// the operator gets an answer naming AWS's code, the audit trail records it, and the idempotency key is settled.
/// </summary>
public sealed class OperatorServiceRefusalTests
{
    private static readonly Caller Alice = new("arn:aws:iam::111122223333:user/alice", "111122223333", "AIDAALICE", "AKIAALICE");

    private readonly FakeJobsControl _jobs = new FakeJobsControl().AddJob("fw").AddExecution("fw", "t1", ExecutionStatus.Queued);
    private readonly InMemoryAuditLog _audit = new();
    private readonly InMemoryIdempotencyStore _keys = new();
    private readonly OperatorService _service;

    public OperatorServiceRefusalTests() =>
        _service = OperatorServices.Create(_jobs, _audit, _keys, new InMemoryRecordStore(), new FakeTimeProvider(new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero)));

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public static TheoryData<string> Operations => ["UpdateJob", "CancelJobExecution", "UpdateJobExecution"];

    [Theory]
    [MemberData(nameof(Operations))]
    public async Task A_refusal_is_answered_audited_with_AWS_s_code_and_kept_under_the_idempotency_key(string operation)
    {
        _jobs.FailNext(JobsControlErrors.Refused("AccessDeniedException", "AWS IoT refused this function's credentials."));

        var first = await RunAsync(operation, "req-1");
        var replay = await RunAsync(operation, "req-2");

        Assert.Equal((ErrorKind.Dependency, "aws.AccessDeniedException"), (first.Kind, first.Code));
        Assert.Equal([("req-1", "aws.AccessDeniedException", false), ("req-2", "aws.AccessDeniedException", true)],
            _audit.Entries.Select(entry => (entry.RequestId, entry.Outcome, entry.Replayed)));
        var key = Assert.Single(_keys.Entries);
        Assert.Equal("aws.AccessDeniedException", key.Response?.Error?.Code);
        Assert.Equal(first.Code, replay.Code);
        Assert.Equal(1, _jobs.WriteCalls);
    }

    private async Task<Error> RunAsync(string operation, string requestId)
    {
        var context = new OperatorContext(requestId, $"route of {operation}", Alice, "narrowed role", "op-42");
        var error = operation switch
        {
            "UpdateJob" => (await _service.UpdateJobAsync(new UpdateJob("fw", Description: "d"), context, Token)).Error,
            "CancelJobExecution" => (await _service.CancelJobExecutionAsync(new CancelJobExecution("fw", "t1"), context, Token)).Error,
            _ => (await _service.UpdateJobExecutionAsync(new UpdateJobExecution("fw", "t1", "IN_PROGRESS"), context, Token)).Error,
        };
        return Assert.IsType<Error>(error);
    }
}
