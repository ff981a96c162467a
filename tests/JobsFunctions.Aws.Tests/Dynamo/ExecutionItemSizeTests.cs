using JobsFunctions.Aws.Dynamo;
using JobsFunctions.Domain.Executions;
using JobsFunctions.Domain.Operations;
using JobsFunctions.Domain.Recording;

namespace JobsFunctions.Aws.Tests.Dynamo;

/// <summary>An execution's item stays within a bound stated in code, whatever its devices report and however long.</summary>
public sealed class ExecutionItemSizeTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly StoreOptions Options = new("records", CounterShards: 4, LedgerRetention: TimeSpan.FromDays(30));

    [Fact]
    public void The_largest_item_the_rules_can_leave_fits_the_stated_bound_which_is_under_DynamoDB_item_limit()
    {
        // The longest of everything AWS allows (jobId 64, thingName 128, statusDetails 10 pairs of a 128-character key
        // and a 1,024-character value, here of 3-byte UTF-8 characters) and the longest observation id the product makes
        // (the sweeper's, under 256): every status, with and without details, three sightings each (the first, the best
        // by version, the last), for three attempts and for unnumbered sightings.
        var jobId = new string('j', 64);
        var thingName = new string('t', 128);
        var details = Enumerable.Range(0, 10).ToDictionary(i => $"{i}{new string('k', 127)}", i => new string('€', 1024), StringComparer.Ordinal);
        var observations = new List<ExecutionObservation>();
        var at = T0;
        foreach (var executionNumber in new long?[] { 1, 2, 3, null })
        {
            foreach (var status in ExecutionStatuses.All)
            {
                foreach (var detailsKnown in new[] { false, true })
                {
                    foreach (var version in new long[] { 7, 5, 9 })
                    {
                        at = at.AddSeconds(1);
                        observations.Add(new ExecutionObservation(jobId, thingName, status, detailsKnown ? details : new Dictionary<string, string>(),
                            ObservationSource.OperatorUpdate, $"{observations.Count:D4}{new string('i', 252)}", at, long.MaxValue - version,
                            executionNumber is { } number ? long.MaxValue - 10 + number : null, detailsKnown));
                    }
                }
            }
        }

        var record = Assert.IsType<RecordingDecision.Record>(ExecutionRules.Apply(null, observations, T0.AddDays(400))).Next;
        var bytes = DynamoItemSize.Bytes(ItemMapping.ToItem(record, long.MaxValue, Options));

        Assert.Equal(LedgerCompaction.MaxEntries, record.Ledger.Count);
        Assert.Equal(LedgerCompaction.MaxEntriesWithDetails, record.Ledger.Count(entry => entry.StatusDetails.Count > 0));
        Assert.InRange(bytes, DynamoRecordStore.MaxExecutionItemBytes * 9 / 10, DynamoRecordStore.MaxExecutionItemBytes);
        Assert.True(DynamoRecordStore.MaxExecutionItemBytes < DynamoRecordStore.MaxItemBytes);
    }

    [Fact]
    public void A_week_of_minute_heartbeats_leaves_an_item_of_the_size_a_day_of_them_leaves()
    {
        var afterOneDay = DynamoItemSize.Bytes(ItemMapping.ToItem(Heartbeats(1_440), 1, Options));
        var afterOneWeek = DynamoItemSize.Bytes(ItemMapping.ToItem(Heartbeats(10_080), 1, Options));

        Assert.Equal(afterOneDay, afterOneWeek);
        Assert.InRange(afterOneWeek, 1, 2_048);
    }

    [Fact]
    public void Sources_are_stored_by_fixed_names_and_ledgers_stored_with_enum_names_still_read()
    {
        var record = Assert.IsType<RecordingDecision.Record>(ExecutionRules.Apply(null,
            new ExecutionObservation("job", "thing", ExecutionStatus.InProgress, new Dictionary<string, string>(), ObservationSource.OperatorUpdate,
                "api:1", T0, 2, 1), T0)).Next;
        var item = ItemMapping.ToItem(record, 1, Options);
        var entry = item["ledger"].L[0].M;

        Assert.Equal("OPERATOR_UPDATE", entry["source"].S);
        entry["source"] = ItemMapping.S("OperatorUpdate");
        Assert.Equal(ObservationSource.OperatorUpdate, ItemMapping.ToExecution(item).Ledger[0].Source);
    }

    /// <summary>A device reporting progress every minute, as the sweeper's reconciliation sees it: a new lastUpdatedAt each time.</summary>
    private static ExecutionRecord Heartbeats(int minutes)
    {
        ExecutionRecord? record = null;
        for (var minute = 0; minute < minutes; minute++)
        {
            var summary = new ExecutionSummary("thing-1", ExecutionStatus.InProgress, 1, null, T0, T0.AddMinutes(1), T0.AddMinutes(2 + minute));
            if (ExecutionRules.Apply(record, Snapshots.Of("job-1", summary), T0) is RecordingDecision.Record decision)
            {
                record = decision.Next with { Revision = decision.Next.Revision + 1 };
            }
        }

        return record!;
    }
}
