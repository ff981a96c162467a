using System.Globalization;
using JobsFunctions.Domain.Executions;
using JobsFunctions.Domain.Operations;

namespace JobsFunctions.Domain.Recording;

/// <summary>
/// What a state read back from AWS IoT tells the recorder, as observations. A read carries up to three times
/// (queuedAt, startedAt, lastUpdatedAt); each becomes a sighting at that time, so the ledger knows when the attempt was
/// queued and started. Ids are made of the execution number, status, version and time, so reading an unchanged
/// execution again gives the same ids: a duplicate that writes nothing.
/// </summary>
public static class Snapshots
{
    private static readonly IReadOnlyDictionary<string, string> Unknown = new Dictionary<string, string>();

    /// <summary>A ListJobExecutionsForJob summary: no statusDetails (unknown, so kept) and no versionNumber.</summary>
    public static IReadOnlyList<ExecutionObservation> Of(string jobId, ExecutionSummary summary)
    {
        ArgumentNullException.ThrowIfNull(summary);
        return Sightings(summary.Status, summary.QueuedAt, summary.StartedAt, summary.LastUpdatedAt)
            .Select(sighting => new ExecutionObservation(
                jobId, summary.ThingName, sighting.Status, Unknown, ObservationSource.Snapshot,
                Id(summary.ExecutionNumber, sighting.Status, version: null, sighting.At), sighting.At,
                VersionNumber: null, summary.ExecutionNumber, DetailsKnown: false))
            .ToList();
    }

    /// <summary>
    /// A DescribeJobExecution answer: its current state with details and version at lastUpdatedAt (or
    /// <paramref name="fallbackAt"/> when AWS gave no time), and the earlier stages' times without either.
    /// </summary>
    public static IReadOnlyList<ExecutionObservation> Of(JobExecutionDescription execution, DateTimeOffset fallbackAt)
    {
        ArgumentNullException.ThrowIfNull(execution);
        var at = execution.LastUpdatedAt ?? execution.StartedAt ?? execution.QueuedAt ?? fallbackAt;
        var current = new ExecutionObservation(
            execution.JobId, execution.ThingName, execution.Status, execution.StatusDetails, ObservationSource.Snapshot,
            Id(execution.ExecutionNumber, execution.Status, execution.VersionNumber, at), at, execution.VersionNumber, execution.ExecutionNumber);
        var earlier = Sightings(execution.Status, execution.QueuedAt, execution.StartedAt, lastUpdatedAt: null)
            .Where(sighting => sighting.Status != execution.Status || sighting.At != at)
            .Select(sighting => new ExecutionObservation(
                execution.JobId, execution.ThingName, sighting.Status, Unknown, ObservationSource.Snapshot,
                Id(execution.ExecutionNumber, sighting.Status, version: null, sighting.At), sighting.At,
                VersionNumber: null, execution.ExecutionNumber, DetailsKnown: false));
        return [.. earlier, current];
    }

    private static IEnumerable<(ExecutionStatus Status, DateTimeOffset At)> Sightings(
        ExecutionStatus status, DateTimeOffset? queuedAt, DateTimeOffset? startedAt, DateTimeOffset? lastUpdatedAt)
    {
        if (queuedAt is { } queued)
        {
            yield return (ExecutionStatus.Queued, queued);
        }

        // startedAt is when it went IN_PROGRESS, whatever it is now (a terminal status came out of IN_PROGRESS then).
        if (startedAt is { } started && status != ExecutionStatus.Queued)
        {
            yield return (ExecutionStatus.InProgress, started);
        }

        if (lastUpdatedAt is { } updated && !(status == ExecutionStatus.Queued && updated == queuedAt)
            && !(status == ExecutionStatus.InProgress && updated == startedAt))
        {
            yield return (status, updated);
        }
    }

    private static string Id(long? executionNumber, ExecutionStatus status, long? version, DateTimeOffset at) =>
        string.Create(CultureInfo.InvariantCulture,
            $"iot:n{executionNumber?.ToString(CultureInfo.InvariantCulture) ?? "-"}:{status.ToWire()}:v{version?.ToString(CultureInfo.InvariantCulture) ?? "-"}@{at.UtcDateTime:yyyy-MM-ddTHH:mm:ss.fffZ}");
}
