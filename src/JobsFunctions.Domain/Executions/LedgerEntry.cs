namespace JobsFunctions.Domain.Executions;

/// <summary>
/// One line of an execution's ledger: what was observed, from where, and when it was recorded. The ledger keeps every
/// transition and the first and last sighting of each status (<see cref="LedgerCompaction"/>); an entry whose details
/// resolution can no longer need keeps an empty <paramref name="StatusDetails"/> although <paramref name="DetailsKnown"/>
/// stays as the source saw it.
/// <paramref name="RecordedAt"/> is our wall clock, the only field that differs when the same event set is replayed.
/// <paramref name="DetailsKnown"/> is false when the source could not see statusDetails (then they are empty).
/// </summary>
public sealed record LedgerEntry(
    string ObservationId,
    ExecutionStatus Status,
    IReadOnlyDictionary<string, string> StatusDetails,
    ObservationSource Source,
    DateTimeOffset OccurredAt,
    long? VersionNumber,
    long? ExecutionNumber,
    DateTimeOffset RecordedAt,
    bool DetailsKnown = true)
{
    public static LedgerEntry From(ExecutionObservation observation, DateTimeOffset recordedAt) => new(
        observation.ObservationId,
        observation.Status,
        observation.StatusDetails,
        observation.Source,
        observation.OccurredAt,
        observation.VersionNumber,
        observation.ExecutionNumber,
        recordedAt,
        observation.DetailsKnown);

    /// <summary>The order the ledger is kept in: by event time, ties broken by id so every replay stores the same list.</summary>
    public static IComparer<LedgerEntry> ChronologicalOrder { get; } = Comparer<LedgerEntry>.Create((a, b) =>
    {
        var byTime = a.OccurredAt.CompareTo(b.OccurredAt);
        return byTime != 0 ? byTime : string.CompareOrdinal(a.ObservationId, b.ObservationId);
    });
}
