using JobsFunctions.Domain.Executions;
using JobsFunctions.Domain.Operations;
using JobsFunctions.Domain.Recording;
using static JobsFunctions.Domain.Tests.Observe;

namespace JobsFunctions.Domain.Tests.Executions;

public sealed class LedgerCompactionTests
{
    private static readonly DateTimeOffset RecordedAt = T0.AddDays(30);

    [Fact]
    public void A_week_of_minute_heartbeats_leaves_the_same_ledger_as_a_day_of_them_with_the_latest_heartbeat_in_place_of_the_previous()
    {
        var afterOneDay = Heartbeats(1_440);
        var afterOneWeek = Heartbeats(10_080);

        Assert.Equal(afterOneDay.Ledger.Count, afterOneWeek.Ledger.Count);
        Assert.Equal(
            afterOneDay.Ledger.Select(entry => (entry.Status, entry.DetailsKnown)),
            afterOneWeek.Ledger.Select(entry => (entry.Status, entry.DetailsKnown)));
        Assert.Equal(HeartbeatAt(10_079), afterOneWeek.Ledger[^1].OccurredAt);
        Assert.Equal(HeartbeatAt(10_079), afterOneWeek.LastChangedAt);
        Assert.InRange(afterOneWeek.Ledger.Count, 1, 4);
    }

    [Fact]
    public void A_heartbeat_older_than_the_latest_one_kept_is_a_duplicate_that_writes_nothing()
    {
        var record = Heartbeats(10);

        var decision = ExecutionRules.Apply(record, Snapshots.Of(JobId, Summary(minute: 5)), RecordedAt);

        Assert.Same(record, Assert.IsType<RecordingDecision.Duplicate>(decision).Current);
    }

    [Fact]
    public void A_new_heartbeat_replaces_the_previous_latest_one_and_is_recorded_as_a_ledger_change_only()
    {
        var record = Heartbeats(10);

        var decision = Assert.IsType<RecordingDecision.Record>(ExecutionRules.Apply(record, Snapshots.Of(JobId, Summary(minute: 10)), RecordedAt));

        Assert.Equal(record.Ledger.Count, decision.Next.Ledger.Count);
        Assert.Equal(HeartbeatAt(10), decision.Next.Ledger[^1].OccurredAt);
        Assert.Null(decision.CounterChange);
    }

    [Fact]
    public void A_ledger_stored_before_compaction_still_resolves_and_compacts_on_its_next_write()
    {
        var entries = Enumerable.Range(0, 50)
            .Select(minute => LedgerEntry.From(Update(ExecutionStatus.InProgress, $"u-{minute}", minute * 60, version: minute + 2,
                details: Details(("progress", $"{minute}"))), RecordedAt))
            .ToList();
        var legacy = ExecutionRules.Resolve(JobId, ThingName, entries, revision: 7);

        var decision = Assert.IsType<RecordingDecision.Record>(
            ExecutionRules.Apply(legacy, Update(ExecutionStatus.InProgress, "u-3", 3 * 60, version: 5), RecordedAt));

        Assert.Equal(["u-0", "u-49"], decision.Next.Ledger.Select(entry => entry.ObservationId));
        Assert.Equal((ExecutionStatus.InProgress, 51L, "49"), (decision.Next.Status, decision.Next.VersionNumber, decision.Next.StatusDetails["progress"]));
        Assert.False(decision.StateChanged);
        Assert.Equal(7, decision.Next.Revision);
    }

    [Fact]
    public void Details_stay_on_the_best_sighting_and_the_latest_failure_and_are_emptied_elsewhere()
    {
        var ledger = LedgerCompaction.Compact(
        [
            Entry(Snapshot(ExecutionStatus.InProgress, "s-1", 10, version: 2, details: Details(("progress", "10")))),
            Entry(Snapshot(ExecutionStatus.InProgress, "s-2", 20, version: 3, details: Details(("progress", "20")))),
            Entry(Snapshot(ExecutionStatus.InProgress, "s-3", 30, version: 4, details: Details(("progress", "30")))),
            Entry(Snapshot(ExecutionStatus.Failed, "s-4", 40, version: 5, details: Details(("error", "disk full")))),
            Entry(Snapshot(ExecutionStatus.InProgress, "r-1", 50, version: 2, executionNumber: 2, details: Details(("progress", "retry")))),
            Entry(Snapshot(ExecutionStatus.InProgress, "r-2", 60, version: 3, executionNumber: 2, details: Details(("progress", "retry 2")))),
        ]);

        Assert.Equal(
            ["s-1 {}", "s-3 {}", "s-4 {error=disk full}", "r-1 {}", "r-2 {progress=retry 2}"],
            ledger.Select(entry => $"{entry.ObservationId} {Generators.Canonical.Of(entry.StatusDetails)}"));
    }

    [Fact]
    public void An_older_attempt_keeps_the_first_and_last_sighting_of_each_status_as_history()
    {
        var ledger = LedgerCompaction.Compact(
        [
            .. Enumerable.Range(1, 5).Select(n => Entry(Snapshot(ExecutionStatus.InProgress, $"a1-{n}", n, version: n + 1, executionNumber: 1))),
            .. Enumerable.Range(1, 5).Select(n => Entry(Snapshot(ExecutionStatus.InProgress, $"a2-{n}", 10 + n, version: n + 1, executionNumber: 2))),
            Entry(Snapshot(ExecutionStatus.Queued, "a3-1", 30, version: 1, executionNumber: 3)),
        ]);

        Assert.Equal(["a1-1", "a2-5", "a3-1"], ledger.Select(entry => entry.ObservationId));
    }

    private static LedgerEntry Entry(ExecutionObservation observation) => LedgerEntry.From(observation, RecordedAt);

    private static DateTimeOffset HeartbeatAt(int minute) => T0.AddMinutes(2 + minute);

    /// <summary>What the sweeper's reconciliation sees of a device that reports progress every minute: a new lastUpdatedAt.</summary>
    private static ExecutionSummary Summary(int minute) =>
        new(ThingName, ExecutionStatus.InProgress, 1, null, T0, T0.AddMinutes(1), HeartbeatAt(minute));

    private static ExecutionRecord Heartbeats(int minutes)
    {
        ExecutionRecord? record = null;
        for (var minute = 0; minute < minutes; minute++)
        {
            if (ExecutionRules.Apply(record, Snapshots.Of(JobId, Summary(minute)), RecordedAt) is RecordingDecision.Record decision)
            {
                record = decision.Next with { Revision = decision.Next.Revision + 1 };
            }
        }

        return record!;
    }
}
