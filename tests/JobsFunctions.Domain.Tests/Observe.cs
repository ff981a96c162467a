using JobsFunctions.Domain.Executions;
using JobsFunctions.Domain.Jobs;

namespace JobsFunctions.Domain.Tests;

/// <summary>Sightings as each source produces them: events carry no versionNumber or executionNumber, the rest do.</summary>
internal static class Observe
{
    public const string JobId = "fw-2025-03";
    public const string ThingName = "sensor:42";

    public static readonly DateTimeOffset T0 = new(2025, 3, 1, 12, 0, 0, TimeSpan.Zero);

    public static DateTimeOffset At(int second) => T0.AddSeconds(second);

    public static IReadOnlyDictionary<string, string> Details(params (string Key, string Value)[] pairs) =>
        pairs.ToDictionary(pair => pair.Key, pair => pair.Value, StringComparer.Ordinal);

    public static ExecutionObservation Event(ExecutionStatus status, string eventId, int atSecond, IReadOnlyDictionary<string, string>? details = null) =>
        new(JobId, ThingName, status, details ?? Details(), ObservationSource.Event, eventId, At(atSecond));

    public static ExecutionObservation Snapshot(ExecutionStatus status, string id, int atSecond, long version, long executionNumber = 1, IReadOnlyDictionary<string, string>? details = null) =>
        new(JobId, ThingName, status, details ?? Details(), ObservationSource.Snapshot, id, At(atSecond), version, executionNumber);

    public static ExecutionObservation Update(ExecutionStatus status, string id, int atSecond, long version, long executionNumber = 1, IReadOnlyDictionary<string, string>? details = null) =>
        new(JobId, ThingName, status, details ?? Details(), ObservationSource.OperatorUpdate, id, At(atSecond), version, executionNumber);

    public static JobObservation Job(JobStatus status, string eventId, int atSecond, string? comment = null) =>
        new(JobId, status, eventId, At(atSecond), Comment: comment);
}
