using System.Globalization;
using JobsFunctions.Domain.Executions;
using JobsFunctions.Domain.Jobs;
using JobsFunctions.Domain.Operations;
using JobsFunctions.Domain.Policies;
using JobsFunctions.Domain.Recording;
using JobsFunctions.Domain.Validation;

namespace JobsFunctions.Domain.Sweeping;

/// <summary>
/// Acts on a job's plan through <see cref="ExecutionActions"/> (each action recorded and audited with the policy
/// revision). An abort is CancelJob with reasonCode POLICY_ABORT. A timeout action first describes the execution
/// (never act on the store alone), judges it again on what AWS says, and cancels it (forced when IN_PROGRESS) or fails
/// it, with the described version as expectedVersion and statusDetails naming the policy and the reason. A version
/// conflict or invalid transition means the device moved: the action is skipped and the skip audited, never retried.
/// A dry-run policy audits what it would do instead, once per decision (see <see cref="DryRunAsync"/>).
/// </summary>
public sealed class PolicyEnforcement(
    IJobsControl jobs, ExecutionActions actions, StatusRecorder recorder, ISweepState state, TimeProvider clock, SweeperOptions options)
{
    public const string AbortReasonCode = "POLICY_ABORT";

    /// <summary>The audit outcome of a dry-run decision.</summary>
    public const string DryRunOutcome = "dryRun";

    /// <summary>statusDetails keys the sweeper sets on an execution it cancels or fails.</summary>
    public const string PolicyDetailKey = "jobsfunctions:policy";

    public const string ReasonDetailKey = "jobsfunctions:reason";

    /// <summary>Cancels the job (or audits that a dry run would). True when the run must stop.</summary>
    internal async Task<bool> AbortAsync(PlannedAction abort, JobPolicy policy, long revision, SweepTally tally)
    {
        var command = new CancelJob(abort.JobId, abort.Force, AbortReasonCode, Truncate(abort.Reason, 2028));
        var actor = Actor.Policy(tally.RequestId(abort.JobId, null), revision, abort.Reason);
        if (policy.DryRun)
        {
            await DryRunAsync(actor.AuditEntry(abort.JobId, null, clock.GetUtcNow(), abort.Operation, RequestParameters.Of(command), DryRunOutcome),
                DecisionMark(abort, executionNumber: null, revision), tally);
            return false;
        }

        var outcome = await actions.RunAsync(
            new ExecutionAction<Unit>(abort.Operation, abort.JobId, null, RequestParameters.Of(command), token => jobs.CancelJobAsync(command, token),
                After: (_, _) => null, ExecutionNumber: null),
            actor, answered: null, tally.Token);
        if (!outcome.Result.IsSuccess)
        {
            return tally.Failed(abort.JobId, outcome.Result.Error);
        }

        tally.Actions++;
        await recorder.RecordAsync(
            new JobObservation(abort.JobId, JobStatus.CancellationInProgress, $"sweep:{actor.RequestId}", clock.GetUtcNow(), command.Comment, command.ReasonCode),
            tally.Token);
        return false;
    }

    /// <summary>Acts on one timed-out execution after describing it (or audits that a dry run would). True when the run must stop.</summary>
    internal async Task<bool> TimeOutAsync(
        PlannedTimeout timeout, JobPolicy policy, string label, long revision, JobReconciliation reconciliation, SweepTally tally)
    {
        var (planned, record) = (timeout.Action, timeout.Record);
        var (jobId, thingName) = (planned.JobId, planned.ThingName!);
        var requestId = tally.RequestId(jobId, thingName);
        if (policy.DryRun)
        {
            var parameters = planned.Kind == PlannedActionKind.FailExecution
                ? RequestParameters.Of(new UpdateJobExecution(jobId, thingName, ExecutionStatus.Failed.ToWire()))
                : RequestParameters.Of(new CancelJobExecution(jobId, thingName, planned.Force));
            var entry = Actor.Policy(requestId, revision, planned.Reason)
                .AuditEntry(jobId, thingName, clock.GetUtcNow(), planned.Operation, parameters, DryRunOutcome);
            await DryRunAsync(entry with { Before = ExecutionState.Of(record) }, DecisionMark(planned, record.ExecutionNumber, revision), tally);
            return false;
        }

        var described = await jobs.DescribeJobExecutionAsync(jobId, thingName, null, tally.Token);
        if (!described.IsSuccess)
        {
            return tally.Failed(jobId, described.Error);
        }

        var execution = described.Value;
        var recorded = ExecutionTimes.Of(record);
        var times = new ExecutionTimes(execution.QueuedAt ?? recorded.QueuedAt, execution.StartedAt ?? recorded.StartedAt,
            execution.LastUpdatedAt ?? recorded.LastChangedAt);
        if (TimeoutRules.Check(execution.Status, times, policy.Timeouts, tally.JudgedAt) is not { } verdict || execution.VersionNumber is null)
        {
            // The store lagged AWS: learn what AWS says, and leave the execution alone.
            await reconciliation.RecordAsync(Snapshots.Of(execution, clock.GetUtcNow()), record, tally);
            return false;
        }

        var reason = $"{label}: {verdict.Reason}";
        var details = DetailsFor(execution.StatusDetails, label, reason);
        var actor = Actor.Policy(requestId, revision, reason);
        Result<Unit> result;
        if (planned.Kind == PlannedActionKind.FailExecution)
        {
            var command = new UpdateJobExecution(jobId, thingName, ExecutionStatus.Failed.ToWire(), details,
                ExpectedVersion: execution.VersionNumber, IncludeJobExecutionState: true, ExecutionNumber: execution.ExecutionNumber);
            var outcome = await actions.RunAsync(
                new ExecutionAction<ExecutionUpdate>(planned.Operation, jobId, thingName, RequestParameters.Of(command),
                    token => jobs.UpdateJobExecutionAsync(command, token),
                    After: (value, _) => value.ExecutionState ?? ExecutionLifecycle.After(ExecutionStatus.Failed, details, execution.State, execution.VersionNumber),
                    execution.ExecutionNumber, KnownBefore: execution.State, Known: record),
                actor, answered: null, tally.Token);
            result = outcome.Result.IsSuccess ? Unit.Value : outcome.Result.Error;
        }
        else
        {
            var command = new CancelJobExecution(jobId, thingName, ExecutionLifecycle.CancelNeedsForce(execution.Status), execution.VersionNumber, details);
            var outcome = await actions.RunAsync(
                new ExecutionAction<Unit>(planned.Operation, jobId, thingName, RequestParameters.Of(command),
                    token => jobs.CancelJobExecutionAsync(command, token),
                    After: (_, _) => ExecutionLifecycle.After(ExecutionStatus.Canceled, details, execution.State, execution.VersionNumber),
                    execution.ExecutionNumber, KnownBefore: execution.State, Known: record),
                actor, answered: null, tally.Token);
            result = outcome.Result;
        }

        if (result.IsSuccess)
        {
            tally.Actions++;
            return false;
        }

        if (JobsControlErrors.IsStateConflict(result.Error))
        {
            // The device moved between the describe and the action: its state is recorded and the skip audited.
            tally.Skips++;
            return false;
        }

        return tally.Failed(jobId, result.Error);
    }

    /// <summary>
    /// Audits a dry-run decision once. The decision is claimed first with a conditional write in the sweep state,
    /// keyed by (job, execution and its execution number, the API the action would call, policy revision) and
    /// forgotten after <see cref="SweeperOptions.DryRunRepeatAfterOrDefault"/>: overlapping runs, and every later run
    /// while the decision stands, find the claim and audit nothing. When the audit write fails the claim is given
    /// back, so the next run audits it.
    /// </summary>
    private async Task DryRunAsync(AuditEntry entry, string mark, SweepTally tally)
    {
        var now = clock.GetUtcNow();
        if (!await state.TryMarkAsync(mark, now, now + options.DryRunRepeatAfterOrDefault, tally.Token))
        {
            return;
        }

        try
        {
            await actions.AppendAsync(entry, tally.Token);
        }
        catch
        {
            await state.UnmarkAsync(mark, CancellationToken.None);
            throw;
        }

        tally.DryRunActions++;
    }

    private static string DecisionMark(PlannedAction action, long? executionNumber, long revision) => string.Create(CultureInfo.InvariantCulture,
        $"dryRun|{action.JobId}|{action.ThingName ?? "-"}|{executionNumber?.ToString(CultureInfo.InvariantCulture) ?? "-"}|{action.Operation}|{revision}");

    /// <summary>
    /// The execution's details with the policy and the reason added (AWS replaces the map when one is given, so the
    /// device's own pairs are kept), within AWS's limits: at most 10 pairs (the device's last keys give way), values of
    /// at most 1,024 characters.
    /// </summary>
    private static Dictionary<string, string> DetailsFor(IReadOnlyDictionary<string, string> current, string label, string reason)
    {
        var details = current
            .Where(pair => pair.Key is not (PolicyDetailKey or ReasonDetailKey))
            .OrderBy(pair => pair.Key, StringComparer.Ordinal)
            .Take(StatusDetailsRules.MaxPairs - 2)
            .ToDictionary(StringComparer.Ordinal);
        details[PolicyDetailKey] = Truncate(label, StatusDetailsRules.MaxValueLength);
        details[ReasonDetailKey] = Truncate(reason, StatusDetailsRules.MaxValueLength);
        return StatusDetailsRules.Check(details) is null
            ? details
            : new Dictionary<string, string>(StringComparer.Ordinal) { [PolicyDetailKey] = details[PolicyDetailKey], [ReasonDetailKey] = details[ReasonDetailKey] };
    }

    private static string Truncate(string text, int length) => text.Length <= length ? text : text[..length];
}
