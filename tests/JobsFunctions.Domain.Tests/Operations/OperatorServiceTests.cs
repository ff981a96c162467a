using JobsFunctions.Domain.Errors;
using JobsFunctions.Domain.Executions;
using JobsFunctions.Domain.Operations;
using JobsFunctions.TestSupport;
using JobsFunctions.TestSupport.Operations;
using Microsoft.Extensions.Time.Testing;

namespace JobsFunctions.Domain.Tests.Operations;

public sealed class OperatorServiceTests
{
    private static readonly Caller Alice = new("arn:aws:iam::111122223333:user/alice", "111122223333", "AIDAALICE", "AKIAALICE");
    private static readonly Caller Bob = new("arn:aws:iam::111122223333:user/bob", "111122223333", "AIDABOB", "AKIABOB");

    private readonly FakeJobsControl _jobs = new FakeJobsControl()
        .AddJob("fw", "{\"url\":\"s3://bucket/fw.bin\"}")
        .AddExecution("fw", "t1", ExecutionStatus.Queued, version: 1)
        .AddExecution("fw", "t2", ExecutionStatus.InProgress, version: 4, details: new Dictionary<string, string> { ["step"] = "download" });

    private readonly InMemoryAuditLog _audit = new();
    private readonly InMemoryIdempotencyStore _keys = new();
    private readonly InMemoryRecordStore _records = new();
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 22, 19, 0, 0, TimeSpan.Zero));
    private readonly OperatorService _service;

    public OperatorServiceTests() => _service = OperatorServices.Create(_jobs, _audit, _keys, _records, _clock);

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private ExecutionRecord? Recorded(string jobId, string thingName) =>
        _records.Executions.SingleOrDefault(record => record.JobId == jobId && record.ThingName == thingName);

    private static OperatorContext Context(string requestId = "req-1", string? key = null, string? reason = null, Caller? caller = null) =>
        new(requestId, "POST /things/{thingName}/jobs/{jobId}", caller ?? Alice, reason, key);

    public static TheoryData<UpdateJob> InvalidUpdateJobs => new()
    {
        new UpdateJob("fw", Description: ""),
        new UpdateJob("fw", TimeoutConfig: new TimeoutConfig(0)),
        new UpdateJob("fw", AbortConfig: new AbortConfig([new AbortCriteria("ALL", "CANCEL", 10.001m, 1)])),
        new UpdateJob("fw", JobExecutionsRetryConfig: new JobExecutionsRetryConfig([new RetryCriteria("FAILED", 6), new RetryCriteria("ALL", 5)])),
        new UpdateJob("not a job id"),
    };

    public static TheoryData<UpdateJobExecution> InvalidUpdates => new()
    {
        new UpdateJobExecution("fw", "t1", null),
        new UpdateJobExecution("fw", "t1", "DONE"),
        new UpdateJobExecution("fw", "t1", "SUCCEEDED", StepTimeoutInMinutes: 0),
        new UpdateJobExecution("fw", "t1", "SUCCEEDED", Enumerable.Range(0, 11).ToDictionary(i => $"k{i}", i => "v")),
        new UpdateJobExecution("fw", "bad/thing", "SUCCEEDED"),
    };

    public static TheoryData<CancelJobExecution> InvalidCancels => new()
    {
        new CancelJobExecution("", "t1"),
        new CancelJobExecution("fw", ""),
        new CancelJobExecution("fw", "t1", StatusDetails: new Dictionary<string, string> { ["k"] = "" }),
    };

    [Theory]
    [MemberData(nameof(InvalidUpdateJobs))]
    public async Task An_invalid_UpdateJob_never_reaches_AWS(UpdateJob command)
    {
        var result = await _service.UpdateJobAsync(command, Context(key: "k-1"), Token);

        Assert.Equal(ErrorKind.Validation, result.Error?.Kind);
        Assert.Equal(0, _jobs.Calls);
        Assert.Empty(_keys.Entries);
    }

    [Theory]
    [MemberData(nameof(InvalidUpdates))]
    public async Task An_invalid_UpdateJobExecution_never_reaches_AWS(UpdateJobExecution command)
    {
        var result = await _service.UpdateJobExecutionAsync(command, Context(key: "k-1"), Token);

        Assert.Equal(ErrorKind.Validation, result.Error?.Kind);
        Assert.Equal(0, _jobs.Calls);
        Assert.Empty(_keys.Entries);
    }

    [Theory]
    [MemberData(nameof(InvalidCancels))]
    public async Task An_invalid_CancelJobExecution_never_reaches_AWS(CancelJobExecution command)
    {
        var result = await _service.CancelJobExecutionAsync(command, Context(key: "k-1"), Token);

        Assert.Equal(ErrorKind.Validation, result.Error?.Kind);
        Assert.Equal(0, _jobs.Calls);
    }

    [Fact]
    public async Task An_invalid_header_value_never_reaches_AWS_either()
    {
        var result = await _service.CancelJobExecutionAsync(new CancelJobExecution("fw", "t1"), Context(reason: "bad\u0001reason"), Token);

        Assert.Equal("validation.reason.pattern", result.Error?.Code);
        Assert.Equal(0, _jobs.Calls);
    }

    [Fact]
    public async Task A_rejected_request_is_audited_with_its_error_code()
    {
        await _service.UpdateJobAsync(new UpdateJob("fw", TimeoutConfig: new TimeoutConfig(99999)), Context(reason: "slow devices"), Token);

        var entry = Assert.Single(_audit.Entries);
        Assert.Equal("validation.timeoutConfig.inProgressTimeoutInMinutes.tooLarge", entry.Outcome);
        Assert.Equal("99999", entry.Parameters["timeoutConfig.inProgressTimeoutInMinutes"]);
        Assert.Equal("slow devices", entry.Reason);
        Assert.Equal(Alice, entry.Caller);
    }

    [Fact]
    public async Task A_request_whose_job_id_is_invalid_is_not_attributed_to_any_job()
    {
        await _service.UpdateJobAsync(new UpdateJob(new string('j', 65)), Context(), Token);

        Assert.Empty(_audit.Entries);
    }

    [Fact]
    public async Task UpdateJob_is_forwarded_as_given_and_audited_as_a_success()
    {
        var command = new UpdateJob("fw", Description: "wave 2", TimeoutConfig: new TimeoutConfig(30));

        var result = await _service.UpdateJobAsync(command, Context(reason: "wave 2 starts"), Token);

        Assert.True(result.IsSuccess);
        Assert.Equal(command, Assert.Single(_jobs.UpdateJobCalls));
        var entry = Assert.Single(_audit.Entries);
        Assert.Equal((AuditEntry.Succeeded, "UpdateJob", "wave 2 starts"), (entry.Outcome, entry.Operation, entry.Reason));
        Assert.Null(entry.Before);
        Assert.Equal(_clock.GetUtcNow(), entry.At);
    }

    [Fact]
    public async Task UpdateJob_of_an_unknown_job_is_not_found()
    {
        var result = await _service.UpdateJobAsync(new UpdateJob("nope"), Context(), Token);

        Assert.Equal(ErrorKind.NotFound, result.Error?.Kind);
        Assert.Equal("notFound.resource", Assert.Single(_audit.Entries).Outcome);
    }

    [Fact]
    public async Task An_execution_update_is_recorded_with_the_version_AWS_returned()
    {
        var result = await _service.UpdateJobExecutionAsync(
            new UpdateJobExecution("fw", "t1", "IN_PROGRESS", new Dictionary<string, string> { ["step"] = "flash" }), Context("req-7"), Token);

        Assert.True(result.IsSuccess);
        var record = Recorded("fw", "t1");
        Assert.NotNull(record);
        Assert.Equal((ExecutionStatus.InProgress, 2L), (record.Status, record.VersionNumber));
        var entry = Assert.Single(record.Ledger);
        Assert.Equal(("api:req-7", ObservationSource.OperatorUpdate), (entry.ObservationId, entry.Source));
        Assert.Equal("flash", entry.StatusDetails["step"]);
    }

    [Fact]
    public async Task AWS_is_asked_for_the_state_but_the_caller_gets_only_what_it_asked_for()
    {
        var result = await _service.UpdateJobExecutionAsync(new UpdateJobExecution("fw", "t1", "IN_PROGRESS"), Context(), Token);

        Assert.True(Assert.Single(_jobs.UpdateExecutionCalls).IncludeJobExecutionState);
        Assert.Equal(new ExecutionUpdate(null, null), result.Value);
    }

    [Fact]
    public async Task The_state_and_the_job_document_come_back_when_asked_for()
    {
        var result = await _service.UpdateJobExecutionAsync(
            new UpdateJobExecution("fw", "t1", "IN_PROGRESS", IncludeJobExecutionState: true, IncludeJobDocument: true), Context(), Token);

        Assert.Equal(ExecutionStatus.InProgress, result.Value.ExecutionState?.Status);
        Assert.Equal(2, result.Value.ExecutionState?.VersionNumber);
        Assert.Equal("{\"url\":\"s3://bucket/fw.bin\"}", result.Value.JobDocument);
    }

    [Fact]
    public async Task The_audit_entry_holds_the_recorded_state_before_and_the_state_AWS_returned_after()
    {
        await _service.UpdateJobExecutionAsync(new UpdateJobExecution("fw", "t1", "IN_PROGRESS"), Context("req-1"), Token);
        await _service.UpdateJobExecutionAsync(new UpdateJobExecution("fw", "t1", "SUCCEEDED"), Context("req-2"), Token);

        var second = _audit.Entries[1];
        Assert.Equal((ExecutionStatus.InProgress, 2L), (second.Before?.Status, second.Before?.VersionNumber));
        Assert.Equal((ExecutionStatus.Succeeded, 3L), (second.After?.Status, second.After?.VersionNumber));
    }

    [Fact]
    public async Task A_cancel_is_recorded_as_CANCELED_keeping_the_details_when_none_are_given()
    {
        await _service.UpdateJobExecutionAsync(new UpdateJobExecution("fw", "t2", "IN_PROGRESS"), Context("req-1"), Token);

        var result = await _service.CancelJobExecutionAsync(new CancelJobExecution("fw", "t2", Force: true), Context("req-2"), Token);

        Assert.True(result.IsSuccess);
        var record = Recorded("fw", "t2")!;
        Assert.Equal(ExecutionStatus.Canceled, record.Status);
        Assert.Equal("download", record.StatusDetails["step"]);
        Assert.Contains(record.Ledger, entry => entry.ObservationId == "api:req-2" && entry.Source == ObservationSource.OperatorUpdate);
        Assert.Equal(ExecutionStatus.Canceled, _audit.Entries[1].After?.Status);
    }

    [Fact]
    public async Task A_stale_expected_version_is_a_conflict_showing_the_current_state()
    {
        var result = await _service.CancelJobExecutionAsync(new CancelJobExecution("fw", "t2", Force: true, ExpectedVersion: 3), Context("req-9"), Token);

        Assert.Equal(JobsControlErrors.VersionConflictCode, result.Error?.Code);
        Assert.Equal((ExecutionStatus.InProgress, 4L), (result.Error?.CurrentState?.Status, result.Error?.CurrentState?.VersionNumber));
        Assert.Single(_jobs.DescribeCalls);
        var learned = Recorded("fw", "t2")!;
        Assert.Equal(("api:req-9:describe", ObservationSource.Snapshot), (learned.Ledger[0].ObservationId, learned.Ledger[0].Source));
        Assert.Equal(JobsControlErrors.VersionConflictCode, Assert.Single(_audit.Entries).Outcome);
    }

    [Fact]
    public async Task Cancelling_an_IN_PROGRESS_execution_without_force_is_an_invalid_transition()
    {
        var result = await _service.CancelJobExecutionAsync(new CancelJobExecution("fw", "t2"), Context(), Token);

        Assert.Equal(JobsControlErrors.InvalidTransitionCode, result.Error?.Code);
        Assert.Equal(ExecutionStatus.InProgress, result.Error?.CurrentState?.Status);
    }

    [Fact]
    public async Task A_conflict_stays_as_AWS_said_when_the_current_state_cannot_be_read()
    {
        _jobs.FailNext(JobsControlErrors.VersionConflict("stale")).FailNext(JobsControlErrors.Throttled("slow down"));

        var result = await _service.CancelJobExecutionAsync(new CancelJobExecution("fw", "t1"), Context(), Token);

        Assert.Equal(JobsControlErrors.VersionConflictCode, result.Error?.Code);
        Assert.Null(result.Error?.CurrentState);
    }

    [Fact]
    public async Task A_conflict_that_carries_the_state_needs_no_describe()
    {
        var state = new ExecutionState(ExecutionStatus.Succeeded, new Dictionary<string, string>(), 9);
        _jobs.FailNext(JobsControlErrors.InvalidTransition("terminal", state));

        var result = await _service.UpdateJobExecutionAsync(new UpdateJobExecution("fw", "t1", "FAILED"), Context(), Token);

        Assert.Same(state, result.Error?.CurrentState);
        Assert.Empty(_jobs.DescribeCalls);
    }

    [Fact]
    public async Task A_replayed_idempotency_key_gets_the_first_answer_without_a_second_call()
    {
        var command = new UpdateJobExecution("fw", "t1", "IN_PROGRESS", IncludeJobExecutionState: true);
        var first = await _service.UpdateJobExecutionAsync(command, Context("req-1", key: "op-42"), Token);

        var replay = await _service.UpdateJobExecutionAsync(command, Context("req-2", key: "op-42"), Token);

        Assert.Single(_jobs.UpdateExecutionCalls);
        Assert.Equal(first.Value, replay.Value);
        Assert.Equal(2L, replay.Value.ExecutionState?.VersionNumber);
        Assert.True(_audit.Entries[1].Replayed);
    }

    [Fact]
    public async Task A_replayed_failure_is_the_same_failure()
    {
        var command = new CancelJobExecution("fw", "t2");
        var first = await _service.CancelJobExecutionAsync(command, Context("req-1", key: "op-42"), Token);

        var replay = await _service.CancelJobExecutionAsync(command, Context("req-2", key: "op-42"), Token);

        Assert.Single(_jobs.CancelCalls);
        Assert.Equal(first.Error, replay.Error);
    }

    [Fact]
    public async Task A_key_reused_for_a_different_request_is_a_conflict_and_reaches_nothing()
    {
        await _service.UpdateJobExecutionAsync(new UpdateJobExecution("fw", "t1", "IN_PROGRESS"), Context("req-1", key: "op-42"), Token);

        var reused = await _service.UpdateJobExecutionAsync(new UpdateJobExecution("fw", "t1", "SUCCEEDED"), Context("req-2", key: "op-42"), Token);

        Assert.Equal("conflict.idempotencyKey.reused", reused.Error?.Code);
        Assert.Single(_jobs.UpdateExecutionCalls);
    }

    [Fact]
    public async Task The_same_key_from_another_caller_is_another_request()
    {
        var command = new UpdateJobExecution("fw", "t1", "IN_PROGRESS");
        await _service.UpdateJobExecutionAsync(command, Context("req-1", key: "op-42", caller: Alice), Token);

        await _service.UpdateJobExecutionAsync(command, Context("req-2", key: "op-42", caller: Bob), Token);

        Assert.Equal(2, _jobs.UpdateExecutionCalls.Count);
    }

    [Fact]
    public async Task A_key_still_in_flight_is_a_conflict_until_its_lease_passes()
    {
        var command = new UpdateJob("fw", Description: "x");
        var fingerprint = RequestParameters.Fingerprint("UpdateJob", RequestParameters.Of(command));
        var now = _clock.GetUtcNow();
        await _keys.TryClaimAsync(new IdempotencyEntry(Alice.Principal, "op-42", fingerprint, "req-0", now, now + OperatorService.IdempotencyLease, now.AddDays(1)), Token);

        var during = await _service.UpdateJobAsync(command, Context("req-1", key: "op-42"), Token);
        _clock.Advance(OperatorService.IdempotencyLease + TimeSpan.FromSeconds(1));
        var after = await _service.UpdateJobAsync(command, Context("req-2", key: "op-42"), Token);

        Assert.Equal("conflict.idempotencyKey.inProgress", during.Error?.Code);
        Assert.True(after.IsSuccess);
        Assert.Single(_jobs.UpdateJobCalls);
    }

    [Theory]
    [InlineData(ErrorKind.Throttled)]
    [InlineData(ErrorKind.Unavailable)]
    public async Task A_transient_failure_is_not_kept_so_a_retry_with_the_same_key_really_retries(ErrorKind kind)
    {
        _jobs.FailNext(kind == ErrorKind.Throttled ? JobsControlErrors.Throttled("slow down", TimeSpan.FromSeconds(2)) : JobsControlErrors.Unavailable("down"));
        var command = new UpdateJobExecution("fw", "t1", "IN_PROGRESS");

        var first = await _service.UpdateJobExecutionAsync(command, Context("req-1", key: "op-42"), Token);
        var retry = await _service.UpdateJobExecutionAsync(command, Context("req-2", key: "op-42"), Token);

        Assert.Equal(kind, first.Error?.Kind);
        Assert.True(retry.IsSuccess);
        Assert.Equal(2, _jobs.UpdateExecutionCalls.Count);
    }

    [Fact]
    public async Task A_throttled_answer_carries_the_wait_AWS_asked_for()
    {
        _jobs.FailNext(JobsControlErrors.Throttled("slow down", TimeSpan.FromSeconds(3)));

        var result = await _service.UpdateJobAsync(new UpdateJob("fw"), Context(), Token);

        Assert.Equal(TimeSpan.FromSeconds(3), result.Error?.RetryAfter);
    }

    [Fact]
    public async Task An_unexpected_failure_is_audited_as_unknown_frees_the_key_and_surfaces()
    {
        _jobs.ThrowNext = new HttpRequestException("connection reset");

        await Assert.ThrowsAsync<HttpRequestException>(() =>
            _service.CancelJobExecutionAsync(new CancelJobExecution("fw", "t1"), Context(key: "op-42"), Token));

        Assert.Equal(AuditEntry.Unknown, Assert.Single(_audit.Entries).Outcome);
        Assert.Empty(_keys.Entries);
    }

    [Fact]
    public async Task The_idempotency_key_and_reason_are_kept_in_the_audit_entry()
    {
        await _service.CancelJobExecutionAsync(new CancelJobExecution("fw", "t1"), Context(key: "op-42", reason: "device is being replaced"), Token);

        var entry = Assert.Single(_audit.Entries);
        Assert.Equal(("op-42", "device is being replaced", "t1"), (entry.IdempotencyKey, entry.Reason, entry.ThingName));
    }
}
