using System.Diagnostics;
using System.Globalization;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using JobsFunctions.Aws.Dynamo;
using JobsFunctions.Domain.Executions;
using JobsFunctions.Domain.Operations;
using JobsFunctions.Domain.Recording;
using JobsFunctions.Local.Stack;
using JobsFunctions.TestSupport;

namespace JobsFunctions.Benchmarks;

/// <summary>
/// What one recorded change costs in DynamoDB requests and write units, per kind of change, measured by recording
/// real observations through the store against a table made from template.yaml. Requests are counted on the wire;
/// write units follow DynamoDB's billing rules from the items actually stored (transactions bill twice; a
/// keys-only index bills one unit per index entry put or deleted). A refused conditional write (an event recorded
/// first as new, for an execution already stored) is counted apart: DynamoDB bills it by the stored item's size.
/// </summary>
internal static class WriteCostBench
{
    private static readonly string[] Writes = ["PutItem", "UpdateItem", "TransactWriteItems", "BatchWriteItem", "DeleteItem"];
    /// <summary>The table's indexes: their keys, and the attribute an index projects besides its keys (none today).</summary>
    private static readonly (string Partition, string Sort, string? Projected)[] Indexes =
        [("GSI1PK", "GSI1SK", null), ("GSI2PK", "GSI2SK", null)];

    public static async Task RunAsync(Uri endpoint, int executions)
    {
        var counter = new RequestCounter();
        using var dynamo = LocalDynamo.CreateClient(endpoint, counter);
        var table = await TemplateTable.CreateAsync(dynamo, RepositoryPaths.Template);
        var options = new StoreOptions(table, CounterShards: 4, LedgerRetention: TimeSpan.FromDays(30));
        var recorder = new StatusRecorder(new DynamoRecordStore(dynamo, options), TimeProvider.System);
        var start = DateTimeOffset.UtcNow;
        var details = new Dictionary<string, string> { ["step"] = "download", ["firmware"] = "4.2.0" };

        ExecutionObservation Event(int thing, ExecutionStatus status, string id, int second) =>
            new("bench-job", $"thing-{thing:D6}", status, details, ObservationSource.Event, id, start.AddSeconds(second));
        ExecutionObservation Update(int thing, ExecutionStatus status, string id, int second, long version) =>
            new("bench-job", $"thing-{thing:D6}", status, details, ObservationSource.OperatorUpdate, id, start.AddSeconds(second), version, 1);

        var scenarios = new (string Name, Func<int, ExecutionObservation?> Before, Func<int, ExecutionObservation> Measured)[]
        {
            ("first sighting: terminal event of an unseen execution", _ => null, i => Event(i, ExecutionStatus.Succeeded, $"a-{i}", 10)),
            ("status change: IN_PROGRESS -> terminal event", i => Update(i, ExecutionStatus.InProgress, $"b0-{i}", 5, 2), i => Event(i, ExecutionStatus.Failed, $"b-{i}", 10)),
            ("same status, new details: IN_PROGRESS update", i => Update(i, ExecutionStatus.InProgress, $"c0-{i}", 5, 2), i => Update(i, ExecutionStatus.InProgress, $"c-{i}", 8, 3)),
            ("stale: late IN_PROGRESS after terminal (ledger only)", i => Event(i, ExecutionStatus.Succeeded, $"d0-{i}", 10), i => Update(i, ExecutionStatus.InProgress, $"d-{i}", 5, 2)),
            ("duplicate: the same event again", i => Event(i, ExecutionStatus.Succeeded, $"e-{i}", 10), i => Event(i, ExecutionStatus.Succeeded, $"e-{i}", 10)),
        };

        Console.WriteLine($"Write cost per recorded change ({executions} executions per row, moto at {endpoint})");
        Console.WriteLine("| change | write requests | of them refused | read requests | WCU table | WCU indexes | WCU total | item bytes | local latency p50 ms |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|---|");
        var offset = 0;
        foreach (var (name, before, measured) in scenarios)
        {
            var writeUnitsTable = 0.0;
            var writeUnitsIndexes = 0.0;
            var itemBytes = 0L;
            var latencies = new List<double>();
            var writeRequests = 0;
            var refusedWrites = 0;
            var readRequests = 0;
            for (var n = 0; n < executions; n++)
            {
                var i = offset + n;
                if (before(i) is { } setup)
                {
                    await recorder.RecordAsync(setup, CancellationToken.None);
                }

                var old = await RawAsync(dynamo, table, i);
                counter.Reset();
                var clock = Stopwatch.StartNew();
                var result = await recorder.RecordAsync(measured(i), CancellationToken.None);
                latencies.Add(clock.Elapsed.TotalMilliseconds);
                writeRequests += counter.Total(Writes);
                refusedWrites += counter.Total(Writes) - (result.Outcome == RecordOutcome.Duplicate ? 0 : 1);
                readRequests += counter.Total("GetItem", "Query", "BatchGetItem");
                var transactional = counter.Total("TransactWriteItems") > 0;
                if (result.Outcome == RecordOutcome.Duplicate)
                {
                    continue;
                }

                var stored = await RawAsync(dynamo, table, i);
                var bytes = DynamoItemSize.Bytes(stored!);
                itemBytes += bytes;
                writeUnitsTable += DynamoItemSize.WriteUnits(bytes) * (transactional ? 2 : 1);
                if (transactional)
                {
                    // Beside the execution's put, the accepted (latest) transaction holds the counter shard's ADD and,
                    // when an attempt ended, its minute bucket's ADD: small items, one unit each, billed twice.
                    writeUnitsTable += 2 * (counter.Total(RequestCounter.LastTransactItems) - 1);
                }

                writeUnitsIndexes += Indexes.Sum(index => IndexWrites(old, stored!, index));
            }

            offset += executions;
            latencies.Sort();
            var per = (double)executions;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {name} | {writeRequests / per:0.00} | {refusedWrites / per:0.00} | {readRequests / per:0.00} | {writeUnitsTable / per:0.00} | {writeUnitsIndexes / per:0.00} | {(writeUnitsTable + writeUnitsIndexes) / per:0.00} | {itemBytes / per:0} | {latencies[latencies.Count / 2]:0.0} |"));
        }

        await HeartbeatsByAgeAsync(dynamo, table, counter, new DynamoRecordStore(dynamo, options), recorder, start);
    }

    /// <summary>
    /// What one heartbeat costs as the record ages: a device that reports progress every minute shows the sweeper's
    /// reconciliation a ListJobExecutionsForJob summary with a new lastUpdatedAt each minute, one snapshot each. The
    /// record is aged by the pure rules in memory (10,080 writes through moto would only measure moto) and stored
    /// once; then one more heartbeat is recorded through the store and measured. A PutItem over an existing item
    /// bills the larger of the old and the new item.
    /// </summary>
    private static async Task HeartbeatsByAgeAsync(
        IAmazonDynamoDB dynamo, string table, RequestCounter counter, DynamoRecordStore store, StatusRecorder recorder, DateTimeOffset start)
    {
        Console.WriteLine();
        Console.WriteLine("Heartbeat snapshot (IN_PROGRESS summary, new lastUpdatedAt) by the age of the record, one heartbeat a minute");
        Console.WriteLine("| record age | heartbeats before | entries stored | item bytes after | write requests | WCU table | WCU indexes | WCU total |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|");
        foreach (var (age, minutes) in new[] { ("young: 10 minutes", 10), ("day 1", 1_440), ("day 7", 10_080) })
        {
            var thing = $"heartbeat-{minutes:D6}";
            ExecutionSummary Heartbeat(int minute) =>
                new(thing, ExecutionStatus.InProgress, 1, null, start, start.AddMinutes(1), start.AddMinutes(2 + minute));
            ExecutionRecord? aged = null;
            for (var minute = 0; minute < minutes; minute++)
            {
                if (ExecutionRules.Apply(aged, Snapshots.Of("bench-job", Heartbeat(minute)), start) is RecordingDecision.Record record)
                {
                    aged = record.Next;
                }
            }

            try
            {
                await store.TrySaveExecutionAsync(aged!, new CounterChange(null, aged!.Status), CancellationToken.None);
            }
            catch (RecordTooLargeException e)
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {age} | {minutes} | {aged!.Ledger.Count} | refused: {e.Bytes} bytes, over the item limit | – | – | – | – |"));
                continue;
            }

            var known = await store.FindExecutionAsync("bench-job", thing, CancellationToken.None);
            var old = await RawAsync(dynamo, table, thing);
            counter.Reset();
            var result = await recorder.RecordAsync(Snapshots.Of("bench-job", Heartbeat(minutes)), known, CancellationToken.None);
            var stored = await RawAsync(dynamo, table, thing);
            var unitsTable = DynamoItemSize.WriteUnits(Math.Max(DynamoItemSize.Bytes(old!), DynamoItemSize.Bytes(stored!)));
            var unitsIndexes = Indexes.Sum(index => IndexWrites(old, stored!, index));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {age} | {minutes} | {result.Record.Ledger.Count} | {DynamoItemSize.Bytes(stored!)} | {counter.Total(Writes)} | {unitsTable} | {unitsIndexes} | {unitsTable + unitsIndexes} |"));
        }
    }

    /// <summary>
    /// Entries an index writes for one item change: a put for a new key, a delete for a gone one, both for a moved one,
    /// and a rewrite when the key stays but an attribute it projects changes.
    /// </summary>
    private static int IndexWrites(Dictionary<string, AttributeValue>? old, Dictionary<string, AttributeValue> now, (string Partition, string Sort, string? Projected) index)
    {
        string? Key(Dictionary<string, AttributeValue>? item) =>
            item is not null && item.TryGetValue(index.Partition, out var pk) ? $"{pk.S}|{item[index.Sort].S}" : null;
        string? Projected(Dictionary<string, AttributeValue>? item) =>
            index.Projected is { } name ? item?.GetValueOrDefault(name)?.S : null;
        var (before, after) = (Key(old), Key(now));
        return (before, after) switch
        {
            (null, null) => 0,
            (null, _) or (_, null) => 1,
            _ when !string.Equals(before, after, StringComparison.Ordinal) => 2,
            _ => string.Equals(Projected(old), Projected(now), StringComparison.Ordinal) ? 0 : 1,
        };
    }

    private static Task<Dictionary<string, AttributeValue>?> RawAsync(IAmazonDynamoDB dynamo, string table, int thing) =>
        RawAsync(dynamo, table, $"thing-{thing:D6}");

    private static async Task<Dictionary<string, AttributeValue>?> RawAsync(IAmazonDynamoDB dynamo, string table, string thingName)
    {
        var response = await dynamo.GetItemAsync(new GetItemRequest(table, new()
        {
            ["PK"] = new AttributeValue("JOB#bench-job"),
            ["SK"] = new AttributeValue($"EXEC#{thingName}"),
        }));
        return response.Item is { Count: > 0 } item ? item : null;
    }
}
