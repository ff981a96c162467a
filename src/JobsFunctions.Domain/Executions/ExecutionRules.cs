namespace JobsFunctions.Domain.Executions;

/// <summary>
/// The recording rules. IoT delivers events at least once and in any order, without versionNumber; snapshots and
/// operator updates carry versionNumber and executionNumber. The rules make the stored record a function of the
/// <em>set</em> of distinct observations, so any permutation or duplication of the same observations ends in the
/// same record, ledger and counters:
/// <list type="number">
/// <item>An observation joins the ledger, which is then compacted (<see cref="LedgerCompaction"/>: every transition, the
/// first and last sighting of each status); when that leaves the ledger as it was (its id is already there, or it is
/// a sighting between the first and the latest of its kind) it is a duplicate and changes nothing.</item>
/// <item>Otherwise the current state is resolved afresh from the whole compacted ledger.</item>
/// <item>Resolution: only the latest known execution (highest executionNumber; an observation without one belongs to
/// it unless it predates a retry's first sighting, or is a different terminal status after that execution's own,
/// which only a later, unnumbered retry can be) competes; among those the later stage wins (IN_PROGRESS beats QUEUED, a terminal status beats both, since an
/// execution never goes back a stage); then the higher known versionNumber;
/// then the later event time; then a fixed order of status, source and id so that ties are still deterministic.</item>
/// <item>A sighting that could not see the details (a list summary) takes them from the best-ranked sighting of the
/// same attempt that could.</item>
/// </list>
/// </summary>
public static class ExecutionRules
{
    public static RecordingDecision Apply(ExecutionRecord? current, ExecutionObservation observation, DateTimeOffset recordedAt)
    {
        ArgumentNullException.ThrowIfNull(observation);
        return Apply(current, [observation], recordedAt);
    }

    /// <summary>
    /// Applies several observations of one execution at once (what one snapshot tells), as one write: the result is
    /// the record their one-by-one application would end in, and a duplicate only when every one is.
    /// </summary>
    public static RecordingDecision Apply(ExecutionRecord? current, IReadOnlyCollection<ExecutionObservation> observations, DateTimeOffset recordedAt)
    {
        ArgumentNullException.ThrowIfNull(observations);
        if (observations.Count == 0)
        {
            throw new ArgumentException("Nothing to apply.", nameof(observations));
        }

        var first = observations.First();
        if (observations.Any(observation => !string.Equals(observation.JobId, first.JobId, StringComparison.Ordinal)
            || !string.Equals(observation.ThingName, first.ThingName, StringComparison.Ordinal)))
        {
            throw new ArgumentException("Observations applied together must be of one execution.", nameof(observations));
        }

        var joined = new List<LedgerEntry>(current?.Ledger ?? []);
        var seen = joined.Select(entry => entry.ObservationId).ToHashSet(StringComparer.Ordinal);
        foreach (var observation in observations)
        {
            if (seen.Add(observation.ObservationId))
            {
                joined.Add(LedgerEntry.From(observation, recordedAt));
            }
        }

        // A duplicate is what leaves the compacted ledger as it was: an id already kept, or a sighting compaction drops
        // at once (a heartbeat between the first and the latest of its status). A ledger stored before compaction
        // existed compacts here, on its next write.
        var ledger = LedgerCompaction.Compact(joined);
        if (current is not null && SameLedger(current.Ledger, ledger))
        {
            return new RecordingDecision.Duplicate(current);
        }

        var next = Resolve(first.JobId, first.ThingName, ledger, current?.Revision ?? 0);
        // Learning a versionNumber or executionNumber we did not know is not a change of state: what an operator sees
        // stayed the same. Replacing a known one is.
        var stateChanged = current is null
            || current.Status != next.Status
            || Replaced(current.ExecutionNumber, next.ExecutionNumber)
            || Replaced(current.VersionNumber, next.VersionNumber)
            || !SameDetails(current.StatusDetails, next.StatusDetails);
        return new RecordingDecision.Record(next, current?.Status, stateChanged) { EndedChanges = EndedAttempts.Between(current?.Ledger, next.Ledger) };
    }

    /// <summary>
    /// Resolves the current state from a ledger; the result depends neither on the ledger's order nor on whether it was
    /// compacted first (<see cref="LedgerCompaction"/> keeps every entry resolution reads; see there for its one caveat).
    /// </summary>
    public static ExecutionRecord Resolve(string jobId, string thingName, IReadOnlyCollection<LedgerEntry> ledger, long revision)
    {
        var (contenders, latestExecution) = Attempt(ledger);
        var winner = contenders.Aggregate((best, entry) => Precedence.Compare(entry, best) > 0 ? entry : best);
        var sorted = ledger.OrderBy(entry => entry, LedgerEntry.ChronologicalOrder).ToList();

        return new ExecutionRecord(
            jobId,
            thingName,
            winner.Status,
            DetailsOf(winner, contenders),
            contenders.Max(entry => entry.VersionNumber),
            latestExecution,
            winner.OccurredAt,
            sorted,
            revision);
    }

    /// <summary>
    /// The ledger entries that describe the execution's current attempt (the latest execution), the ones its current
    /// state is resolved from; in no particular order.
    /// </summary>
    public static IReadOnlyList<LedgerEntry> CurrentAttempt(IReadOnlyCollection<LedgerEntry> ledger) => Attempt(ledger).Contenders;

    private static (List<LedgerEntry> Contenders, long? LatestExecution) Attempt(IReadOnlyCollection<LedgerEntry> ledger)
    {
        ArgumentNullException.ThrowIfNull(ledger);
        if (ledger.Count == 0)
        {
            throw new ArgumentException("A record needs at least one observation.", nameof(ledger));
        }

        var latestExecution = ledger.Max(entry => entry.ExecutionNumber);
        var contenders = ledger.Where(entry => BelongsTo(entry, latestExecution, ledger)).ToList();
        return LaterUnnumberedAttempt(contenders) is { Count: > 0 } later ? (later, null) : (contenders, latestExecution);
    }

    /// <summary>
    /// The winner's details, unless its source could not see them (a ListJobExecutionsForJob summary has none): then
    /// the details of the best-ranked sighting of the same attempt that did see them, since AWS keeps an execution's
    /// details until an update replaces them. A summary never wipes what a device reported.
    /// </summary>
    private static IReadOnlyDictionary<string, string> DetailsOf(LedgerEntry winner, List<LedgerEntry> contenders) =>
        winner.DetailsKnown
            ? winner.StatusDetails
            : contenders.Where(entry => entry.DetailsKnown).Aggregate((LedgerEntry?)null, (best, entry) =>
                best is null || Precedence.Compare(entry, best) > 0 ? entry : best)?.StatusDetails ?? winner.StatusDetails;

    /// <summary>
    /// Whether an observation can describe the latest execution. Events carry no executionNumber: one belongs to the
    /// latest execution unless that execution is a retry (number above 1) first seen after the event happened, in
    /// which case the event told of an earlier attempt.
    /// </summary>
    private static bool BelongsTo(LedgerEntry entry, long? latestExecution, IReadOnlyCollection<LedgerEntry> ledger)
    {
        if (entry.ExecutionNumber is { } number)
        {
            return number == latestExecution;
        }

        if (latestExecution is not > 1)
        {
            return true;
        }

        var latestFirstSeen = ledger.Where(other => other.ExecutionNumber == latestExecution).Min(other => other.OccurredAt);
        return entry.OccurredAt >= latestFirstSeen;
    }

    /// <summary>
    /// A terminal status is final, so an event of another terminal status after the numbered terminal sighting of the
    /// latest known execution tells of a later attempt (a retry) whose number no one has reported. Its events, from
    /// the first such one on, are then the contenders; otherwise none are returned.
    /// </summary>
    private static List<LedgerEntry> LaterUnnumberedAttempt(List<LedgerEntry> contenders)
    {
        var numberedTerminal = contenders.Where(entry => entry.ExecutionNumber is not null && entry.Status.IsTerminal()).ToList();
        if (numberedTerminal.Count == 0)
        {
            return [];
        }

        var final = numberedTerminal.Aggregate((best, entry) => Precedence.Compare(entry, best) > 0 ? entry : best).Status;
        var finishedAt = numberedTerminal.Min(entry => entry.OccurredAt);
        var beyond = contenders
            .Where(entry => entry.ExecutionNumber is null && entry.Status.IsTerminal() && entry.Status != final && entry.OccurredAt > finishedAt)
            .Select(entry => (DateTimeOffset?)entry.OccurredAt)
            .Min();
        return beyond is { } firstAt
            ? contenders.Where(entry => entry.ExecutionNumber is null && entry.OccurredAt >= firstAt).ToList()
            : [];
    }

    /// <summary>
    /// A total order over observations of one execution: the greatest is the current state. The stage comes first
    /// (QUEUED, then IN_PROGRESS, then any terminal status), because one execution only ever moves forward through
    /// them; so a sighting without a versionNumber (an event, a list summary) still outranks an earlier stage whose
    /// version is known.
    /// </summary>
    public static IComparer<LedgerEntry> Precedence { get; } = Comparer<LedgerEntry>.Create((a, b) =>
    {
        int comparison;
        if ((comparison = Stage(a.Status).CompareTo(Stage(b.Status))) != 0
            || (comparison = (a.VersionNumber ?? -1).CompareTo(b.VersionNumber ?? -1)) != 0
            || (comparison = a.OccurredAt.CompareTo(b.OccurredAt)) != 0
            || (comparison = TieOrder(a.Status).CompareTo(TieOrder(b.Status))) != 0
            || (comparison = TieOrder(a.Source).CompareTo(TieOrder(b.Source))) != 0)
        {
            return comparison;
        }

        return string.CompareOrdinal(a.ObservationId, b.ObservationId);
    });

    internal static int Stage(ExecutionStatus status) => ExecutionLifecycle.Stage(status);

    /// <summary>
    /// A fixed order of statuses for ties of stage, version and time only (two terminal statuses seen at one instant),
    /// written out so that reordering the enum never changes which stored sighting wins.
    /// </summary>
    private static int TieOrder(ExecutionStatus status) => status switch
    {
        ExecutionStatus.Queued => 0,
        ExecutionStatus.InProgress => 1,
        ExecutionStatus.Succeeded => 2,
        ExecutionStatus.Failed => 3,
        ExecutionStatus.TimedOut => 4,
        ExecutionStatus.Rejected => 5,
        ExecutionStatus.Removed => 6,
        ExecutionStatus.Canceled => 7,
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, null),
    };

    /// <summary>The least to the most authoritative source, for ties of everything but the source and the id.</summary>
    private static int TieOrder(ObservationSource source) => source switch
    {
        ObservationSource.Event => 0,
        ObservationSource.Snapshot => 1,
        ObservationSource.OperatorUpdate => 2,
        ObservationSource.Sweeper => 3,
        _ => throw new ArgumentOutOfRangeException(nameof(source), source, null),
    };

    /// <summary>
    /// Learning a number the record did not know is not a change of state: a stale snapshot behind a terminal event
    /// carries the versionNumber and executionNumber the event lacked, yet the execution is where it was.
    /// </summary>
    private static bool Replaced(long? known, long? resolved) => known is not null && known != resolved;

    private static bool SameLedger(IReadOnlyList<LedgerEntry> stored, IReadOnlyList<LedgerEntry> compacted)
    {
        if (stored.Count != compacted.Count)
        {
            return false;
        }

        var byId = stored.ToDictionary(entry => entry.ObservationId, StringComparer.Ordinal);
        return compacted.All(entry => byId.TryGetValue(entry.ObservationId, out var kept) && SameDetails(kept.StatusDetails, entry.StatusDetails));
    }

    private static bool SameDetails(IReadOnlyDictionary<string, string> a, IReadOnlyDictionary<string, string> b) =>
        a.Count == b.Count && a.All(pair => b.TryGetValue(pair.Key, out var value) && string.Equals(value, pair.Value, StringComparison.Ordinal));
}

/// <summary>What recording one observation amounts to.</summary>
public abstract record RecordingDecision
{
    private RecordingDecision()
    {
    }

    /// <summary>The observation is already in the ledger: write nothing.</summary>
    public sealed record Duplicate(ExecutionRecord Current) : RecordingDecision;

    /// <summary>
    /// Store <paramref name="Next"/>. When <paramref name="PreviousStatus"/> differs from Next.Status the job's counters
    /// move one from the old status to the new (or gain one, for a first sighting), in the same atomic write; so do
    /// the ended-attempt counters by <see cref="EndedChanges"/>. <paramref name="StateChanged"/> is false when the
    /// observation only joined the ledger (it was stale; a stale attempt's end still counts).
    /// </summary>
    public sealed record Record(ExecutionRecord Next, ExecutionStatus? PreviousStatus, bool StateChanged) : RecordingDecision
    {
        public IReadOnlyList<EndedAttemptChange> EndedChanges { get; init; } = [];

        public CounterChange? CounterChange => PreviousStatus == Next.Status && EndedChanges.Count == 0
            ? null
            : new CounterChange(PreviousStatus, Next.Status) { Ended = EndedChanges };
    }
}

/// <summary>
/// One execution leaves <paramref name="From"/> (none for a first sighting) and enters <paramref name="To"/> (the same
/// status when only <see cref="Ended"/> moves), and the job's ended-attempt counters move by <see cref="Ended"/>.
/// </summary>
public sealed record CounterChange(ExecutionStatus? From, ExecutionStatus To)
{
    public IReadOnlyList<EndedAttemptChange> Ended { get; init; } = [];

    public bool MovesStatus => From != To;
}
