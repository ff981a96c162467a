namespace JobsFunctions.Domain.Executions;

/// <summary>Where an observation of an execution's status came from. Ordered from least to most authoritative.</summary>
public enum ObservationSource
{
    /// <summary>An AWS IoT Jobs event (terminal statuses only, no versionNumber).</summary>
    Event,

    /// <summary>A state read back from the service (DescribeJobExecution / ListJobExecutionsForJob).</summary>
    Snapshot,

    /// <summary>An update made through the operator API (UpdateJobExecution / CancelJobExecution).</summary>
    OperatorUpdate,

    /// <summary>An action taken by the policy sweeper.</summary>
    Sweeper,
}

/// <summary>
/// One sighting of an execution's status: the single input of the recording rules, whatever its source.
/// <paramref name="ObservationId"/> is the event's eventId, or an id the source makes unique for its sighting.
/// VersionNumber and ExecutionNumber are known for snapshots and operator updates, unknown for events.
/// <paramref name="DetailsKnown"/> is false when the source cannot see statusDetails (a ListJobExecutionsForJob summary):
/// <paramref name="StatusDetails"/> is then empty and never replaces details a device reported.
/// </summary>
public sealed record ExecutionObservation(
    string JobId,
    string ThingName,
    ExecutionStatus Status,
    IReadOnlyDictionary<string, string> StatusDetails,
    ObservationSource Source,
    string ObservationId,
    DateTimeOffset OccurredAt,
    long? VersionNumber = null,
    long? ExecutionNumber = null,
    bool DetailsKnown = true);
