namespace JobsFunctions.Domain.Executions;

/// <summary>One attempt of an execution that was executed to its end: its terminal status and when IoT reported it.</summary>
public sealed record EndedAttempt(ExecutionStatus Status, DateTimeOffset EndedAt);

/// <summary>
/// A move of a job's ended-attempt counters: <paramref name="Delta"/> attempts of <paramref name="Status"/> that ended in
/// the minute starting at <paramref name="Minute"/> (negative when a re-resolved attempt leaves that status or minute).
/// </summary>
public sealed record EndedAttemptChange(ExecutionStatus Status, DateTimeOffset Minute, int Delta);

/// <summary>
/// The executed attempts an execution's ledger tells of. AWS retries a failed or timed-out execution under a new
/// executionNumber (jobExecutionsRetryConfig, https://docs.aws.amazon.com/iot/latest/developerguide/jobs-configurations-details.html),
/// and the record then shows the retry alone; the attempts before it stay in the ledger, so they are counted from it:
/// <list type="bullet">
/// <item>An entry with an executionNumber belongs to that attempt. One without (an event) belongs to the latest known
/// attempt first seen at or before it; one older than every known attempt belongs to attempt 1, or to the attempt
/// before the oldest known one when that one is a retry (the failure event of the attempt a retry replaced).</item>
/// <item>IoT publishes one event per terminal change: every distinct terminal event is one attempt's end, and a
/// numbered terminal sighting is its own attempt's end, sharing the earliest event of its status. Other events in
/// its attempt are later attempts nobody numbered (as <see cref="ExecutionRules"/> resolves a retry known only by
/// its event).</item>
/// <item>Only executed statuses count (SUCCEEDED, FAILED, REJECTED, TIMED_OUT): a canceled or removed attempt tells
/// nothing of how the job fares on the device.</item>
/// </list>
/// The result is a function of the ledger's set of entries, so counters moved by <see cref="Between"/> on every write
/// end the same whatever the order and repetition of the observations, exactly like the status counters.
/// </summary>
public static class EndedAttempts
{
    /// <summary>The start of the UTC minute <paramref name="time"/> falls in: the bucket an attempt is counted in.</summary>
    public static DateTimeOffset MinuteOf(DateTimeOffset time)
    {
        var utc = time.ToUniversalTime();
        return new DateTimeOffset(utc.Ticks - (utc.Ticks % TimeSpan.TicksPerMinute), TimeSpan.Zero);
    }

    public static IReadOnlyList<EndedAttempt> Of(IReadOnlyCollection<LedgerEntry> ledger)
    {
        ArgumentNullException.ThrowIfNull(ledger);
        var firstSeen = ledger
            .Where(entry => entry.ExecutionNumber is not null)
            .GroupBy(entry => entry.ExecutionNumber!.Value)
            .ToDictionary(group => group.Key, group => group.Min(entry => entry.OccurredAt));
        var numbers = firstSeen.Keys.Order().ToList();
        return ledger
            .GroupBy(entry => AttemptOf(entry, numbers, firstSeen))
            .OrderBy(group => group.Key)
            .SelectMany(group => Ends(group.ToList()))
            .Where(attempt => attempt.Status.IsExecuted())
            .ToList();
    }

    /// <summary>How the ended-attempt counters move when a record's ledger goes from <paramref name="before"/> to <paramref name="after"/>.</summary>
    public static IReadOnlyList<EndedAttemptChange> Between(IReadOnlyCollection<LedgerEntry>? before, IReadOnlyCollection<LedgerEntry> after)
    {
        var tally = new Dictionary<(ExecutionStatus Status, DateTimeOffset Minute), int>();
        foreach (var (attempts, sign) in new[] { (before is null ? [] : Of(before), -1), (Of(after), 1) })
        {
            foreach (var attempt in attempts)
            {
                var key = (attempt.Status, MinuteOf(attempt.EndedAt));
                tally[key] = tally.GetValueOrDefault(key) + sign;
            }
        }

        // Nothing moved is the shared empty list, so a change without attempts equals one built without them.
        var moved = tally.Where(pair => pair.Value != 0).ToList();
        return moved.Count == 0 ? [] : [.. moved
            .OrderBy(pair => pair.Key.Minute)
            .ThenBy(pair => pair.Key.Status)
            .Select(pair => new EndedAttemptChange(pair.Key.Status, pair.Key.Minute, pair.Value))];
    }

    private static long AttemptOf(LedgerEntry entry, List<long> numbers, Dictionary<long, DateTimeOffset> firstSeen)
    {
        if (entry.ExecutionNumber is { } number)
        {
            return number;
        }

        if (numbers.Count == 0)
        {
            return 0;
        }

        var latest = numbers.LastOrDefault(known => firstSeen[known] <= entry.OccurredAt);
        return latest != 0 ? latest : Math.Max(1, numbers[0] - 1);
    }

    /// <summary>
    /// The ends of the attempts one attempt's entries tell of. IoT publishes one event per terminal change, and only
    /// for terminal changes, so every distinct terminal event is one attempt's end; a numbered terminal sighting is
    /// the end of its own attempt, which takes the earliest event of its status as its own (the event IoT published
    /// for that end). The other events are later attempts nobody numbered; one before the numbered end with another
    /// status cannot be and is not counted.
    /// </summary>
    private static List<EndedAttempt> Ends(List<LedgerEntry> entries)
    {
        var events = entries
            .Where(entry => entry.ExecutionNumber is null && entry.Status.IsTerminal())
            .OrderBy(entry => entry, LedgerEntry.ChronologicalOrder)
            .ToList();
        var numbered = entries.Where(entry => entry.ExecutionNumber is not null && entry.Status.IsTerminal()).ToList();
        var ends = new List<EndedAttempt>();
        if (numbered.Count > 0)
        {
            var status = numbered.Aggregate((best, entry) => ExecutionRules.Precedence.Compare(entry, best) > 0 ? entry : best).Status;
            var endedAt = numbered.Where(entry => entry.Status == status).Min(entry => entry.OccurredAt);
            if (events.FirstOrDefault(entry => entry.Status == status) is { } own)
            {
                events.Remove(own);
                endedAt = own.OccurredAt < endedAt ? own.OccurredAt : endedAt;
            }

            ends.Add(new EndedAttempt(status, endedAt));
            events.RemoveAll(entry => entry.OccurredAt < endedAt);
        }

        ends.AddRange(events.Select(entry => new EndedAttempt(entry.Status, entry.OccurredAt)));
        return ends;
    }
}
