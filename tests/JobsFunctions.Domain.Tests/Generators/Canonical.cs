using System.Globalization;
using JobsFunctions.Domain.Executions;
using JobsFunctions.Domain.Jobs;

namespace JobsFunctions.Domain.Tests.Generators;

/// <summary>
/// Records as text that differs exactly when what a user would see differs: the store's revision and the wall-clock
/// RecordedAt are left out, being the two things a replay is allowed to change.
/// </summary>
internal static class Canonical
{
    public static string Of(ExecutionRecord record) =>
        $"{record.JobId}/{record.ThingName} {record.Status} {Of(record.StatusDetails)} v{record.VersionNumber} n{record.ExecutionNumber} at {Of(record.LastChangedAt)}"
        + $" ledger [{string.Join("; ", record.Ledger.Select(Of))}]";

    public static string Of(LedgerEntry entry) =>
        $"{entry.ObservationId} {entry.Status} {(entry.DetailsKnown ? Of(entry.StatusDetails) : "{?}")} {entry.Source} {Of(entry.OccurredAt)} v{entry.VersionNumber} n{entry.ExecutionNumber}";

    public static string Of(JobRecord record) =>
        $"{record.JobId} {record.Status} at {Of(record.LastChangedAt)} comment={record.Comment} reason={record.ReasonCode} description={record.Description}"
        + $" selection={record.TargetSelection} targets=[{string.Join(",", record.Targets)}] created={Of(record.CreatedAt)} completed={Of(record.CompletedAt)}"
        + $" process={(record.ReportedProcessDetails is null ? "-" : Of(record.ReportedProcessDetails))} history [{string.Join(", ", record.History.Select(seen => seen.ObservationId))}]";

    public static string Of(StatusCounts counts) =>
        string.Join(" ", ExecutionStatuses.All.Select(status => $"{status.ToWire()}={counts[status]}"));

    public static string Of<TValue>(IReadOnlyDictionary<string, TValue> values) =>
        "{" + string.Join(", ", values.OrderBy(pair => pair.Key, StringComparer.Ordinal).Select(pair => $"{pair.Key}={pair.Value}")) + "}";

    private static string Of(DateTimeOffset? at) => at?.ToString("O", CultureInfo.InvariantCulture) ?? "-";
}
