namespace JobsFunctions.Domain.Executions;

/// <summary>
/// Keeps an execution's ledger bounded whatever its device does and however long its job runs: every status
/// transition and the first and last sighting of each status stay, the sightings in between go. A device that
/// reports progress every minute thus replaces its previous heartbeat instead of appending one, and the record (and
/// the cost of writing it) stays the same size on day 7 as on day 1.
/// <para>
/// What stays, per group of sightings of one attempt (executionNumber), one status and one kind of source (that could
/// or could not see statusDetails): the earliest and the latest (<see cref="LedgerEntry.ChronologicalOrder"/>) and the
/// best (<see cref="ExecutionRules.Precedence"/>). Attempts older than the latest known one never contend again
/// (<see cref="ExecutionRules"/>): of them only the first and last sighting of each status stay, as history.
/// statusDetails stay only where resolution can still read them (see <see cref="KeepsDetails"/>) and on the latest
/// failure, which the API shows; elsewhere they are emptied, so at most <see cref="MaxEntriesWithDetails"/> entries
/// carry them.
/// </para>
/// <para>
/// Why this keeps the rules' guarantees. Each choice is a minimum or maximum of a total order within a group, and
/// min and max are associative, so <c>Compact(Compact(A) ∪ B) = Compact(A ∪ B)</c>: the ledger stays a function of
/// the set of observations, whatever their order or repetition. (An attempt only ever turns old as observations
/// arrive, and what an old attempt keeps is a subset of what it kept while current.) Resolution reads nothing else:
/// the latest executionNumber (every attempt keeps a sighting), the latest attempt's first sighting and first
/// terminal sighting (earliest of each group), its best sighting and best sighting with details (best of each group),
/// its latest sighting (latest of each group, for the no-progress timeout) and the best version (the best of a group
/// of one status has its highest version). Numbered sightings contend all or none by attempt, so for them this is
/// exact. Unnumbered sightings (IoT events, operator updates that named no attempt) contend from a point in time on;
/// the best of those after any point is its group's (or, for details, its stage's) best or latest as long as a later
/// unnumbered sighting never carries a lower versionNumber than an earlier one. AWS increments versionNumber on every
/// update of an attempt (https://docs.aws.amazon.com/iot/latest/apireference/API_iot-jobs-data_JobExecution.html),
/// and events carry none, so only unnumbered operator updates of different attempts, three or more with falling
/// versions, could make resolution pick another unnumbered sighting than the whole ledger would; the record is a
/// function of the set of observations even then.
/// </para>
/// <para>
/// A second caveat, on times only: when unnumbered sightings of one status span the first sighting of the latest
/// attempt (an operator update that named no attempt before a retry began, and more after), the earliest of them
/// inside the latest attempt may have been dropped as a middle one, and the attempt's queuedAt or startedAt is then a
/// later sighting of that status (never an earlier time, never another status). Status, details and version
/// are unaffected; the sweeper describes an execution before acting on a timeout, so a later startedAt only delays a
/// timeout candidate, never acts on a wrong one.
/// </para>
/// </summary>
public static class LedgerCompaction
{
    /// <summary>
    /// The most entries a compacted ledger holds: 8 statuses × 2 kinds of source × 3 (earliest, latest, best) for the
    /// latest attempt and as many for unnumbered sightings, plus 8 statuses × 2 (first, last) for older attempts.
    /// </summary>
    public const int MaxEntries = (8 * 2 * 3 * 2) + (8 * 2);

    /// <summary>
    /// The most entries that keep their statusDetails: the best of the latest attempt, the best and the latest
    /// unnumbered sighting of each of the three stages, and the latest failure.
    /// </summary>
    public const int MaxEntriesWithDetails = 1 + (3 * 2) + 1;

    private static readonly IReadOnlyDictionary<string, string> NoDetails = new Dictionary<string, string>();

    /// <summary>The compacted ledger, in <see cref="LedgerEntry.ChronologicalOrder"/>. Ids must be distinct.</summary>
    public static IReadOnlyList<LedgerEntry> Compact(IReadOnlyCollection<LedgerEntry> ledger)
    {
        ArgumentNullException.ThrowIfNull(ledger);
        if (ledger.Count == 0)
        {
            return [];
        }

        var latestExecution = ledger.Max(entry => entry.ExecutionNumber);
        var kept = new HashSet<LedgerEntry>(ReferenceEqualityComparer.Instance);
        foreach (var group in ledger.GroupBy(entry => GroupOf(entry, latestExecution)))
        {
            kept.Add(group.MinBy(entry => entry, LedgerEntry.ChronologicalOrder)!);
            kept.Add(group.MaxBy(entry => entry, LedgerEntry.ChronologicalOrder)!);
            if (!group.Key.Old)
            {
                kept.Add(group.MaxBy(entry => entry, ExecutionRules.Precedence)!);
            }
        }

        var withDetails = KeepsDetails(kept, latestExecution);
        return kept
            .Select(entry => withDetails.Contains(entry) || entry.StatusDetails.Count == 0 ? entry : entry with { StatusDetails = NoDetails })
            .OrderBy(entry => entry, LedgerEntry.ChronologicalOrder)
            .ToList();
    }

    /// <summary>
    /// The sightings whose statusDetails resolution may still read (<see cref="ExecutionRules"/>: the winner's, or
    /// the best-ranked details of the contenders): the best of the latest attempt that saw details, and, for
    /// unnumbered sightings, which contend from a point in time on, the best and the latest of each stage (the best
    /// after any point is one of those, as the class comment argues). And the latest failure, for what the API shows
    /// (<see cref="ExecutionRecord.LatestFailure"/>). Each is a maximum over the set, so this too is order-free.
    /// </summary>
    private static HashSet<LedgerEntry> KeepsDetails(IReadOnlyCollection<LedgerEntry> kept, long? latestExecution)
    {
        var withDetails = new HashSet<LedgerEntry>(ReferenceEqualityComparer.Instance);
        void Add(LedgerEntry? entry)
        {
            if (entry is not null)
            {
                withDetails.Add(entry);
            }
        }

        Add(kept.Where(entry => entry.DetailsKnown && entry.ExecutionNumber is not null && entry.ExecutionNumber == latestExecution)
            .MaxBy(entry => entry, ExecutionRules.Precedence));
        foreach (var stage in kept.Where(entry => entry.DetailsKnown && entry.ExecutionNumber is null).GroupBy(entry => ExecutionRules.Stage(entry.Status)))
        {
            Add(stage.MaxBy(entry => entry, ExecutionRules.Precedence));
            Add(stage.MaxBy(entry => entry, LedgerEntry.ChronologicalOrder));
        }

        Add(kept.Where(entry => entry.Status.IsFailure()).MaxBy(entry => entry, LedgerEntry.ChronologicalOrder));
        return withDetails;
    }

    /// <summary>Old attempts keep a history per status; the latest attempt and unnumbered sightings keep what resolution needs.</summary>
    private static Group GroupOf(LedgerEntry entry, long? latestExecution) =>
        entry.ExecutionNumber is { } number && number < latestExecution
            ? new Group(Old: true, ExecutionNumber: null, entry.Status, DetailsKnown: false)
            : new Group(Old: false, entry.ExecutionNumber, entry.Status, entry.DetailsKnown);

    private sealed record Group(bool Old, long? ExecutionNumber, ExecutionStatus Status, bool DetailsKnown);
}
