using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace JobsFunctions.Domain.Operations;

/// <summary>
/// A command flattened to <c>field path → value</c> (<c>abortConfig.criteriaList[0].thresholdPercentage → 12.5</c>):
/// what the audit trail records and what an idempotency key is bound to. Absent members are left out; numbers are
/// written by value (1.50 and 1.5 are the same parameter), so the fingerprint ignores how the JSON was spelled —
/// key order, whitespace, trailing zeros.
/// </summary>
public static class RequestParameters
{
    public static IReadOnlyDictionary<string, string> Of(UpdateJob command)
    {
        ArgumentNullException.ThrowIfNull(command);
        var parameters = new SortedDictionary<string, string>(StringComparer.Ordinal);
        Add(parameters, "jobId", command.JobId);
        Add(parameters, "namespaceId", command.NamespaceId);
        Add(parameters, "description", command.Description);
        if (command.PresignedUrlConfig is { } presigned)
        {
            Add(parameters, "presignedUrlConfig.roleArn", presigned.RoleArn);
            Add(parameters, "presignedUrlConfig.expiresInSec", presigned.ExpiresInSec);
        }

        if (command.JobExecutionsRolloutConfig is { } rollout)
        {
            Add(parameters, "jobExecutionsRolloutConfig.maximumPerMinute", rollout.MaximumPerMinute);
            if (rollout.ExponentialRate is { } rate)
            {
                const string prefix = "jobExecutionsRolloutConfig.exponentialRate";
                Add(parameters, $"{prefix}.baseRatePerMinute", rate.BaseRatePerMinute);
                Add(parameters, $"{prefix}.incrementFactor", rate.IncrementFactor);
                Add(parameters, $"{prefix}.rateIncreaseCriteria.numberOfNotifiedThings", rate.RateIncreaseCriteria?.NumberOfNotifiedThings);
                Add(parameters, $"{prefix}.rateIncreaseCriteria.numberOfSucceededThings", rate.RateIncreaseCriteria?.NumberOfSucceededThings);
            }
        }

        AddItems(parameters, "abortConfig.criteriaList", command.AbortConfig?.CriteriaList, (path, criteria) =>
        {
            Add(parameters, $"{path}.failureType", criteria.FailureType);
            Add(parameters, $"{path}.action", criteria.Action);
            Add(parameters, $"{path}.thresholdPercentage", criteria.ThresholdPercentage);
            Add(parameters, $"{path}.minNumberOfExecutedThings", criteria.MinNumberOfExecutedThings);
        });
        Add(parameters, "timeoutConfig.inProgressTimeoutInMinutes", command.TimeoutConfig?.InProgressTimeoutInMinutes);
        AddItems(parameters, "jobExecutionsRetryConfig.criteriaList", command.JobExecutionsRetryConfig?.CriteriaList, (path, criteria) =>
        {
            Add(parameters, $"{path}.failureType", criteria.FailureType);
            Add(parameters, $"{path}.numberOfRetries", criteria.NumberOfRetries);
        });
        return parameters;
    }

    public static IReadOnlyDictionary<string, string> Of(CancelJobExecution command)
    {
        ArgumentNullException.ThrowIfNull(command);
        var parameters = new SortedDictionary<string, string>(StringComparer.Ordinal);
        Add(parameters, "jobId", command.JobId);
        Add(parameters, "thingName", command.ThingName);
        Add(parameters, "force", command.Force);
        Add(parameters, "expectedVersion", command.ExpectedVersion);
        AddDetails(parameters, command.StatusDetails);
        return parameters;
    }

    public static IReadOnlyDictionary<string, string> Of(UpdateJobExecution command)
    {
        ArgumentNullException.ThrowIfNull(command);
        var parameters = new SortedDictionary<string, string>(StringComparer.Ordinal);
        Add(parameters, "jobId", command.JobId);
        Add(parameters, "thingName", command.ThingName);
        Add(parameters, "status", command.Status);
        AddDetails(parameters, command.StatusDetails);
        Add(parameters, "stepTimeoutInMinutes", command.StepTimeoutInMinutes);
        Add(parameters, "expectedVersion", command.ExpectedVersion);
        Add(parameters, "includeJobExecutionState", command.IncludeJobExecutionState);
        Add(parameters, "includeJobDocument", command.IncludeJobDocument);
        Add(parameters, "executionNumber", command.ExecutionNumber);
        return parameters;
    }

    public static IReadOnlyDictionary<string, string> Of(CancelJob command)
    {
        ArgumentNullException.ThrowIfNull(command);
        var parameters = new SortedDictionary<string, string>(StringComparer.Ordinal);
        Add(parameters, "jobId", command.JobId);
        Add(parameters, "force", command.Force);
        Add(parameters, "reasonCode", command.ReasonCode);
        Add(parameters, "comment", command.Comment);
        return parameters;
    }

    /// <summary>
    /// A SHA-256 over the operation and its parameters, each length-prefixed so no two different requests can
    /// run together into the same text.
    /// </summary>
    public static string Fingerprint(string operation, IReadOnlyDictionary<string, string> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var text = new StringBuilder();
        Append(text, operation);
        foreach (var (name, value) in parameters.OrderBy(pair => pair.Key, StringComparer.Ordinal))
        {
            Append(text, name);
            Append(text, value);
        }

        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));

        static void Append(StringBuilder text, string part) =>
            text.Append(part.Length.ToString(CultureInfo.InvariantCulture)).Append(':').Append(part);
    }

    private static void Add(SortedDictionary<string, string> parameters, string name, string? value)
    {
        if (value is not null)
        {
            parameters[name] = value;
        }
    }

    private static void Add(SortedDictionary<string, string> parameters, string name, long? value) =>
        Add(parameters, name, value?.ToString(CultureInfo.InvariantCulture));

    private static void Add(SortedDictionary<string, string> parameters, string name, decimal? value) =>
        Add(parameters, name, value?.ToString("G29", CultureInfo.InvariantCulture));

    private static void Add(SortedDictionary<string, string> parameters, string name, bool? value) =>
        Add(parameters, name, value is { } flag ? (flag ? "true" : "false") : null);

    private static void AddDetails(SortedDictionary<string, string> parameters, IReadOnlyDictionary<string, string>? details)
    {
        foreach (var (key, value) in details ?? new Dictionary<string, string>())
        {
            Add(parameters, $"statusDetails.{key}", value);
        }
    }

    private static void AddItems<T>(SortedDictionary<string, string> parameters, string field, IReadOnlyList<T?>? items, Action<string, T> add)
        where T : class
    {
        for (var index = 0; index < (items?.Count ?? 0); index++)
        {
            if (items![index] is { } item)
            {
                add($"{field}[{index.ToString(CultureInfo.InvariantCulture)}]", item);
            }
        }
    }
}
