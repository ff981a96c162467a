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
/// recorded executions of which 100 are IN_PROGRESS and past the policy's in-progress timeout, and all the others
/// ended inside the policy's 15-minute window (a fast rollout: the window criterion's worst case). IoT is the
/// in-memory fake (it counts calls); DynamoDB items are counted from the responses on the wire (GetItem's item,
/// Query's Count, BatchGetItem's responses). The finished executions are seeded by recording
/// <see cref="Recorded"/> of them through the store, ending over the window's minutes, then copying one recorded
/// item with BatchWriteItem and adding the copies to the counters and minute buckets the recorded ones wrote.
/// </summary>
internal static class SweepCostBench
{
    private const string JobId = "fleet-100k";
    private const int Stale = 100;
    private const int WindowInMinutes = 15;

    /// <summary>Enough finished executions recorded for real that every minute of the window has a bucket in each of the four counter shards.</summary>
    private const int Recorded = 600;

    public static async Task RunAsync(Uri endpoint, int executions)
    {
        var counter = new ItemCounter();
        using var dynamo = LocalDynamo.CreateClient(endpoint, counter);
        var table = await TemplateTable.CreateAsync(dynamo, RepositoryPaths.Template);
        var options = new StoreOptions(table, CounterShards: 4, LedgerRetention: null);
        var store = new DynamoRecordStore(dynamo, options);
        var now = DateTimeOffset.UtcNow;
        var clock = new SweepClock();
        var recorder = new StatusRecorder(store, TimeProvider.System);
        var iot = new FakeJobsControl().AddJob(JobId);

        var seeding = Stopwatch.StartNew();
        await SeedFinishedAsync(dynamo, table, recorder, executions - Stale, now);
        var criterion = new AbortCriterion(FailureType.Failed, ThresholdCount: 50, WindowInMinutes: WindowInMinutes);
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
            [new AbortCriterion(FailureType.All, ThresholdPercentage: 10m, MinNumberOfExecutedThings: 100), criterion],
            new PolicyTimeouts(InProgressTimeoutInMinutes: 120)), 1, now, "bench"), 0, CancellationToken.None);
        var sweeper = Sweepers.Create(iot, store, policies, new DynamoSweepState(dynamo, options), new DynamoAuditLog(dynamo, options, retention: null), iot,
            clock);

        Console.WriteLine($"Sweep cost: job of {executions:N0} executions, {Stale} stale IN_PROGRESS, the others all ended in the last {WindowInMinutes} minutes, moto at {endpoint} (seeded in {seeding.Elapsed.TotalSeconds:F0} s)");
        Console.WriteLine("| sweep | actions | IoT calls | DynamoDB items read | DynamoDB read requests | DynamoDB write requests | time |");
        Console.WriteLine("|---|---|---|---|---|---|---|");
        foreach (var label in new[] { "first (100 stale)", "second (nothing stale)" })
        {
            counter.Reset();
            var calls = iot.Calls;
            var watch = Stopwatch.StartNew();
            clock.StartAt(now);
            var report = await sweeper.RunAsync(new SweepRun($"bench-{label[..5]}", now.AddSeconds(840)), CancellationToken.None);
            watch.Stop();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {label} | {report.Actions} | {report.IotCalls} | {counter.ItemsRead} | {counter.Requests(ItemCounter.Reads)} | {counter.Requests(ItemCounter.Writes)} | {watch.Elapsed.TotalMilliseconds:F0} ms |"));
            if (!report.Finished || report.JobsFailed > 0)
            {
                Console.WriteLine($"  (finished: {report.Finished}; failures: {string.Join("; ", report.Failures.Select(failure => $"{failure.JobId}: {failure.ErrorCode}"))}; fake IoT calls {iot.Calls - calls})");
            }
        }

        // The window criterion alone: what it reads of a job whose every execution ended inside the window.
        counter.Reset();
        var ended = await store.GetEndedAttemptCountsAsync(JobId, CancellationToken.None);
        counter.Reset();
        var decision = await new AbortEvaluation(store).EvaluateAsync(JobId, [criterion with { ThresholdCount = executions }], now, CancellationToken.None);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Window criterion ({WindowInMinutes} min) over {ended.Total:N0} ended attempts: {counter.ItemsRead} DynamoDB items read in {counter.Requests(ItemCounter.Reads)} requests (bound: ({WindowInMinutes} + 1) minutes x 4 counter shards = {(WindowInMinutes + 1) * 4}); tripped: {decision is not null}"));
    }

    /// <summary>
    /// Records <see cref="Recorded"/> finished executions through the store, each ending in one of the window's minutes,
    /// then copies one of their items under the remaining thing names, 25 to a batch. The copies were not recorded,
    /// so their counts are added, spread evenly, to the counter shards and minute buckets the recorded ones wrote: the
    /// table then holds what recording all of them would have written.
    /// </summary>
    private static async Task SeedFinishedAsync(AmazonDynamoDBClient dynamo, string table, StatusRecorder recorder, int count, DateTimeOffset now)
    {
        var recorded = Math.Min(count, Recorded);
        await Parallel.ForEachAsync(Enumerable.Range(0, recorded), new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (n, token) =>
            await recorder.RecordAsync(new ExecutionObservation(JobId, Thing(n), ExecutionStatus.Succeeded, new Dictionary<string, string>(),
                ObservationSource.Event, $"evt-{n}", now.AddMinutes(-(n % WindowInMinutes)).AddSeconds(-1)), token));
        var copies = count - recorded;
        if (copies == 0)
        {
            return;
        }

        var template = Thing(0);
        var item = (await dynamo.GetItemAsync(new GetItemRequest(table, new Dictionary<string, AttributeValue>
        {
            ["PK"] = new($"JOB#{JobId}"),
            ["SK"] = new($"EXEC#{template}"),
        }))).Item;

        var batches = Enumerable.Range(recorded, copies).Chunk(25);
        await Parallel.ForEachAsync(batches, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (batch, token) =>
        {
            var requests = batch.Select(n => new WriteRequest(new PutRequest(Copy(item, template, Thing(n))))).ToList();
            var pending = new Dictionary<string, List<WriteRequest>> { [table] = requests };
            while (pending.Count > 0 && pending.Values.Sum(list => list.Count) > 0)
            {
                pending = (await dynamo.BatchWriteItemAsync(new BatchWriteItemRequest(pending), token)).UnprocessedItems ?? [];
            }
        });

        await SpreadAsync(dynamo, table, "COUNTS#", ["SUCCEEDED", "ended#SUCCEEDED"], copies);
        await SpreadAsync(dynamo, table, "ENDED#", ["SUCCEEDED"], copies);
    }

    /// <summary>Adds <paramref name="total"/> to <paramref name="attributes"/> of the job's items under <paramref name="prefix"/>, spread evenly.</summary>
    private static async Task SpreadAsync(AmazonDynamoDBClient dynamo, string table, string prefix, string[] attributes, int total)
    {
        var items = (await dynamo.QueryAsync(new QueryRequest(table)
        {
            KeyConditionExpression = "PK = :pk AND begins_with(SK, :prefix)",
            ExpressionAttributeValues = new() { [":pk"] = new($"JOB#{JobId}"), [":prefix"] = new(prefix) },
        })).Items;
        for (var i = 0; i < items.Count; i++)
        {
            var share = total / items.Count + (i < total % items.Count ? 1 : 0);
            await dynamo.UpdateItemAsync(new UpdateItemRequest
            {
                TableName = table,
                Key = new() { ["PK"] = items[i]["PK"], ["SK"] = items[i]["SK"] },
                UpdateExpression = "ADD " + string.Join(", ", attributes.Select((_, a) => $"#a{a} :more")),
                ExpressionAttributeNames = attributes.Select((name, a) => (name, a)).ToDictionary(pair => $"#a{pair.a}", pair => pair.name),
                ExpressionAttributeValues = new() { [":more"] = new() { N = share.ToString(CultureInfo.InvariantCulture) } },
            });
        }
    }

    /// <summary>
    /// The sweeps' clock: it runs at the wall clock's pace from where <see cref="StartAt"/> puts it, so each sweep
    /// starts at the moment the seeded executions ended just before, however long seeding took (every one of them
    /// then ended inside the window), and its timeouts, lease and stop time still move with real time.
    /// </summary>
    private sealed class SweepClock : TimeProvider
    {
        private TimeSpan _behind;

        public void StartAt(DateTimeOffset time) => _behind = System.GetUtcNow() - time;

        public override DateTimeOffset GetUtcNow() => System.GetUtcNow() - _behind;
    }

    private static string Thing(int n) => string.Create(CultureInfo.InvariantCulture, $"done-{n:D6}");

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
