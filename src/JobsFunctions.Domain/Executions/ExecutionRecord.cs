namespace JobsFunctions.Domain.Executions;

/// <summary>
/// What the store holds for one (jobId, thingName): the current state and the ledger it was resolved from.
/// The current state is always a pure function of the ledger (<see cref="ExecutionRules.Resolve"/>), which is what
/// makes the record independent of the order and repetition of its observations. The ledger is the execution's
/// history as an operator sees it: every status transition, with the first and the last sighting of each status
/// (per attempt; older attempts' per status), not every heartbeat in between (<see cref="LedgerCompaction"/>), so
/// it holds at most <see cref="LedgerCompaction.MaxEntries"/> entries however long the job runs.
/// <paramref name="Revision"/> is the store's optimistic-concurrency counter (0 = never stored).
/// </summary>
public sealed record ExecutionRecord(
    string JobId,
    string ThingName,
    ExecutionStatus Status,
    IReadOnlyDictionary<string, string> StatusDetails,
    long? VersionNumber,
    long? ExecutionNumber,
    DateTimeOffset LastChangedAt,
    IReadOnlyList<LedgerEntry> Ledger,
    long Revision)
{
    public bool IsTerminal => Status.IsTerminal();

    /// <summary>The most recent terminal failure in the ledger (FAILED, TIMED_OUT or REJECTED), if any.</summary>
    public LedgerEntry? LatestFailure => Ledger
        .Where(entry => entry.Status.IsFailure())
        .OrderBy(entry => entry, LedgerEntry.ChronologicalOrder)
        .LastOrDefault();

    /// <summary>Whether the ledger holds this sighting (compaction may have let a heartbeat between two others go).</summary>
    public bool HasObserved(string observationId) =>
        Ledger.Any(entry => string.Equals(entry.ObservationId, observationId, StringComparison.Ordinal));
}
