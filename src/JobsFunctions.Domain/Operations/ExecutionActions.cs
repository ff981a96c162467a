using JobsFunctions.Domain.Errors;
using JobsFunctions.Domain.Executions;
using JobsFunctions.Domain.Recording;
using JobsFunctions.Domain.Validation;

namespace JobsFunctions.Domain.Operations;

/// <summary>
/// Who acts on a job, and so what the trail and the ledger say about it: an operator through the API (the IAM caller,
/// the route, the reason header, the idempotency key), or a job's policy through the sweeper (its revision, the
/// decision's reason). <paramref name="RequestId"/> is unique per action; it names the audit entry and the recorded
/// observation (<see cref="ObservationIdPrefix"/>).
/// </summary>
public sealed record Actor(
    string RequestId,
    Caller Caller,
    string Route,
    string? Reason,
    ObservationSource Source,
    string ObservationIdPrefix,
    string? IdempotencyKey = null,
    long? PolicyRevision = null)
{
    /// <summary>The route an action of the sweeper is audited under.</summary>
    public const string SweeperRoute = "sweeper";

    /// <summary>The identity the sweeper's actions are audited as.</summary>
    public static Caller Sweeper { get; } = new(CallerId: "jobsfunctions:policy-sweeper");

    public static Actor Operator(OperatorContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return new Actor(context.RequestId, context.Caller, context.Route, context.Reason, ObservationSource.OperatorUpdate, "api",
            context.IdempotencyKey);
    }

    public static Actor Policy(string requestId, long revision, string reason) =>
        new(requestId, Sweeper, SweeperRoute, reason, ObservationSource.Sweeper, "sweep", PolicyRevision: revision);

    /// <summary>
    /// The audit entry of one action by this actor; a policy's revision joins the parameters as
    /// <c>policy.revision</c>, so each decision names the policy it applied.
    /// </summary>
    public AuditEntry AuditEntry(string jobId, string? thingName, DateTimeOffset at, string operation, IReadOnlyDictionary<string, string> parameters, string outcome) =>
        new(jobId, thingName, RequestId, at, Caller, operation, Route, WithRevision(parameters), Reason, outcome, Before: null, After: null, IdempotencyKey);

    private IReadOnlyDictionary<string, string> WithRevision(IReadOnlyDictionary<string, string> parameters)
    {
        if (PolicyRevision is not { } revision)
        {
            return parameters;
        }

        var withRevision = new SortedDictionary<string, string>(parameters.ToDictionary(), StringComparer.Ordinal)
        {
            ["policy.revision"] = revision.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        return withRevision;
    }
}

/// <summary>
/// One write to AWS IoT Jobs as the action path runs it: the operation's name and flattened parameters (for the trail),
/// the call, and the execution state AWS's success implies (<paramref name="After"/>; null when no execution changed).
/// <paramref name="KnownBefore"/> is the state the caller already read from AWS; without it the state before is read from
/// the store. <paramref name="Known"/> is the execution's record as the caller just read it, if it has one.
/// </summary>
public sealed record ExecutionAction<T>(
    string Operation,
    string JobId,
    string? ThingName,
    IReadOnlyDictionary<string, string> Parameters,
    Func<CancellationToken, Task<Result<T>>> Call,
    Func<T, ExecutionState?, ExecutionState?> After,
    long? ExecutionNumber,
    ExecutionState? KnownBefore = null,
    ExecutionRecord? Known = null);

/// <summary>How an action ended: AWS's answer and the execution's state before and after, where known.</summary>
public sealed record ActionOutcome<T>(Result<T> Result, ExecutionState? Before, ExecutionState? After);

/// <summary>
/// The one path by which anyone changes an execution or a job in AWS IoT Jobs, whoever acts (the operator API and the
/// policy sweeper alike):
/// <list type="number">
/// <item>Take the execution's state before: the one the caller read from AWS, or else our own record (no AWS quota
/// spent; it can lag AWS).</item>
/// <item>Call AWS. A state conflict that came without the current state is followed by one DescribeJobExecution, so the
/// caller sees what the execution is now (and the record learns it too).</item>
/// <item>Record what AWS accepted through <see cref="StatusRecorder"/>, as an observation of the actor's source with id
/// <c>&lt;prefix&gt;:&lt;requestId&gt;</c>.</item>
/// <item>Append the audit entry — for failures too, and with outcome <see cref="AuditEntry.Unknown"/> when the call
/// failed unexpectedly — unless the job id itself is invalid and names no job.</item>
/// </list>
/// </summary>
public sealed class ExecutionActions(IJobsControl jobs, IRecordStore records, IAuditLog audit, TimeProvider clock)
{
    private readonly StatusRecorder _recorder = new(records, clock);

    /// <param name="answered">
    /// Runs once AWS has answered, after the audit entry, even when recording failed (the failure still surfaces):
    /// where the operator API settles its idempotency key.
    /// </param>
    public async Task<ActionOutcome<T>> RunAsync<T>(
        ExecutionAction<T> action, Actor actor, Func<Result<T>, Task>? answered, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(action);
        ArgumentNullException.ThrowIfNull(actor);
        var entry = actor.AuditEntry(action.JobId, action.ThingName, clock.GetUtcNow(), action.Operation, action.Parameters, AuditEntry.Succeeded);
        var before = action.KnownBefore ?? (action.ThingName is null ? null : await ReadStateAsync(action.JobId, action.ThingName, cancellationToken));
        entry = entry with { Before = before };

        Result<T> result;
        try
        {
            result = await action.Call(cancellationToken);
        }
        catch
        {
            // Whether AWS acted is unknown: say so in the trail.
            await AppendAsync(entry with { Outcome = AuditEntry.Unknown }, CancellationToken.None);
            throw;
        }

        ExecutionState? after = null;
        try
        {
            if (result.IsSuccess)
            {
                after = action.After(result.Value, before);
                if (after is not null)
                {
                    await RecordAsync(action.JobId, action.ThingName!, after, actor.Source, $"{actor.ObservationIdPrefix}:{actor.RequestId}",
                        clock.GetUtcNow(), action.ExecutionNumber, action.Known, cancellationToken);
                }
            }
            else if (action.ThingName is not null && result.Error is { CurrentState: null } conflict && JobsControlErrors.IsStateConflict(conflict))
            {
                result = await WithCurrentStateAsync<T>(conflict, action.JobId, action.ThingName, actor, cancellationToken);
            }
        }
        finally
        {
            // AWS has answered, so the trail says so even if recording failed (the failure still surfaces). Not with the
            // caller's token: when the answer is "no reply before the deadline" that token has already fired, and
            // honouring it would lose the audit entry. The deadline margin is there to finish this bookkeeping; the
            // invocation's own timeout still bounds it. The answered hook runs even when the audit write fails: AWS has
            // acted, and the caller's bookkeeping of that must not be lost.
            try
            {
                await AppendAsync(entry with { Outcome = result.Error?.Code ?? AuditEntry.Succeeded, After = after }, CancellationToken.None);
            }
            finally
            {
                if (answered is not null)
                {
                    await answered(result);
                }
            }
        }

        return new ActionOutcome<T>(result, before, after);
    }

    /// <summary>An audit entry for a decision taken without calling AWS (a dry run, a skip), kept under its job.</summary>
    public Task AppendAsync(AuditEntry entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return Identifiers.IsJobId(entry.JobId) ? audit.AppendAsync(entry, cancellationToken) : Task.CompletedTask;
    }

    private async Task<Result<T>> WithCurrentStateAsync<T>(Error conflict, string jobId, string thingName, Actor actor, CancellationToken cancellationToken)
    {
        var described = await jobs.DescribeJobExecutionAsync(jobId, thingName, executionNumber: null, cancellationToken);
        if (!described.IsSuccess)
        {
            return conflict;
        }

        var execution = described.Value;
        await RecordAsync(jobId, thingName, execution.State, ObservationSource.Snapshot, $"{actor.ObservationIdPrefix}:{actor.RequestId}:describe",
            execution.LastUpdatedAt ?? clock.GetUtcNow(), execution.ExecutionNumber, known: null, cancellationToken);
        return conflict with { CurrentState = execution.State };
    }

    private Task<ExecutionRecording> RecordAsync(string jobId, string thingName, ExecutionState state, ObservationSource source, string observationId,
        DateTimeOffset occurredAt, long? executionNumber, ExecutionRecord? known, CancellationToken cancellationToken) =>
        _recorder.RecordAsync(
            [new ExecutionObservation(jobId, thingName, state.Status, state.StatusDetails, source, observationId, occurredAt,
                state.VersionNumber, executionNumber)],
            known,
            cancellationToken);

    private async Task<ExecutionState?> ReadStateAsync(string jobId, string thingName, CancellationToken cancellationToken) =>
        await records.FindExecutionAsync(jobId, thingName, cancellationToken) is { } record ? ExecutionState.Of(record) : null;
}
