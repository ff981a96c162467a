using JobsFunctions.Domain.Executions;

namespace JobsFunctions.Domain.Policies;

/// <summary>What a policy would do (preview) or did (audit): abort the job, or cancel or fail one execution.</summary>
public enum PlannedActionKind
{
    CancelJob,
    CancelExecution,
    FailExecution,
}

/// <summary>
/// One action a policy calls for, and why. For an execution, <paramref name="Status"/> and
/// <paramref name="VersionNumber"/> are as recorded (a run describes the execution again before acting).
/// <paramref name="Reason"/> names the policy, the criterion or timeout, and the figures.
/// </summary>
public sealed record PlannedAction(
    PlannedActionKind Kind,
    string JobId,
    string? ThingName,
    bool Force,
    string Reason,
    ExecutionStatus? Status = null,
    long? VersionNumber = null)
{
    /// <summary>The AWS API the action calls: CancelJob, CancelJobExecution, or UpdateJobExecution (to FAILED).</summary>
    public string Operation => Kind switch
    {
        PlannedActionKind.CancelJob => "CancelJob",
        PlannedActionKind.CancelExecution => "CancelJobExecution",
        _ => "UpdateJobExecution",
    };
}

/// <summary>A timeout action and the execution as the store held it when it was planned.</summary>
public sealed record PlannedTimeout(PlannedAction Action, ExecutionRecord Record);

/// <summary>
/// What a policy calls for on one job now: an abort when a criterion trips (then nothing else: the job is being
/// canceled), otherwise a timeout action per open execution past a limit, in thing-name order.
/// </summary>
public sealed record PolicyPlan(PlannedAction? Abort, IReadOnlyList<PlannedTimeout> Timeouts)
{
    public static PolicyPlan Nothing { get; } = new(null, []);

    public IReadOnlyList<PlannedAction> Actions => Abort is not null ? [Abort] : [.. Timeouts.Select(timeout => timeout.Action)];
}
