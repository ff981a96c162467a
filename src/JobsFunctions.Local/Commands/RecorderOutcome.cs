using System.Globalization;
using System.Text.Json;
using JobsFunctions.Local.Runtime;

namespace JobsFunctions.Local.Commands;

/// <summary>One line about one recorder invocation, read from the function's own JSON log line.</summary>
public static class RecorderOutcome
{
    /// <summary>Whether the invocation ended as Lambda counts success (a malformed event is acknowledged, so it does).</summary>
    public static bool Succeeded(InvocationResult result) => result?.Outcome == InvocationOutcome.Response;

    public static string Describe(InvocationResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var elapsed = $"({result.Duration.TotalMilliseconds.ToString("0", CultureInfo.InvariantCulture)} ms)";
        return result.Outcome switch
        {
            InvocationOutcome.Response => $"{FromLogLine(result.LogLine) ?? $"answered {System.Text.Encoding.UTF8.GetString(result.Body)}"} {elapsed}",
            InvocationOutcome.Error => $"FAILED       {result.ErrorSummary} (Lambda would retry it) {elapsed}",
            InvocationOutcome.Crashed => $"CRASHED      {result.Diagnostics}",
            _ => $"TIMED OUT    {result.Diagnostics}",
        };
    }

    private static string? FromLogLine(string? line)
    {
        if (line is null)
        {
            return null;
        }

        using var log = JsonDocument.Parse(line);
        var root = log.RootElement;
        string? Field(string name) => root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
        var subject = Field("thingName") is { } thing ? $"{Field("jobId")} / {thing}" : $"{Field("jobId")} (job)";
        return Field("outcome") switch
        {
            "recorded" => $"recorded     {subject}: {Field("status")}",
            "duplicate" => $"duplicate    {subject}: already recorded, still {Field("status")}",
            "ledgerOnly" => $"ledger only  {subject}: {Field("observed")} kept in the ledger, status stays {Field("status")}",
            "malformed" => $"malformed    dropped: {Field("reason")}",
            { } other => $"{other,-12} {subject}",
            null => Field("message"),
        };
    }
}
