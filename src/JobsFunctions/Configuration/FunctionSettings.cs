using System.Globalization;
using JobsFunctions.Aws.Dynamo;
using JobsFunctions.Domain.Policies;
using JobsFunctions.Policies;

namespace JobsFunctions.Configuration;

/// <summary>
/// Configuration read once at cold start from the environment the template sets. Anything missing or out of range
/// fails the cold start with a message naming the variable, instead of failing the first write.
/// </summary>
internal static class FunctionSettings
{
    public static StoreOptions Store(Func<string, string?> environment)
    {
        var table = environment("TABLE_NAME");
        if (string.IsNullOrWhiteSpace(table))
        {
            throw new ConfigurationException("TABLE_NAME is not set: it must name the records table (the template sets it).");
        }

        var shards = Integer(environment, "COUNTER_SHARDS", fallback: 4, min: 1, max: StoreOptions.MaxCounterShards);
        // Whole days, so a retention is at least one: Lambda retries an async event for up to 6 hours, and a shorter
        // retention could let a late duplicate re-create an expired execution and count it twice.
        var retentionDays = Integer(environment, "LEDGER_RETENTION_DAYS", fallback: 0, min: 0, max: MaxRetentionDays);
        TimeSpan? retention = retentionDays == 0 ? null : TimeSpan.FromDays(retentionDays);
        return new StoreOptions(table.Trim(), shards, retention);
    }

    /// <summary>
    /// How long an audit entry is kept: <c>AUDIT_RETENTION_DAYS</c> whole days after it was written (DynamoDB TTL), or
    /// null to keep entries forever when it is 0. Unset means the template's default, 365.
    /// </summary>
    public static TimeSpan? AuditRetention(Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var days = Integer(environment, "AUDIT_RETENTION_DAYS", fallback: DefaultAuditRetentionDays, min: 0, max: MaxRetentionDays);
        return days == 0 ? null : TimeSpan.FromDays(days);
    }

    /// <summary>The template's default for <c>AuditRetentionDays</c>.</summary>
    public const int DefaultAuditRetentionDays = 365;

    /// <summary>Ten years: the template's upper bound for both retentions.</summary>
    private const int MaxRetentionDays = 3650;

    /// <summary>
    /// The sweeper's own settings: <c>DEFAULT_POLICY</c>, a policy document as JSON applied to every IN_PROGRESS job
    /// without a policy of its own (empty or unset = none), validated as the API validates a PUT; and
    /// <c>SWEEP_BUDGET_SECONDS</c>, how long a run may start new work (it also stops well before its deadline).
    /// </summary>
    public static SweeperSettings Sweeper(Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var defaultPolicy = DefaultPolicy(environment);
        var budget = Integer(environment, "SWEEP_BUDGET_SECONDS", fallback: 40, min: 1, max: 840);
        return new SweeperSettings(defaultPolicy, TimeSpan.FromSeconds(budget));
    }

    /// <summary>
    /// <c>DEFAULT_POLICY</c>: the sweeper applies it, and the API lists it beside the jobs' own policies. The same
    /// variable from the same template parameter, validated the same way in both, so they can never tell different stories.
    /// </summary>
    public static JobPolicy? DefaultPolicy(Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        if (environment("DEFAULT_POLICY") is not { } text || string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var parsed = PolicyJson.Parse(text);
        return parsed.IsSuccess
            ? parsed.Value
            : throw new ConfigurationException(
                $"DEFAULT_POLICY is not a valid policy document: {parsed.Error.Message} ({parsed.Error.Code}{(parsed.Error.Field is { } field ? $", field {field}" : "")}).");
    }

    private static int Integer(Func<string, string?> environment, string name, int fallback, int min, int max)
    {
        var text = environment(name);
        if (string.IsNullOrWhiteSpace(text))
        {
            return fallback;
        }

        if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) || value < min || value > max)
        {
            throw new ConfigurationException($"{name} is '{text}': it must be a whole number from {min} to {max}.");
        }

        return value;
    }
}

/// <summary>The sweeper's configuration, read once at cold start.</summary>
internal sealed record SweeperSettings(JobPolicy? DefaultPolicy, TimeSpan Budget);

/// <summary>The function's configuration is unusable; the message says which variable and why.</summary>
internal sealed class ConfigurationException(string message) : Exception(message);
