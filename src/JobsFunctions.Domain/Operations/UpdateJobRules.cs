using JobsFunctions.Domain.Errors;
using JobsFunctions.Domain.Validation;

namespace JobsFunctions.Domain.Operations;

/// <summary>
/// UpdateJob's input rules (https://docs.aws.amazon.com/iot/latest/apireference/API_UpdateJob.html and the structures
/// it names). The first broken rule is reported, in the order the members appear in the AWS API reference, so the same request always gets the same answer.
/// One rule goes beyond the model: an abort threshold must be greater than 0, because a threshold of 0% is met
/// by every outcome and would cancel the job as soon as minNumberOfExecutedThings executions had run.
/// </summary>
public static class UpdateJobRules
{
    public const int DescriptionMaxLength = 2028;
    public const int RoleArnMinLength = 20;
    public const int RoleArnMaxLength = 2048;
    public const long ExpiresInSecMin = 60;
    public const long ExpiresInSecMax = 3600;
    public const int BaseRatePerMinuteMax = 1000;
    public const decimal IncrementFactorMin = 1.1m;
    public const decimal IncrementFactorMax = 5m;
    public const decimal ThresholdPercentageMax = 100m;
    public const long InProgressTimeoutMinutesMax = 10080;
    public const int RetryCriteriaMax = 2;
    public const int RetriesMax = 10;

    /// <summary>The smallest threshold with two decimal places that is above 0.</summary>
    public const decimal ThresholdPercentageMin = 0.01m;

    public static IReadOnlyList<string> AbortFailureTypes { get; } = ["FAILED", "REJECTED", "TIMED_OUT", "ALL"];

    public static IReadOnlyList<string> AbortActions { get; } = ["CANCEL"];

    public static IReadOnlyList<string> RetryFailureTypes { get; } = ["FAILED", "TIMED_OUT", "ALL"];

    public static Error? Check(UpdateJob command)
    {
        ArgumentNullException.ThrowIfNull(command);
        return Identifiers.CheckJobId(command.JobId)
            ?? (command.NamespaceId is null ? null : Identifiers.CheckNamespaceId(command.NamespaceId))
            ?? FieldRules.Text(command.Description, "description", DescriptionMaxLength)
            ?? Check(command.PresignedUrlConfig)
            ?? Check(command.JobExecutionsRolloutConfig)
            ?? Check(command.AbortConfig)
            ?? Check(command.TimeoutConfig)
            ?? Check(command.JobExecutionsRetryConfig);
    }

    private static Error? Check(PresignedUrlConfig? config) => config is null
        ? null
        : FieldRules.Length(config.RoleArn, "presignedUrlConfig.roleArn", RoleArnMinLength, RoleArnMaxLength)
            ?? FieldRules.Range(config.ExpiresInSec, "presignedUrlConfig.expiresInSec", ExpiresInSecMin, ExpiresInSecMax);

    private static Error? Check(JobExecutionsRolloutConfig? config)
    {
        if (config is null)
        {
            return null;
        }

        const string rollout = "jobExecutionsRolloutConfig";
        // No maximum: the model has none, and 1,000 a minute is only the default of an adjustable account quota.
        return FieldRules.Range(config.MaximumPerMinute, $"{rollout}.maximumPerMinute", 1, int.MaxValue)
            ?? Check(config.ExponentialRate, $"{rollout}.exponentialRate");
    }

    private static Error? Check(ExponentialRolloutRate? rate, string field)
    {
        if (rate is null)
        {
            return null;
        }

        var criteria = $"{field}.rateIncreaseCriteria";
        return FieldRules.Required(rate.BaseRatePerMinute, $"{field}.baseRatePerMinute")
            ?? FieldRules.Range(rate.BaseRatePerMinute, $"{field}.baseRatePerMinute", 1, BaseRatePerMinuteMax)
            ?? FieldRules.Required(rate.IncrementFactor, $"{field}.incrementFactor")
            ?? FieldRules.Range(rate.IncrementFactor, $"{field}.incrementFactor", IncrementFactorMin, IncrementFactorMax, maxDecimalPlaces: 1)
            ?? FieldRules.Required(rate.RateIncreaseCriteria, criteria)
            ?? FieldRules.Range(rate.RateIncreaseCriteria!.NumberOfNotifiedThings, $"{criteria}.numberOfNotifiedThings", 1, int.MaxValue)
            ?? FieldRules.Range(rate.RateIncreaseCriteria.NumberOfSucceededThings, $"{criteria}.numberOfSucceededThings", 1, int.MaxValue)
            ?? (rate.RateIncreaseCriteria is { NumberOfNotifiedThings: null, NumberOfSucceededThings: null }
                ? FieldRules.Invalid(criteria, "empty", $"{criteria} needs numberOfNotifiedThings, numberOfSucceededThings or both.")
                : null);
    }

    private static Error? Check(AbortConfig? config)
    {
        if (config is null)
        {
            return null;
        }

        const string list = "abortConfig.criteriaList";
        return FieldRules.Required(config.CriteriaList, list)
            ?? (config.CriteriaList!.Count == 0 ? FieldRules.Invalid(list, "tooFew", $"{list} needs at least 1 item.") : null)
            ?? FieldRules.Items(config.CriteriaList, list, Check);
    }

    private static Error? Check(AbortCriteria criteria, string field) =>
        FieldRules.Required(criteria.FailureType, $"{field}.failureType")
        ?? FieldRules.OneOf(criteria.FailureType, $"{field}.failureType", AbortFailureTypes)
        ?? FieldRules.Required(criteria.Action, $"{field}.action")
        ?? FieldRules.OneOf(criteria.Action, $"{field}.action", AbortActions)
        ?? FieldRules.Required(criteria.ThresholdPercentage, $"{field}.thresholdPercentage")
        ?? FieldRules.Range(criteria.ThresholdPercentage, $"{field}.thresholdPercentage", ThresholdPercentageMin, ThresholdPercentageMax, maxDecimalPlaces: 2)
        ?? FieldRules.Required(criteria.MinNumberOfExecutedThings, $"{field}.minNumberOfExecutedThings")
        ?? FieldRules.Range(criteria.MinNumberOfExecutedThings, $"{field}.minNumberOfExecutedThings", 1, int.MaxValue);

    private static Error? Check(TimeoutConfig? config) => config is null
        ? null
        : FieldRules.Range(config.InProgressTimeoutInMinutes, "timeoutConfig.inProgressTimeoutInMinutes", 1, InProgressTimeoutMinutesMax);

    private static Error? Check(JobExecutionsRetryConfig? config)
    {
        if (config is null)
        {
            return null;
        }

        const string list = "jobExecutionsRetryConfig.criteriaList";
        return FieldRules.Required(config.CriteriaList, list)
            ?? config.CriteriaList!.Count switch
            {
                0 => FieldRules.Invalid(list, "tooFew", $"{list} needs at least 1 item."),
                > RetryCriteriaMax => FieldRules.Invalid(list, "tooMany", $"{list} may hold at most {RetryCriteriaMax} items (got {config.CriteriaList.Count})."),
                _ => null,
            }
            ?? FieldRules.Items(config.CriteriaList, list, Check)
            ?? (config.CriteriaList.Sum(criteria => criteria!.NumberOfRetries!.Value) is var total and > RetriesMax
                ? FieldRules.Invalid(list, "totalTooLarge", $"{list} may allow at most {RetriesMax} retries in total (got {total}).")
                : null);
    }

    private static Error? Check(RetryCriteria criteria, string field) =>
        FieldRules.Required(criteria.FailureType, $"{field}.failureType")
        ?? FieldRules.OneOf(criteria.FailureType, $"{field}.failureType", RetryFailureTypes)
        ?? FieldRules.Required(criteria.NumberOfRetries, $"{field}.numberOfRetries")
        ?? FieldRules.Range(criteria.NumberOfRetries, $"{field}.numberOfRetries", 0, RetriesMax);
}
