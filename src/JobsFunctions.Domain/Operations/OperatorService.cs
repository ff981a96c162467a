using JobsFunctions.Domain.Errors;
using JobsFunctions.Domain.Executions;
using JobsFunctions.Domain.Recording;
using JobsFunctions.Domain.Validation;

namespace JobsFunctions.Domain.Operations;

/// <summary>
/// The operator's three writes, each run the same way:
/// <list type="number">
/// <item>Validate the command and context. An invalid request is answered at once (and audited): AWS is never called.</item>
/// <item>With an Idempotency-Key, claim it for the caller. A key already answered gets that answer again (no second
/// call); a key first used for a different request, or still in flight, is a conflict.</item>
/// <item>Run the action through <see cref="ExecutionActions"/>, the path the sweeper shares: state before from our own
/// record, the AWS call, the observation recorded with id <c>api:&lt;requestId&gt;</c>, the audit entry.</item>
/// <item>Store the answer for the key. Throttled and Unavailable answers are not stored (the claim is released), so
/// a retry with the same key really retries; locally rejected requests never claim the key at all.</item>
/// </list>
/// </summary>
public sealed class OperatorService
{
    /// <summary>Longer than any request can run (API Gateway gives up after 30 s), so a live claim is never taken over.</summary>
    public static readonly TimeSpan IdempotencyLease = TimeSpan.FromMinutes(1);

    public static readonly TimeSpan IdempotencyRetention = TimeSpan.FromHours(24);

    private readonly IJobsControl _jobs;
    private readonly IIdempotencyStore _idempotency;
    private readonly ExecutionActions _actions;
    private readonly TimeProvider _clock;

    /// <param name="actions">Runs each call and records and audits what it did; built on the same <paramref name="jobs"/>.</param>
    public OperatorService(IJobsControl jobs, ExecutionActions actions, IIdempotencyStore idempotency, TimeProvider clock)
    {
        _jobs = jobs;
        _actions = actions;
        _idempotency = idempotency;
        _clock = clock;
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
                // AWS answers nothing: the lifecycle says what an accepted cancel leaves (a version only when one was checked).
                After: (_, before) => ExecutionLifecycle.After(ExecutionStatus.Canceled, command.StatusDetails, before, command.ExpectedVersion),
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
                After: (value, before) => value.ExecutionState
                    ?? ExecutionLifecycle.After(ParseStatus(command.Status), command.StatusDetails, before, command.ExpectedVersion),
                command.ExecutionNumber,
                Replay: stored => stored.ExecutionUpdate ?? new ExecutionUpdate(null, null)),
            context,
            cancellationToken);
    }

    private async Task<Result<T>> RunAsync<T>(Plan<T> plan, OperatorContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var startedAt = _clock.GetUtcNow();
        var actor = Actor.Operator(context);
        var audit = actor.AuditEntry(plan.JobId, plan.ThingName, startedAt, plan.Operation, plan.Parameters, AuditEntry.Succeeded);

        if ((plan.Invalid ?? OperatorContextRules.Check(context)) is { } invalid)
        {
            await _actions.AppendAsync(audit with { Outcome = invalid.Code }, cancellationToken);
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
                await _actions.AppendAsync(audit with { Outcome = answer.Error?.Code ?? AuditEntry.Succeeded, Replayed = replayed }, cancellationToken);
                return answer;
            }
        }

        var answered = false;
        Result<T> Reply(Result<T> result) => result.IsSuccess ? plan.Reply(result.Value) : result;
        try
        {
            var outcome = await _actions.RunAsync(
                new ExecutionAction<T>(plan.Operation, plan.JobId, plan.ThingName, plan.Parameters, plan.Call, plan.After, plan.ExecutionNumber),
                actor,
                async result =>
                {
                    // AWS has answered: the key is settled, even when recording or the audit write failed, so a retry gets
                    // this answer rather than waiting out the lease and then repeating the change.
                    answered = true;
                    if (claim is not null)
                    {
                        await SettleAsync(claim, Reply(result), CancellationToken.None);
                    }
                },
                cancellationToken);
            return Reply(outcome.Result);
        }
        catch when (claim is not null && !answered)
        {
            // AWS was not called, or whether it acted is unknown: free the key, or the caller's retry would be refused as
            // in flight for a whole lease.
            await _idempotency.ReleaseAsync(claim, CancellationToken.None);
            throw;
        }
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
