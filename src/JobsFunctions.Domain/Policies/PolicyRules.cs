using JobsFunctions.Domain.Errors;
using JobsFunctions.Domain.Operations;

namespace JobsFunctions.Domain.Policies;

/// <summary>
/// What a policy document may say. The first broken rule is reported, in the order the members are written, with
/// the field's full path (<c>abortConfig.criteriaList[0].thresholdPercentage</c>), so the same document always gets
/// the same answer. The members AWS's <c>abortConfig</c> shares keep AWS's rules (failure types, action CANCEL, a
/// threshold above 0 and at most 100 with two decimal places, minNumberOfExecutedThings of at least 1 and required
/// with the percentage). The extensions follow the same spirit:
/// <list type="bullet">
/// <item>a criterion needs at least one threshold: a percentage, a count or a run of consecutive failures;</item>
/// <item>minNumberOfExecutedThings, required with the percentage as in AWS, may also hold back a count or a run of
/// consecutive failures until that many executions are executed;</item>
/// <item>a window and every timeout run from 1 minute to 7 days (10,080 minutes, the range of AWS's own
/// in-progress timer);</item>
/// <item>a run of consecutive failures is at most <see cref="ConsecutiveFailuresMax"/>, since the sweeper reads that
/// many of the job's newest ended executions to judge it;</item>
/// <item>a timeoutConfig sets at least one timeout and says its action; a document sets abortConfig, timeoutConfig
/// or both.</item>
/// </list>
/// </summary>
public static class PolicyRules
{
    public const int CriteriaMax = 10;
    public const int MinutesMax = 10080;
    public const int ConsecutiveFailuresMax = 1000;
    public const string CancelAction = "CANCEL";

    public static IReadOnlyList<string> FailureTypes { get; } = ["FAILED", "REJECTED", "TIMED_OUT", "ALL"];

    public static IReadOnlyList<string> AbortActions { get; } = [CancelAction];

    public static IReadOnlyList<string> TimeoutActions { get; } = ["CANCEL", "FAIL"];

    public static Error? Check(PolicyDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        return Check(document.AbortConfig)
            ?? Check(document.TimeoutConfig)
            ?? (document is { AbortConfig: null, TimeoutConfig: null }
                ? FieldRules.Invalid("abortConfig", "required", "A policy needs abortConfig, timeoutConfig or both; this one would never act.")
                : null);
    }

    /// <summary>The policy a document describes, or the first rule it breaks.</summary>
    public static Result<JobPolicy> ToPolicy(PolicyDocument document)
    {
        if (Check(document) is { } invalid)
        {
            return invalid;
        }

        var criteria = document.AbortConfig?.CriteriaList?.Select(criterion => new AbortCriterion(
            ParseFailureType(criterion!.FailureType!),
            criterion.Force ?? false,
            criterion.ThresholdPercentage,
            criterion.MinNumberOfExecutedThings,
            criterion.ThresholdCount,
            criterion.WindowInMinutes,
            criterion.ConsecutiveFailures)).ToList() ?? [];
        var timeouts = document.TimeoutConfig is { } config
            ? new PolicyTimeouts(
                config.QueuedTimeoutInMinutes,
                config.InProgressTimeoutInMinutes,
                config.NoProgressTimeoutInMinutes,
                config.Action == "FAIL" ? TimeoutAction.Fail : TimeoutAction.Cancel)
            : null;
        return new JobPolicy(document.DryRun ?? false, criteria, timeouts);
    }

    public static string ToWire(FailureType type) => type switch
    {
        FailureType.Failed => "FAILED",
        FailureType.Rejected => "REJECTED",
        FailureType.TimedOut => "TIMED_OUT",
        FailureType.All => "ALL",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, null),
    };

    public static string ToWire(TimeoutAction action) => action switch
    {
        TimeoutAction.Cancel => "CANCEL",
        TimeoutAction.Fail => "FAIL",
        _ => throw new ArgumentOutOfRangeException(nameof(action), action, null),
    };

    private static FailureType ParseFailureType(string wire) =>
        WireNames.TryParse(wire, [FailureType.Failed, FailureType.Rejected, FailureType.TimedOut, FailureType.All], ToWire, out var type)
            ? type
            : throw new ArgumentException($"Unvalidated failure type {wire}.", nameof(wire));

    private static Error? Check(PolicyAbortConfig? config)
    {
        if (config is null)
        {
            return null;
        }

        const string list = "abortConfig.criteriaList";
        return FieldRules.Required(config.CriteriaList, list)
            ?? config.CriteriaList!.Count switch
            {
                0 => FieldRules.Invalid(list, "tooFew", $"{list} needs at least 1 item."),
                > CriteriaMax => FieldRules.Invalid(list, "tooMany", $"{list} may hold at most {CriteriaMax} items (got {config.CriteriaList.Count})."),
                _ => null,
            }
            ?? FieldRules.Items(config.CriteriaList, list, Check);
    }

    private static Error? Check(PolicyAbortCriterion criterion, string field) =>
        FieldRules.Required(criterion.FailureType, $"{field}.failureType")
        ?? FieldRules.OneOf(criterion.FailureType, $"{field}.failureType", FailureTypes)
        ?? FieldRules.Required(criterion.Action, $"{field}.action")
        ?? FieldRules.OneOf(criterion.Action, $"{field}.action", AbortActions)
        ?? FieldRules.Range(criterion.ThresholdPercentage, $"{field}.thresholdPercentage",
            UpdateJobRules.ThresholdPercentageMin, UpdateJobRules.ThresholdPercentageMax, maxDecimalPlaces: 2)
        ?? (criterion.ThresholdPercentage is not null ? FieldRules.Required(criterion.MinNumberOfExecutedThings, $"{field}.minNumberOfExecutedThings") : null)
        ?? FieldRules.Range(criterion.MinNumberOfExecutedThings, $"{field}.minNumberOfExecutedThings", 1, int.MaxValue)
        ?? FieldRules.Range(criterion.ThresholdCount, $"{field}.thresholdCount", 1, int.MaxValue)
        ?? FieldRules.Range(criterion.WindowInMinutes, $"{field}.windowInMinutes", 1, MinutesMax)
        ?? FieldRules.Range(criterion.ConsecutiveFailures, $"{field}.consecutiveFailures", 1, ConsecutiveFailuresMax)
        ?? (criterion is { ThresholdPercentage: null, ThresholdCount: null, ConsecutiveFailures: null }
            ? FieldRules.Invalid(field, "noThreshold", $"{field} needs thresholdPercentage, thresholdCount or consecutiveFailures.")
            : null);

    private static Error? Check(PolicyTimeoutConfig? config)
    {
        if (config is null)
        {
            return null;
        }

        const string timeout = "timeoutConfig";
        return FieldRules.Range(config.QueuedTimeoutInMinutes, $"{timeout}.queuedTimeoutInMinutes", 1, MinutesMax)
            ?? FieldRules.Range(config.InProgressTimeoutInMinutes, $"{timeout}.inProgressTimeoutInMinutes", 1, MinutesMax)
            ?? FieldRules.Range(config.NoProgressTimeoutInMinutes, $"{timeout}.noProgressTimeoutInMinutes", 1, MinutesMax)
            ?? (config is { QueuedTimeoutInMinutes: null, InProgressTimeoutInMinutes: null, NoProgressTimeoutInMinutes: null }
                ? FieldRules.Invalid(timeout, "noTimeout",
                    $"{timeout} needs queuedTimeoutInMinutes, inProgressTimeoutInMinutes or noProgressTimeoutInMinutes.")
                : null)
            ?? FieldRules.Required(config.Action, $"{timeout}.action")
            ?? FieldRules.OneOf(config.Action, $"{timeout}.action", TimeoutActions);
    }
}
