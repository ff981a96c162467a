using CsCheck;
using JobsFunctions.Domain.Executions;
using JobsFunctions.Domain.Recording;
using JobsFunctions.Domain.Tests.Generators;
using JobsFunctions.TestSupport;
using Microsoft.Extensions.Time.Testing;

namespace JobsFunctions.Domain.Tests.Recording;

/// <summary>IoT delivers at least once and in any order: the records and counters must not care.</summary>
public sealed class ExecutionRecordingProperties
{
    private static readonly DateTimeOffset Now = new(2025, 3, 2, 0, 0, 0, TimeSpan.Zero);

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public Task Any_order_and_duplication_of_the_same_observations_ends_in_the_same_records_ledgers_and_counters() =>
        Deliveries.Of(ExecutionHistories.Observations).SampleAsync(
            async sample =>
            {
                var expected = await RecordInTurnAsync(sample.Distinct);
                var actual = await RecordInTurnAsync(sample.Delivered, afterEach: AssertCountersMatchRecordsAsync);

                Assert.Equal(expected.Records, actual.Records);
                Assert.Equal(expected.Counts, actual.Counts);
                Assert.Equal(sample.Distinct.Count, actual.Store.ExecutionWrites);
                Assert.Equal(sample.Delivered.Length - sample.Distinct.Count, actual.Outcomes.Count(outcome => outcome == RecordOutcome.Duplicate));
                AssertEachObservationIsInItsLedgerOnce(sample.Distinct, actual.Store);
            },
            iter: 400,
            print: Print);

    [Fact]
    public Task Racing_writers_delivering_the_same_observations_end_in_the_same_records_and_counters() =>
        Deliveries.Of(ExecutionHistories.Observations).SampleAsync(
            async sample =>
            {
                var expected = await RecordInTurnAsync(sample.Distinct);
                var store = new InMemoryRecordStore();
                var recorder = new StatusRecorder(store, new FakeTimeProvider(Now));

                await Task.WhenAll(sample.Delivered.Select(observation => Task.Run(() => recorder.RecordAsync(observation, Cancel), Cancel)));

                Assert.Equal(expected.Records, store.Executions.Select(Canonical.Of));
                Assert.Equal(expected.Counts, await CountsAsync(store));
                Assert.Equal(sample.Distinct.Count, store.ExecutionWrites);
                await AssertCountersMatchRecordsAsync(store);
            },
            iter: 60,
            print: Print);

    [Fact]
    public Task Observations_of_one_execution_recorded_together_end_in_the_same_records_and_counters_as_one_by_one() =>
        Deliveries.Of(ExecutionHistories.Observations).SampleAsync(
            async sample =>
            {
                var expected = await RecordInTurnAsync(sample.Distinct);
                var store = new InMemoryRecordStore();
                var recorder = new StatusRecorder(store, new FakeTimeProvider(Now));

                foreach (var execution in sample.Delivered.GroupBy(observation => (observation.JobId, observation.ThingName)))
                {
                    await recorder.RecordAsync([.. execution], known: null, Cancel);
                }

                Assert.Equal(expected.Records, store.Executions.Select(Canonical.Of));
                Assert.Equal(expected.Counts, await CountsAsync(store));
                await AssertCountersMatchRecordsAsync(store);
            },
            iter: 200,
            print: Print);

    [Fact]
    public Task Every_attempt_that_ended_is_counted_once_whatever_the_order_and_a_retry_never_takes_one_back() =>
        Deliveries.Of(ExecutionHistories.Observations).SampleAsync(
            async sample =>
            {
                var store = new InMemoryRecordStore();
                var recorder = new StatusRecorder(store, new FakeTimeProvider(Now));
                var seen = ExecutionHistories.JobIds.ToDictionary(jobId => jobId, _ => 0L);
                foreach (var observation in sample.Delivered)
                {
                    await recorder.RecordAsync(observation, Cancel);
                    var total = (await store.GetEndedAttemptCountsAsync(observation.JobId, Cancel)).Total;
                    Assert.True(total >= seen[observation.JobId], $"{observation.JobId}'s ended attempts fell from {seen[observation.JobId]} to {total}");
                    seen[observation.JobId] = total;
                }

                // The generator gives every terminal status of every attempt its event (evt/{job}/{thing}/{number}).
                foreach (var jobId in ExecutionHistories.JobIds)
                {
                    var expected = new StatusCounts();
                    foreach (var ended in sample.Distinct.Where(observation => observation.JobId == jobId
                        && observation.Source == ObservationSource.Event && observation.Status.IsExecuted()))
                    {
                        expected.Add(ended.Status, 1);
                    }

                    Assert.Equal(Canonical.Of(expected), Canonical.Of(await store.GetEndedAttemptCountsAsync(jobId, Cancel)));
                }
            },
            iter: 400,
            print: Print);

    private static async Task<Replay> RecordInTurnAsync(IEnumerable<ExecutionObservation> observations, Func<InMemoryRecordStore, Task>? afterEach = null)
    {
        var store = new InMemoryRecordStore();
        var recorder = new StatusRecorder(store, new FakeTimeProvider(Now));
        var outcomes = new List<RecordOutcome>();
        foreach (var observation in observations)
        {
            outcomes.Add((await recorder.RecordAsync(observation, Cancel)).Outcome);
            if (afterEach is not null)
            {
                await afterEach(store);
            }
        }

        return new Replay(store, [.. store.Executions.Select(Canonical.Of)], await CountsAsync(store), outcomes);
    }

    /// <summary>Counters are kept by the writes, never recounted: after every write they must still match the records.</summary>
    private static async Task AssertCountersMatchRecordsAsync(InMemoryRecordStore store)
    {
        var records = store.Executions;
        foreach (var jobId in ExecutionHistories.JobIds)
        {
            var counts = await store.GetCountsAsync(jobId, Cancel);
            Assert.All(ExecutionStatuses.All, status => Assert.Equal(records.Count(record => record.JobId == jobId && record.Status == status), counts[status]));
            var ended = await store.GetEndedAttemptCountsAsync(jobId, Cancel);
            var attempts = records.Where(record => record.JobId == jobId).SelectMany(record => EndedAttempts.Of(record.Ledger)).ToList();
            Assert.All(ExecutionStatuses.All, status => Assert.Equal(attempts.Count(attempt => attempt.Status == status), ended[status]));
            var minutes = (await store.ListEndedMinutesAsync(jobId, Now.AddDays(-7), 1000, null, Cancel)).Items;
            Assert.All(ExecutionStatuses.All, status => Assert.Equal(ended[status], minutes.Sum(minute => minute.Counts[status])));
        }
    }

    private static void AssertEachObservationIsInItsLedgerOnce(IReadOnlyList<ExecutionObservation> distinct, InMemoryRecordStore store)
    {
        foreach (var record in store.Executions)
        {
            var expected = distinct
                .Where(observation => observation.JobId == record.JobId && observation.ThingName == record.ThingName)
                .Select(observation => observation.ObservationId)
                .Order(StringComparer.Ordinal);
            Assert.Equal(expected, record.Ledger.Select(entry => entry.ObservationId).Order(StringComparer.Ordinal));
        }
    }

    private static async Task<List<string>> CountsAsync(InMemoryRecordStore store)
    {
        var counts = new List<string>();
        foreach (var jobId in ExecutionHistories.JobIds)
        {
            counts.Add($"{jobId}: {Canonical.Of(await store.GetCountsAsync(jobId, Cancel))}");
            counts.Add($"{jobId} ended: {Canonical.Of(await store.GetEndedAttemptCountsAsync(jobId, Cancel))}");
            foreach (var minute in (await store.ListEndedMinutesAsync(jobId, Now.AddDays(-7), 1000, null, Cancel)).Items)
            {
                counts.Add($"{jobId} ended at {minute.Minute:HH:mm}: {Canonical.Of(minute.Counts)}");
            }
        }

        return counts;
    }

    private static string Print((IReadOnlyList<ExecutionObservation> Distinct, ExecutionObservation[] Delivered) sample) =>
        "delivered in this order:\n" + string.Join("\n", sample.Delivered.Select(observation =>
            $"  {observation.ObservationId} {observation.Status} {observation.Source} at {observation.OccurredAt:HH:mm:ss} v{observation.VersionNumber} n{observation.ExecutionNumber}"));

    private sealed record Replay(InMemoryRecordStore Store, List<string> Records, List<string> Counts, List<RecordOutcome> Outcomes);
}
