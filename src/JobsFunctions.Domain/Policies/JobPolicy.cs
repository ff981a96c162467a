namespace JobsFunctions.Domain.Policies;

/// <summary>Which terminal failures an abort criterion counts, as in AWS's AbortCriteria.failureType.</summary>
public enum FailureType
{
    Failed,
    Rejected,
    TimedOut,
    All,
}

/// <summary>What a timeout does to the execution: CancelJobExecution, or UpdateJobExecution to FAILED (retryable).</summary>
public enum TimeoutAction
{
    Cancel,
    Fail,
}

/// <summary>
/// One abort criterion of a policy: AWS's AbortCriteria (failureType, action CANCEL, thresholdPercentage,
/// minNumberOfExecutedThings) extended with an absolute count, a time window and a run of consecutive failures.
/// At least one of <paramref name="ThresholdPercentage"/>, <paramref name="ThresholdCount"/> and
/// <paramref name="ConsecutiveFailures"/> is set. <paramref name="Force"/> is CancelJob's force.
/// </summary>
public sealed record AbortCriterion(
    FailureType FailureType,
    bool Force = false,
    decimal? ThresholdPercentage = null,
    int? MinNumberOfExecutedThings = null,
    int? ThresholdCount = null,
    int? WindowInMinutes = null,
    int? ConsecutiveFailures = null);

/// <summary>
/// Per-execution timeouts AWS's timeoutConfig cannot express: never started (QUEUED too long), IN_PROGRESS too long
/// in total (changeable while the job runs), and no recorded change for too long. Each is optional.
/// </summary>
public sealed record PolicyTimeouts(
    int? QueuedTimeoutInMinutes = null,
    int? InProgressTimeoutInMinutes = null,
    int? NoProgressTimeoutInMinutes = null,
    TimeoutAction Action = TimeoutAction.Cancel);

/// <summary>A job's policy document. A <paramref name="DryRun"/> policy records what it would do without doing it.</summary>
public sealed record JobPolicy(
    bool DryRun,
    IReadOnlyList<AbortCriterion> AbortCriteria,
    PolicyTimeouts? Timeouts);

/// <summary>
/// A policy as stored for a job. <paramref name="Revision"/> starts at 1 and moves on every replace; it is the
/// operator API's ETag and what each sweeper decision cites.
/// </summary>
public sealed record StoredPolicy(string JobId, JobPolicy Policy, long Revision, DateTimeOffset UpdatedAt, string UpdatedBy);
