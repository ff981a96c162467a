using CsCheck;
using JobsFunctions.Domain.Executions;
using JobsFunctions.Domain.Recording;
using JobsFunctions.Domain.Tests.Generators;
using JobsFunctions.TestSupport;
using Microsoft.Extensions.Time.Testing;

namespace JobsFunctions.Domain.Tests.Executions;

/// <summary>
/// Compaction keeps a heartbeating execution's ledger bounded; these properties check that it changes nothing the rules
/// decide, and that the record stays a function of the set of observations.
/// </summary>
public sealed class LedgerCompactionProperties
{
    private static readonly DateTimeOffset Now = new(2025, 3, 2, 0, 0, 0, TimeSpan.Zero);

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public void Resolving_the_compacted_ledger_decides_what_resolving_the_whole_ledger_decides() =>
        Gen.OneOf(HeartbeatHistories.OfOneExecution, OneExecutionOf(ExecutionHistories.Observations)).Sample(
            observations =>
            {
                var ledger = observations.Select(observation => LedgerEntry.From(observation, Now)).ToList();
                var compacted = LedgerCompaction.Compact(ledger);

                Assert.Equal(Decided(ledger), Decided(compacted));
                AssertSameTimesButTheCaveat(ledger, compacted, ExecutionStatus.Queued);
                AssertSameTimesButTheCaveat(ledger, compacted, ExecutionStatus.InProgress);
            },
            iter: 2_000,
            print: Print);

    [Fact]
    public void Compacting_part_of_the_observations_first_ends_in_the_ledger_compacting_them_all_at_once_does() =>
        Gen.Select(HeartbeatHistories.OfOneExecution, Gen.Bool.Array[200]).Sample(
            sample =>
            {
                var (observations, inFirstPart) = sample;
                var entries = observations.Select(observation => LedgerEntry.From(observation, Now)).ToList();
                var first = entries.Where((_, index) => inFirstPart[index % inFirstPart.Length]).ToList();
                var rest = entries.Where((_, index) => !inFirstPart[index % inFirstPart.Length]);

                var inTwoSteps = LedgerCompaction.Compact([.. LedgerCompaction.Compact(first), .. rest]);

                Assert.Equal(Canonical(LedgerCompaction.Compact(entries)), Canonical(inTwoSteps));
            },
            iter: 1_000);

    [Fact]
    public void A_compacted_ledger_stays_within_its_bound_and_keeps_details_on_few_entries() =>
        HeartbeatHistories.OfOneExecution.Sample(
            observations =>
            {
                var compacted = LedgerCompaction.Compact([.. observations.Select(observation => LedgerEntry.From(observation, Now))]);

                Assert.InRange(compacted.Count, 1, LedgerCompaction.MaxEntries);
                Assert.InRange(compacted.Count(entry => entry.StatusDetails.Count > 0), 0, LedgerCompaction.MaxEntriesWithDetails);
            },
            iter: 1_000);

    [Fact]
    public Task Any_order_and_duplication_of_heartbeats_ends_in_the_same_records_and_counters_and_a_redelivery_writes_nothing() =>
        Deliveries.Of(HeartbeatHistories.OfSeveralExecutions).SampleAsync(
            async sample =>
            {
                var expected = await RecordAsync(sample.Distinct);
                var actual = await RecordAsync(sample.Delivered);

                Assert.Equal(expected.Records, actual.Records);
                Assert.Equal(expected.Counts, actual.Counts);
                var writes = actual.Store.ExecutionWrites;
                foreach (var observation in sample.Distinct)
                {
                    Assert.Equal(RecordOutcome.Duplicate, (await actual.Recorder.RecordAsync(observation, Cancel)).Outcome);
                }

                Assert.Equal(writes, actual.Store.ExecutionWrites);
            },
            iter: 200,
            print: sample => Print(sample.Delivered));

    private static async Task<(InMemoryRecordStore Store, StatusRecorder Recorder, List<string> Records, string Counts)> RecordAsync(
        IEnumerable<ExecutionObservation> observations)
    {
        var store = new InMemoryRecordStore();
        var recorder = new StatusRecorder(store, new FakeTimeProvider(Now));
        foreach (var observation in observations)
        {
            await recorder.RecordAsync(observation, Cancel);
        }

        return (store, recorder, [.. store.Executions.Select(Generators.Canonical.Of)],
            Generators.Canonical.Of(await store.GetCountsAsync(HeartbeatHistories.JobId, Cancel)));
    }

    /// <summary>Everything the rules decide from a ledger: the record's state, the times the sweeper judges, the failure the API shows.</summary>
    private static string Decided(IReadOnlyCollection<LedgerEntry> ledger)
    {
        var record = ExecutionRules.Resolve("job", "thing", ledger, revision: 0);
        var times = ExecutionTimes.Of(record);
        var failure = record.LatestFailure;
        return $"{record.Status} {Generators.Canonical.Of(record.StatusDetails)} v{record.VersionNumber} n{record.ExecutionNumber} at {record.LastChangedAt:O}"
            + $" last {times.LastChangedAt:O}"
            + $" failure {(failure is null ? "-" : $"{failure.ObservationId} {Generators.Canonical.Of(failure.StatusDetails)}")}";
    }

    /// <summary>
    /// The current attempt's first sighting of <paramref name="status"/> (queuedAt, startedAt) is the same after
    /// compaction, but for the caveat <see cref="LedgerCompaction"/> states: when unnumbered sightings of that status
    /// span the start of the latest attempt, the first of them inside it may have gone, and the compacted time is a
    /// later sighting of the same status, never an earlier one and never another status's.
    /// </summary>
    private static void AssertSameTimesButTheCaveat(IReadOnlyCollection<LedgerEntry> ledger, IReadOnlyCollection<LedgerEntry> compacted, ExecutionStatus status)
    {
        static LedgerEntry? First(IReadOnlyCollection<LedgerEntry> entries, ExecutionStatus status) =>
            ExecutionRules.CurrentAttempt(entries).Where(entry => entry.Status == status).MinBy(entry => entry, LedgerEntry.ChronologicalOrder);

        var whole = First(ledger, status);
        var kept = First(compacted, status);
        if (whole?.OccurredAt == kept?.OccurredAt)
        {
            return;
        }

        var current = ExecutionRules.CurrentAttempt(ledger);
        Assert.NotNull(whole);
        Assert.NotNull(kept);
        Assert.Null(whole.ExecutionNumber);
        Assert.True(kept.OccurredAt > whole.OccurredAt, $"{status}: compacted {kept.OccurredAt:O} before {whole.OccurredAt:O}");
        Assert.Contains(ledger, entry => entry.ExecutionNumber is null && entry.Status == status && !current.Contains(entry));
    }

    private static List<string> Canonical(IEnumerable<LedgerEntry> ledger) => [.. ledger.Select(Generators.Canonical.Of)];

    /// <summary>The observations of the first (job, thing) that has any.</summary>
    private static Gen<IReadOnlyList<ExecutionObservation>> OneExecutionOf(Gen<IReadOnlyList<ExecutionObservation>> observations) =>
        observations.Select(all => (IReadOnlyList<ExecutionObservation>)[.. all.Where(observation =>
            observation.JobId == all[0].JobId && observation.ThingName == all[0].ThingName)]);

    private static string Print(IEnumerable<ExecutionObservation> observations) =>
        "observations:\n" + string.Join("\n", observations.Select(observation =>
            $"  {observation.ThingName} {observation.ObservationId} {observation.Status} {observation.Source} at {observation.OccurredAt:HH:mm:ss}"
            + $" v{observation.VersionNumber} n{observation.ExecutionNumber} {Generators.Canonical.Of(observation.StatusDetails)} known={observation.DetailsKnown}"));
}
