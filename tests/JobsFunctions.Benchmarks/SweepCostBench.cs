using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Amazon.Runtime;
using JobsFunctions.Aws.Dynamo;
using JobsFunctions.Domain.Executions;
using JobsFunctions.Domain.Operations;
using JobsFunctions.Domain.Policies;
using JobsFunctions.Domain.Recording;
using JobsFunctions.Domain.Sweeping;
using JobsFunctions.Local.Stack;
using JobsFunctions.TestSupport;
using JobsFunctions.TestSupport.Operations;

namespace JobsFunctions.Benchmarks;

/// <summary>
/// What one sweep of a big job costs, on the real DynamoDB adapters against moto: a job of <c>executions</c>
/// recorded executions of which 100 are IN_PROGRESS and past the policy's in-progress timeout. IoT is the in-memory
/// fake (it counts calls); DynamoDB items are counted from the responses on the wire (GetItem's item, Query's Count,
/// BatchGetItem's responses). The finished executions are seeded by copying one recorded item with BatchWriteItem.
/// </summary>
internal static class SweepCostBench
{
    private const string JobId = "fleet-100k";
    private const int Stale = 100;

    public static async Task RunAsync(Uri endpoint, int executions)
    {
        var counter = new ItemCounter();
        using var dynamo = LocalDynamo.CreateClient(endpoint, counter);
        var table = await TemplateTable.CreateAsync(dynamo, RepositoryPaths.Template);
        var options = new StoreOptions(table, CounterShards: 4, LedgerRetention: null);
        var store = new DynamoRecordStore(dynamo, options);
        var now = DateTimeOffset.UtcNow;
        var recorder = new StatusRecorder(store, TimeProvider.System);
        var iot = new FakeJobsControl().AddJob(JobId);

        var seeding = Stopwatch.StartNew();
        await SeedFinishedAsync(dynamo, table, recorder, executions - Stale, now);
        for (var i = 0; i < Stale; i++)
        {
            var thing = string.Create(CultureInfo.InvariantCulture, $"stuck-{i:D3}");
            iot.AddExecution(JobId, thing, ExecutionStatus.InProgress, 2, queuedAt: now.AddHours(-4), startedAt: now.AddHours(-3), lastUpdatedAt: now.AddHours(-3));
            await recorder.RecordAsync(Snapshots.Of(JobId, new ExecutionSummary(thing, ExecutionStatus.InProgress, 1, null, now.AddHours(-4), now.AddHours(-3), now.AddHours(-3))),
                known: null, CancellationToken.None);
        }

        seeding.Stop();
        var policies = new DynamoPolicyStore(dynamo, options);
        await policies.TryPutAsync(new StoredPolicy(JobId, new JobPolicy(false,
            [new AbortCriterion(FailureType.All, ThresholdPercentage: 10m, MinNumberOfExecutedThings: 100), new AbortCriterion(FailureType.Failed, ThresholdCount: 50, WindowInMinutes: 15)],
            new PolicyTimeouts(InProgressTimeoutInMinutes: 120)), 1, now, "bench"), 0, CancellationToken.None);
        var sweeper = new PolicySweeper(iot, store, store, store, policies, new DynamoSweepState(dynamo, options), new DynamoAuditLog(dynamo, options, retention: null),
            TimeProvider.System, new SweeperOptions());

        Console.WriteLine($"Sweep cost: job of {executions:N0} executions, {Stale} stale IN_PROGRESS, moto at {endpoint} (seeded in {seeding.Elapsed.TotalSeconds:F0} s)");
        Console.WriteLine("| sweep | actions | IoT calls | DynamoDB items read | DynamoDB read requests | DynamoDB write requests | time |");
        Console.WriteLine("|---|---|---|---|---|---|---|");
        foreach (var label in new[] { "first (100 stale)", "second (nothing stale)" })
        {
            counter.Reset();
            var calls = iot.Calls;
            var watch = Stopwatch.StartNew();
            var report = await sweeper.RunAsync(new SweepRun($"bench-{label[..5]}", DateTimeOffset.UtcNow.AddSeconds(840)), CancellationToken.None);
            watch.Stop();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {label} | {report.Actions} | {report.IotCalls} | {counter.ItemsRead} | {counter.Requests(ItemCounter.Reads)} | {counter.Requests(ItemCounter.Writes)} | {watch.Elapsed.TotalMilliseconds:F0} ms |"));
            if (!report.Finished || report.Errors.Count > 0)
            {
                Console.WriteLine($"  (finished: {report.Finished}; errors: {string.Join("; ", report.Errors)}; fake IoT calls {iot.Calls - calls})");
            }
        }
    }

    /// <summary>Records one finished execution through the store, then copies its item under other thing names, 25 to a batch.</summary>
    private static async Task SeedFinishedAsync(AmazonDynamoDBClient dynamo, string table, StatusRecorder recorder, int count, DateTimeOffset now)
    {
        const string template = "done-000000";
        await recorder.RecordAsync(new ExecutionObservation(JobId, template, ExecutionStatus.Succeeded, new Dictionary<string, string>(),
            ObservationSource.Event, "evt-template", now.AddHours(-5)), CancellationToken.None);
        var item = (await dynamo.GetItemAsync(new GetItemRequest(table, new Dictionary<string, AttributeValue>
        {
            ["PK"] = new($"JOB#{JobId}"),
            ["SK"] = new($"EXEC#{template}"),
        }))).Item;

        var batches = Enumerable.Range(1, count - 1).Chunk(25);
        await Parallel.ForEachAsync(batches, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (batch, token) =>
        {
            var requests = batch.Select(n => new WriteRequest(new PutRequest(Copy(item, template, string.Create(CultureInfo.InvariantCulture, $"done-{n:D6}"))))).ToList();
            var pending = new Dictionary<string, List<WriteRequest>> { [table] = requests };
            while (pending.Count > 0 && pending.Values.Sum(list => list.Count) > 0)
            {
                pending = (await dynamo.BatchWriteItemAsync(new BatchWriteItemRequest(pending), token)).UnprocessedItems ?? [];
            }
        });

        // The counters move with each recorded change; the copies were not recorded, so add them to the shard the template counted in.
        var shards = await dynamo.QueryAsync(new QueryRequest(table)
        {
            KeyConditionExpression = "PK = :pk AND begins_with(SK, :counts)",
            ExpressionAttributeValues = new() { [":pk"] = new($"JOB#{JobId}"), [":counts"] = new("COUNTS#") },
        });
        var (shard, attribute) = shards.Items.SelectMany(shardItem => shardItem.Where(pair => pair.Value.N == "1").Select(pair => (shardItem, pair.Key))).First();
        await dynamo.UpdateItemAsync(new UpdateItemRequest
        {
            TableName = table,
            Key = new() { ["PK"] = shard["PK"], ["SK"] = shard["SK"] },
            UpdateExpression = "ADD #status :more",
            ExpressionAttributeNames = new() { ["#status"] = attribute },
            ExpressionAttributeValues = new() { [":more"] = new() { N = (count - 1).ToString(CultureInfo.InvariantCulture) } },
        });
    }

    private static Dictionary<string, AttributeValue> Copy(Dictionary<string, AttributeValue> item, string from, string to) =>
        item.ToDictionary(pair => pair.Key, pair => Copy(pair.Value, from, to));

    private static AttributeValue Copy(AttributeValue value, string from, string to)
    {
        if (value.S is { } text)
        {
            return new AttributeValue(text.Replace(from, to, StringComparison.Ordinal));
        }

        if (value.L is { Count: > 0 } list)
        {
            return new AttributeValue { L = [.. list.Select(element => Copy(element, from, to))] };
        }

        if (value.M is { Count: > 0 } map)
        {
            return new AttributeValue { M = Copy(map, from, to) };
        }

        return value;
    }

    /// <summary>Counts requests by operation and the items each read returned.</summary>
    private sealed class ItemCounter : HttpClientFactory
    {
        public static readonly string[] Reads = ["GetItem", "Query", "BatchGetItem"];
        public static readonly string[] Writes = ["PutItem", "UpdateItem", "DeleteItem", "TransactWriteItems", "BatchWriteItem"];

        private readonly ConcurrentDictionary<string, int> _requests = new();
        private int _itemsRead;

        public int ItemsRead => _itemsRead;

        public int Requests(string[] operations) => operations.Sum(operation => _requests.GetValueOrDefault(operation));

        public void Reset()
        {
            _requests.Clear();
            _itemsRead = 0;
        }

        public override HttpClient CreateHttpClient(IClientConfig clientConfig) => new(new Handler(this) { InnerHandler = new HttpClientHandler() });

        private sealed class Handler(ItemCounter owner) : DelegatingHandler
        {
            protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
            {
                var target = request.Headers.TryGetValues("X-Amz-Target", out var values) ? values.First().Split('.').Last() : "other";
                owner._requests.AddOrUpdate(target, 1, (_, count) => count + 1);
                var response = await base.SendAsync(request, cancellationToken);
                if (!Reads.Contains(target) || !response.IsSuccessStatusCode)
                {
                    return response;
                }

                var body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
                using (var json = JsonDocument.Parse(body))
                {
                    var root = json.RootElement;
                    var items = target switch
                    {
                        "GetItem" => root.TryGetProperty("Item", out _) ? 1 : 0,
                        "Query" => root.GetProperty("Count").GetInt32(),
                        _ => root.TryGetProperty("Responses", out var responses) ? responses.EnumerateObject().Sum(tableItems => tableItems.Value.GetArrayLength()) : 0,
                    };
                    Interlocked.Add(ref owner._itemsRead, items);
                }

                var replaced = new ByteArrayContent(body);
                foreach (var header in response.Content.Headers)
                {
                    replaced.Headers.TryAddWithoutValidation(header.Key, header.Value);
                }

                response.Content = replaced;
                return response;
            }
        }
    }
}
