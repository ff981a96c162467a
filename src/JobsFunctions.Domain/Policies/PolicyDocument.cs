namespace JobsFunctions.Domain.Policies;

/// <summary>
/// A policy document as operators write it (the body of <c>PUT /jobs/{jobId}/policy</c> and the
/// <c>DEFAULT_POLICY</c> setting), member for member. Like <see cref="Operations.UpdateJob"/>'s members, every one is
/// nullable and enumerated values stay wire strings: <see cref="PolicyRules"/> says what is valid and turns a valid
/// document into a <see cref="JobPolicy"/>; <see cref="Of"/> writes a policy back in the same shape.
/// </summary>
public sealed record PolicyDocument(
    bool? DryRun = null,
    PolicyAbortConfig? AbortConfig = null,
    PolicyTimeoutConfig? TimeoutConfig = null)
{
    public static PolicyDocument Of(JobPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        return new PolicyDocument(
            policy.DryRun,
            policy.AbortCriteria.Count == 0
                ? null
                : new PolicyAbortConfig([.. policy.AbortCriteria.Select(criterion => new PolicyAbortCriterion(
                    PolicyRules.ToWire(criterion.FailureType),
                    PolicyRules.CancelAction,
                    criterion.Force,
                    criterion.ThresholdPercentage,
                    criterion.MinNumberOfExecutedThings,
                    criterion.ThresholdCount,
                    criterion.WindowInMinutes,
                    criterion.ConsecutiveFailures))]),
            policy.Timeouts is { } timeouts
                ? new PolicyTimeoutConfig(
                    timeouts.QueuedTimeoutInMinutes,
                    timeouts.InProgressTimeoutInMinutes,
                    timeouts.NoProgressTimeoutInMinutes,
                    PolicyRules.ToWire(timeouts.Action))
                : null);
    }
}

/// <summary>AWS's <c>abortConfig</c> shape: a list of criteria, any one of which aborts the job.</summary>
public sealed record PolicyAbortConfig(IReadOnlyList<PolicyAbortCriterion?>? CriteriaList = null);

/// <summary>AWS's <c>AbortCriteria</c> (failureType, action, thresholdPercentage, minNumberOfExecutedThings), extended.</summary>
public sealed record PolicyAbortCriterion(
    string? FailureType = null,
    string? Action = null,
    bool? Force = null,
    decimal? ThresholdPercentage = null,
    int? MinNumberOfExecutedThings = null,
    int? ThresholdCount = null,
    int? WindowInMinutes = null,
    int? ConsecutiveFailures = null);

/// <summary>Per-execution timeouts and what they do.</summary>
public sealed record PolicyTimeoutConfig(
    int? QueuedTimeoutInMinutes = null,
    int? InProgressTimeoutInMinutes = null,
    int? NoProgressTimeoutInMinutes = null,
    string? Action = null);
