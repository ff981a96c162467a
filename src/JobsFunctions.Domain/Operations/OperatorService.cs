using JobsFunctions.Domain.Errors;
using JobsFunctions.Domain.Executions;
using JobsFunctions.Domain.Recording;
using JobsFunctions.Domain.Validation;

namespace JobsFunctions.Domain.Operations;

/// <summary>
/// The operator's three writes, each run the same way:
/// <list type="number">
/// <item>Validate the command and context. An invalid request is answered at once: AWS is never called.</item>
/// <item>With an Idempotency-Key, claim it for the caller. A key already answered gets that answer again (no second
/// call); a key first used for a different request, or still in flight, is a conflict.</item>
/// <item>Read the execution's state before, from our own record (no AWS quota spent; it can lag AWS, since QUEUED
/// and IN_PROGRESS publish no events).</item>
/// <item>Call AWS. A state conflict that came without the current state is followed by one DescribeJobExecution, so
/// the caller sees what the execution is now (and the record learns it too).</item>
/// <item>Record what AWS accepted through <see cref="StatusRecorder"/>, as an operator-update observation with id
/// <c>api:&lt;requestId&gt;</c>.</item>
/// <item>Append the audit entry — for failures too, unless the job id itself is invalid and names no job.</item>
/// <item>Store the answer for the key. Throttled and Unavailable answers are not stored (the claim is released), so
/// a retry with the same key really retries; locally rejected requests never claim the key at all.</item>
/// </list>
/// </summary>
public sealed class OperatorService
{
    /// <summary>Longer than any request can run (API Gateway gives up after 30 s), so a live claim is never taken over.</summary>
    public static readonly TimeSpan IdempotencyLease = TimeSpan.FromMinutes(1);

    public static readonly TimeSpan IdempotencyRetention = TimeSpan.FromHours(24);

    private static readonly IReadOnlyDictionary<string, string> NoDetails = new Dictionary<string, string>();

    private readonly IJobsControl _jobs;
    private readonly IAuditLog _audit;
    private readonly IIdempotencyStore _idempotency;
    private readonly IRecordStore _records;
    private readonly StatusRecorder _recorder;
    private readonly TimeProvider _clock;

    public OperatorService(IJobsControl jobs, IAuditLog audit, IIdempotencyStore idempotency, IRecordStore records, TimeProvider clock)
    {
        _jobs = jobs;
        _audit = audit;
        _idempotency = idempotency;
        _records = records;
        _clock = clock;
        _recorder = new StatusRecorder(records, clock);
    }

    public Task<Result<Unit>> UpdateJobAsync(UpdateJob command, OperatorContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        return RunAsync(
            new Plan<Unit>(
                "UpdateJob",
                command.JobId,
                ThingName: null,
                RequestParameters.Of(command),
                UpdateJobRules.Check(command),
                token => _jobs.UpdateJobAsync(command, token),
                Reply: value => value,
                After: (_, _) => null,
                ExecutionNumber: null,
                Replay: _ => Unit.Value),
            context,
            cancellationToken);
    }

    public Task<Result<Unit>> CancelJobExecutionAsync(CancelJobExecution command, OperatorContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        return RunAsync(
            new Plan<Unit>(
                "CancelJobExecution",
                command.JobId,
                command.ThingName,
                RequestParameters.Of(command),
                CancelJobExecutionRules.Check(command),
                token => _jobs.CancelJobExecutionAsync(command, token),
                Reply: value => value,
                // AWS answers nothing; without new details it keeps the old ones, and the new version is not told.
                After: (_, before) => new ExecutionState(ExecutionStatus.Canceled, command.StatusDetails ?? before?.StatusDetails ?? NoDetails, null),
                ExecutionNumber: null,
                Replay: _ => Unit.Value),
            context,
            cancellationToken);
    }

    /// <summary>
    /// AWS is always asked for the execution state, whatever the caller asked, because its versionNumber is what
    /// makes the recorded observation authoritative; the caller gets back only what it asked for.
    /// </summary>
    public Task<Result<ExecutionUpdate>> UpdateJobExecutionAsync(UpdateJobExecution command, OperatorContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        return RunAsync(
            new Plan<ExecutionUpdate>(
                "UpdateJobExecution",
                command.JobId,
                command.ThingName,
                RequestParameters.Of(command),
                UpdateJobExecutionRules.Check(command),
                token => _jobs.UpdateJobExecutionAsync(command with { IncludeJobExecutionState = true }, token),
                Reply: value => new ExecutionUpdate(
                    command.IncludeJobExecutionState == true ? value.ExecutionState : null,
                    command.IncludeJobDocument == true ? value.JobDocument : null),
                After: (value, before) => value.ExecutionState ?? new ExecutionState(
                    ParseStatus(command.Status),
                    command.StatusDetails ?? before?.StatusDetails ?? NoDetails,
                    null),
                command.ExecutionNumber,
                Replay: stored => stored.ExecutionUpdate ?? new ExecutionUpdate(null, null)),
            context,
            cancellationToken);
    }

    private async Task<Result<T>> RunAsync<T>(Plan<T> plan, OperatorContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var startedAt = _clock.GetUtcNow();
        var audit = new AuditEntry(
            plan.JobId, plan.ThingName, context.RequestId, startedAt, context.Caller, plan.Operation, context.Route,
            plan.Parameters, context.Reason, AuditEntry.Succeeded, Before: null, After: null, context.IdempotencyKey);

        if ((plan.Invalid ?? OperatorContextRules.Check(context)) is { } invalid)
        {
            await AppendAsync(audit with { Outcome = invalid.Code }, cancellationToken);
            return invalid;
        }

        IdempotencyEntry? claim = null;
        if (context.IdempotencyKey is { } key)
        {
            claim = new IdempotencyEntry(
                context.Caller.Principal, key, RequestParameters.Fingerprint(plan.Operation, plan.Parameters), context.RequestId,
                startedAt, startedAt + IdempotencyLease, startedAt + IdempotencyRetention);
            if (await _idempotency.TryClaimAsync(claim, cancellationToken) is { } existing)
            {
                var (answer, replayed) = Answer(existing, claim, plan);
                await AppendAsync(audit with { Outcome = OutcomeOf(answer), Replayed = replayed }, cancellationToken);
                return answer;
            }
        }

        ExecutionState? before;
        try
        {
            before = plan.ThingName is null ? null : await ReadStateAsync(plan.JobId, plan.ThingName, cancellationToken);
        }
        catch when (claim is not null)
        {
            // AWS was not called: free the key, or the caller's retry would be refused as in flight for a whole lease.
            await _idempotency.ReleaseAsync(claim, CancellationToken.None);
            throw;
        }

        audit = audit with { Before = before };

        Result<T> result;
        try
        {
            result = await plan.Call(cancellationToken);
        }
        catch
        {
            // Whether AWS acted is unknown: say so in the trail, and free the key so a retry is not refused.
            await AppendAsync(audit with { Outcome = AuditEntry.Unknown }, CancellationToken.None);
            if (claim is not null)
            {
                await _idempotency.ReleaseAsync(claim, CancellationToken.None);
            }

            throw;
        }

        ExecutionState? after = null;
        try
        {
            if (result.IsSuccess)
            {
                after = plan.After(result.Value, before);
                result = plan.Reply(result.Value);
                if (after is not null)
                {
                    await RecordAsync(plan.JobId, plan.ThingName!, after, ObservationSource.OperatorUpdate, $"api:{context.RequestId}",
                        _clock.GetUtcNow(), plan.ExecutionNumber, cancellationToken);
                }
            }
            else if (plan.ThingName is not null && result.Error is { CurrentState: null } conflict && JobsControlErrors.IsStateConflict(conflict))
            {
                result = await WithCurrentStateAsync<T>(conflict, plan.JobId, plan.ThingName, context.RequestId, cancellationToken);
            }
        }
        finally
        {
            // AWS has answered, so the trail and the key say so even if recording failed (the failure still surfaces).
            // Not with the caller's token: when the answer is "no reply before the deadline" that token has already
            // fired, and honouring it would lose the audit entry and leave the key claimed for a whole lease. The
            // deadline margin is there to finish this bookkeeping; the invocation's own timeout still bounds it.
            // The key is settled even when the audit write fails: AWS has acted, and a retry must get this answer
            // rather than wait out the lease and then repeat the change.
            try
            {
                await AppendAsync(audit with { Outcome = OutcomeOf(result), After = after }, CancellationToken.None);
            }
            finally
            {
                if (claim is not null)
                {
                    await SettleAsync(claim, result, CancellationToken.None);
                }
            }
        }

        return result;
    }

    private static (Result<T> Answer, bool Replayed) Answer<T>(IdempotencyEntry existing, IdempotencyEntry claim, Plan<T> plan)
    {
        if (!string.Equals(existing.Fingerprint, claim.Fingerprint, StringComparison.Ordinal))
        {
            return (Error.Conflict("conflict.idempotencyKey.reused",
                "This Idempotency-Key was first used for a different request; use a new key for a new request."), false);
        }

        if (existing.Response is not { } stored)
        {
            return (Error.Conflict("conflict.idempotencyKey.inProgress",
                "A request with this Idempotency-Key is still being processed; retry once it has completed."), false);
        }

        return (stored.Error is { } error ? error : plan.Replay(stored), true);
    }

    private async Task SettleAsync<T>(IdempotencyEntry claim, Result<T> result, CancellationToken cancellationToken)
    {
        if (result.Error?.Kind is ErrorKind.Throttled or ErrorKind.Unavailable)
        {
            await _idempotency.ReleaseAsync(claim, cancellationToken);
            return;
        }

        await _idempotency.CompleteAsync(claim with { Response = StoredResponse.Of(result) }, cancellationToken);
    }

    private async Task<Result<T>> WithCurrentStateAsync<T>(Error conflict, string jobId, string thingName, string requestId, CancellationToken cancellationToken)
    {
        var described = await _jobs.DescribeJobExecutionAsync(jobId, thingName, executionNumber: null, cancellationToken);
        if (!described.IsSuccess)
        {
            return conflict;
        }

        var execution = described.Value;
        await RecordAsync(jobId, thingName, execution.State, ObservationSource.Snapshot, $"api:{requestId}:describe",
            execution.LastUpdatedAt ?? _clock.GetUtcNow(), execution.ExecutionNumber, cancellationToken);
        return conflict with { CurrentState = execution.State };
    }

    private Task<ExecutionRecording> RecordAsync(string jobId, string thingName, ExecutionState state, ObservationSource source, string observationId,
        DateTimeOffset occurredAt, long? executionNumber, CancellationToken cancellationToken) =>
        _recorder.RecordAsync(
            new ExecutionObservation(jobId, thingName, state.Status, state.StatusDetails, source, observationId, occurredAt,
                state.VersionNumber, executionNumber),
            cancellationToken);

    private async Task<ExecutionState?> ReadStateAsync(string jobId, string thingName, CancellationToken cancellationToken) =>
        await _records.FindExecutionAsync(jobId, thingName, cancellationToken) is { } record ? ExecutionState.Of(record) : null;

    /// <summary>An entry is kept under its job; a request whose job id is invalid names no job and is only logged.</summary>
    private Task AppendAsync(AuditEntry entry, CancellationToken cancellationToken) =>
        Identifiers.IsJobId(entry.JobId) ? _audit.AppendAsync(entry, cancellationToken) : Task.CompletedTask;

    private static string OutcomeOf<T>(Result<T> result) => result.Error?.Code ?? AuditEntry.Succeeded;

    private static ExecutionStatus ParseStatus(string? wire) =>
        ExecutionStatuses.TryParse(wire, out var status) ? status : throw new ArgumentException($"Unvalidated status {wire}.", nameof(wire));

    /// <summary>
    /// One operation as the pipeline needs it: how to call AWS, what to answer the caller (<paramref name="Reply"/>),
    /// the execution state AWS's success implies (<paramref name="After"/>, null when no execution changed), and how
    /// to rebuild a success from a stored answer.
    /// </summary>
    private sealed record Plan<T>(
        string Operation,
        string JobId,
        string? ThingName,
        IReadOnlyDictionary<string, string> Parameters,
        Error? Invalid,
        Func<CancellationToken, Task<Result<T>>> Call,
        Func<T, T> Reply,
        Func<T, ExecutionState?, ExecutionState?> After,
        long? ExecutionNumber,
        Func<StoredResponse, T> Replay);
}
