using System.Collections.Concurrent;
using System.Globalization;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using JobsFunctions.Domain.Executions;
using JobsFunctions.Domain.Jobs;
using JobsFunctions.Domain.Policies;
using JobsFunctions.Domain.Recording;
using static JobsFunctions.Aws.Dynamo.RecordsTableLayout;

namespace JobsFunctions.Aws.Dynamo;

/// <summary>
/// The records table. A recorded change is one request: a conditional PutItem of the execution item (which carries
/// its ledger), or, when the status or the ended attempts change, one TransactWriteItems of that put, the
/// counter-shard ADD and the ADD to each minute bucket an attempt's end moves in or out of, so the counters can never
/// drift from the executions. A write the store refuses (the record moved on, or an event recorded as new found one)
/// changes nothing and the caller reads again.
/// </summary>
/// <para>
/// A job is listed once (<see cref="ListJobsAsync"/>): before the first new execution or job record of it that this
/// store saves, a conditional put of its listing item, remembered in-process so a warm function asks once per job.
/// </para>
public sealed class DynamoRecordStore(IAmazonDynamoDB dynamo, StoreOptions options, TimeProvider? clock = null)
    : IRecordStore, IRecordQueries, IEndedAttemptQueries
{
    /// <summary>How many listed job ids a store remembers before it forgets them all (and asks DynamoDB again).</summary>
    private const int ListedJobsRemembered = 10_000;

    private readonly TableReader _reader = new(dynamo, options.TableName);
    private readonly TimeProvider _clock = clock ?? TimeProvider.System;
    private readonly ConcurrentDictionary<string, bool> _listed = new(StringComparer.Ordinal);

    public const int MaxPageSize = 100;

    /// <summary>DynamoDB's item limit is 400 KB; read as 400,000 bytes it stays on the safe side of either meaning of KB.</summary>
    public const long MaxItemBytes = 400_000;

    /// <summary>
    /// The largest execution item the recording rules can leave, by DynamoDB's size rules, whatever its devices report
    /// and however long its job runs: <see cref="LedgerCompaction.MaxEntries"/> ledger entries, of which at most
    /// <see cref="LedgerCompaction.MaxEntriesWithDetails"/> (and the record itself) carry statusDetails, with every
    /// field at the longest AWS allows (statusDetails: 10 pairs of a 128-character key and a 1,024-character value,
    /// https://docs.aws.amazon.com/iot/latest/apireference/API_iot-jobs-data_UpdateJobExecution.html, counted at 3 bytes
    /// a character) and observation ids under 256 characters. Nearly all of it is statusDetails: a heartbeating
    /// execution with a few short details takes about 1 KB, one write unit, on day 1 and on day 7 alike.
    /// </summary>
    public const long MaxExecutionItemBytes = 350_000;

    public async Task<ExecutionRecord?> FindExecutionAsync(string jobId, string thingName, CancellationToken cancellationToken)
    {
        var item = await GetAsync(JobPartition(jobId), ExecutionSort(thingName), cancellationToken);
        return item is null ? null : ItemMapping.ToExecution(item);
    }

    public async Task<bool> TrySaveExecutionAsync(ExecutionRecord next, CounterChange? counterChange, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(next);
        var item = ItemMapping.ToItem(next, next.Revision + 1, options);
        EnsureFits(item, $"execution {next.JobId}/{next.ThingName}");
        var put = ConditionalPut(item, next.Revision);
        if (next.Revision == 0)
        {
            await EnsureListedAsync(next.JobId, cancellationToken);
        }

        if (counterChange is null)
        {
            return await TryPutAsync(put, cancellationToken);
        }

        var request = new TransactWriteItemsRequest
        {
            TransactItems =
            [
                new TransactWriteItem { Put = put },
                .. CounterUpdates(next, counterChange).Select(update => new TransactWriteItem { Update = update }),
                .. EndedMinuteUpdates(next, counterChange).Select(update => new TransactWriteItem { Update = update }),
            ],
        };
        try
        {
            await dynamo.TransactWriteItemsAsync(request, cancellationToken);
            return true;
        }
        catch (TransactionCanceledException e) when (e.CancellationReasons?.Any(reason => reason.Code is "ConditionalCheckFailed" or "TransactionConflict") == true)
        {
            return false;
        }
    }

    public async Task<JobRecord?> FindJobAsync(string jobId, CancellationToken cancellationToken)
    {
        var item = await GetAsync(JobPartition(jobId), JobSort, cancellationToken);
        return item is null ? null : ItemMapping.ToJob(item);
    }

    public async Task<bool> TrySaveJobAsync(JobRecord next, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(next);
        var item = ItemMapping.ToItem(next, next.Revision + 1);
        EnsureFits(item, $"job {next.JobId}");
        if (next.Revision == 0)
        {
            await EnsureListedAsync(next.JobId, cancellationToken);
        }

        return await TryPutAsync(ConditionalPut(item, next.Revision), cancellationToken);
    }

    /// <summary>
    /// Jobs newest first from the ByThing index's <c>JOBS</c> partition (keys only: the job id and the time are in
    /// the keys, so a page is one query).
    /// </summary>
    public async Task<Page<KnownJob>> ListJobsAsync(int limit, string? pageToken, CancellationToken cancellationToken)
    {
        var condition = new KeyCondition("GSI2PK", JobsPartition);
        var startKey = TableReader.StartKey(pageToken, IndexKey.ByThing, condition);
        var (keys, more) = await _reader.QueryAsync(IndexKey.ByThing, condition, PageSize(limit), startKey, cancellationToken, newestFirst: true);
        return new Page<KnownJob>(
            [.. keys.Select(key => new KnownJob(key[PartitionKeyAttribute].S[JobPartition("").Length..], ItemMapping.ParseTime(key["GSI2SK"].S.Split('#')[0])))],
            more ? PageTokens.Encode(IndexKey.ByThing.Of(keys[^1])) : null);
    }

    /// <summary>
    /// Lists the job unless this store already did: a put of its listing item that only the first writer wins, made
    /// before the record's own write so a job with a record is always listed (a retry after a failure puts again).
    /// </summary>
    private async Task EnsureListedAsync(string jobId, CancellationToken cancellationToken)
    {
        if (_listed.ContainsKey(jobId))
        {
            return;
        }

        var recordedAt = SortableTime(_clock.GetUtcNow());
        await TryPutAsync(new Put
        {
            TableName = options.TableName,
            Item = new()
            {
                [PartitionKeyAttribute] = ItemMapping.S(JobPartition(jobId)),
                [SortKeyAttribute] = ItemMapping.S(ListedSort),
                ["GSI2PK"] = ItemMapping.S(JobsPartition),
                ["GSI2SK"] = ItemMapping.S($"{recordedAt}#{jobId}"),
                ["jobId"] = ItemMapping.S(jobId),
                ["recordedAt"] = ItemMapping.S(recordedAt),
            },
            ConditionExpression = "attribute_not_exists(PK)",
        }, cancellationToken);
        if (_listed.Count >= ListedJobsRemembered)
        {
            _listed.Clear();
        }

        _listed[jobId] = true;
    }

    public Task<StatusCounts> GetCountsAsync(string jobId, CancellationToken cancellationToken) =>
        ReadCounterShardsAsync(jobId, status => status.ToWire(), cancellationToken);

    public Task<StatusCounts> GetEndedAttemptCountsAsync(string jobId, CancellationToken cancellationToken) =>
        ReadCounterShardsAsync(jobId, EndedAttribute, cancellationToken);

    /// <summary>
    /// One query of the job's partition over the sort-key range of the minutes asked for, newest first: a page costs
    /// the buckets it returns (one per minute and counter shard in which an attempt ended) and none beyond it.
    /// </summary>
    public async Task<Page<EndedMinute>> ListEndedMinutesAsync(string jobId, DateTimeOffset since, int limit, string? pageToken, CancellationToken cancellationToken)
    {
        var condition = new KeyCondition(PartitionKeyAttribute, JobPartition(jobId), SortAttribute: SortKeyAttribute,
            SortAtLeast: $"{EndedMinuteSortPrefix}{EndedMinuteText(EndedAttempts.MinuteOf(since))}", SortAtMost: $"{EndedMinuteSortPrefix}\uffff");
        var startKey = TableReader.StartKey(pageToken, IndexKey.Table, condition);
        if (startKey is not null && !startKey[SortKeyAttribute].S.StartsWith(EndedMinuteSortPrefix, StringComparison.Ordinal))
        {
            throw new InvalidPageTokenException();
        }

        var (items, more) = await _reader.QueryAsync(IndexKey.Table, condition, PageSize(limit), startKey, cancellationToken, newestFirst: true, exact: true);
        return new Page<EndedMinute>(
            items.Select(item => new EndedMinute(ItemMapping.ParseTime(item["minute"].S), ReadCounts(item, status => status.ToWire()))).ToList(),
            more ? PageTokens.Encode(IndexKey.Table.Of(items[^1])) : null);
    }

    public async Task<Page<ExecutionRecord>> ListExecutionsOfJobAsync(string jobId, ExecutionStatus? status, int limit, string? pageToken, CancellationToken cancellationToken)
    {
        var (index, partition) = status is null
            ? (IndexKey.Table, new KeyCondition("PK", JobPartition(jobId), SortPrefix: ExecutionSortPrefix))
            : (IndexKey.ByStatus, new KeyCondition("GSI1PK", ByStatusPartition(jobId, status.Value.ToWire())));
        return await ListAsync(index, partition, limit, pageToken, cancellationToken);
    }

    public Task<Page<ExecutionRecord>> ListExecutionsOfThingAsync(string thingName, int limit, string? pageToken, CancellationToken cancellationToken) =>
        ListAsync(IndexKey.ByThing, new KeyCondition("GSI2PK", ThingPartition(thingName)), limit, pageToken, cancellationToken);

    private async Task<Page<ExecutionRecord>> ListAsync(IndexKey index, KeyCondition condition, int limit, string? pageToken, CancellationToken cancellationToken)
    {
        var startKey = TableReader.StartKey(pageToken, index, condition);
        var (items, more) = await _reader.QueryAsync(index, condition, PageSize(limit), startKey, cancellationToken);

        // The table's own query returns whole items; an index holds keys only, so its records come by key.
        var records = index.Name is null ? items.Select(ItemMapping.ToExecution).ToList() : await GetManyAsync(items, cancellationToken);
        return new Page<ExecutionRecord>(records, more ? PageTokens.Encode(index.Of(items[^1])) : null);
    }

    /// <summary>Indexes project keys only (cheap index writes); the records come from the table by key, in the keys' order.</summary>
    private async Task<List<ExecutionRecord>> GetManyAsync(List<Dictionary<string, AttributeValue>> keys, CancellationToken cancellationToken) =>
        (await _reader.GetManyAsync(keys, cancellationToken)).Select(ItemMapping.ToExecution).ToList();

    /// <summary>The counter shard's ADD, or none when nothing in it moves (an attempt's end only moved to another minute).</summary>
    private IEnumerable<Update> CounterUpdates(ExecutionRecord next, CounterChange change)
    {
        var adds = new List<(string Attribute, long Delta)>();
        if (change.MovesStatus)
        {
            adds.Add((change.To.ToWire(), 1));
            if (change.From is { } from)
            {
                adds.Add((from.ToWire(), -1));
            }
        }

        adds.AddRange(change.Ended.GroupBy(moved => moved.Status).Select(group => (EndedAttribute(group.Key), (long)group.Sum(moved => moved.Delta))));
        var moved = adds.Where(add => add.Delta != 0).ToList();
        return moved.Count == 0 ? [] : [Adds(CounterSort(CounterShard(next.ThingName, options.CounterShards)), next.JobId, moved)];
    }

    /// <summary>
    /// The minute buckets an attempt's end moves in or out of, in the thing's counter shard (a fast rollout ends
    /// thousands of attempts a minute: one item per minute would be a hot key that conflicts in every transaction).
    /// Each bucket expires <see cref="AbortEvaluation.EndedMinutesKept"/> after its minute.
    /// </summary>
    private IEnumerable<Update> EndedMinuteUpdates(ExecutionRecord next, CounterChange change) =>
        change.Ended.GroupBy(moved => moved.Minute).Select(minute =>
            Adds(EndedMinuteSort(minute.Key, CounterShard(next.ThingName, options.CounterShards)), next.JobId,
                minute.Select(moved => (moved.Status.ToWire(), (long)moved.Delta)).ToList(),
                new()
                {
                    ["minute"] = ItemMapping.S(SortableTime(minute.Key)),
                    ["expiresAt"] = ItemMapping.N((minute.Key + AbortEvaluation.EndedMinutesKept).ToUnixTimeSeconds()),
                }));

    /// <summary>An update of one item of the job's partition that sets its jobId and <paramref name="sets"/>, and ADDs each delta to its attribute.</summary>
    private Update Adds(string sortKey, string jobId, List<(string Attribute, long Delta)> adds, Dictionary<string, AttributeValue>? sets = null)
    {
        var update = new Update
        {
            TableName = options.TableName,
            Key = new()
            {
                [PartitionKeyAttribute] = ItemMapping.S(JobPartition(jobId)),
                [SortKeyAttribute] = ItemMapping.S(sortKey),
            },
            UpdateExpression = "SET jobId = :job",
            ExpressionAttributeNames = [],
            ExpressionAttributeValues = new() { [":job"] = ItemMapping.S(jobId) },
        };
        foreach (var (i, (attribute, value)) in (sets ?? []).Index())
        {
            update.UpdateExpression += string.Create(CultureInfo.InvariantCulture, $", #s{i} = :s{i}");
            update.ExpressionAttributeNames[$"#s{i}"] = attribute;
            update.ExpressionAttributeValues[$":s{i}"] = value;
        }

        for (var i = 0; i < adds.Count; i++)
        {
            update.UpdateExpression += string.Create(CultureInfo.InvariantCulture, $"{(i == 0 ? " ADD" : ",")} #a{i} :d{i}");
            update.ExpressionAttributeNames[$"#a{i}"] = adds[i].Attribute;
            update.ExpressionAttributeValues[$":d{i}"] = ItemMapping.N(adds[i].Delta);
        }

        return update;
    }

    private async Task<StatusCounts> ReadCounterShardsAsync(string jobId, Func<ExecutionStatus, string> attribute, CancellationToken cancellationToken)
    {
        var counts = new StatusCounts();
        var response = await dynamo.QueryAsync(new QueryRequest
        {
            TableName = options.TableName,
            KeyConditionExpression = "PK = :pk AND begins_with(SK, :prefix)",
            ExpressionAttributeValues = new() { [":pk"] = ItemMapping.S(JobPartition(jobId)), [":prefix"] = ItemMapping.S(CounterSortPrefix) },
            ConsistentRead = true,
        }, cancellationToken);
        foreach (var shard in response.Items ?? [])
        {
            var shardCounts = ReadCounts(shard, attribute);
            foreach (var status in ExecutionStatuses.All)
            {
                counts.Add(status, shardCounts[status]);
            }
        }

        return counts;
    }

    private static StatusCounts ReadCounts(Dictionary<string, AttributeValue> item, Func<ExecutionStatus, string> attribute)
    {
        var counts = new StatusCounts();
        foreach (var status in ExecutionStatuses.All)
        {
            if (item.TryGetValue(attribute(status), out var value))
            {
                counts.Add(status, long.Parse(value.N, CultureInfo.InvariantCulture));
            }
        }

        return counts;
    }

    /// <summary>The counter-shard attribute of the job's ended attempts in one status, beside the live count of that status.</summary>
    private static string EndedAttribute(ExecutionStatus status) => $"ended#{status.ToWire()}";

    /// <summary>A put that succeeds only if the item is still at the revision it was read at (0: not there yet).</summary>
    private Put ConditionalPut(Dictionary<string, AttributeValue> item, long expectedRevision) => expectedRevision == 0
        ? new Put { TableName = options.TableName, Item = item, ConditionExpression = "attribute_not_exists(PK)" }
        : new Put
        {
            TableName = options.TableName,
            Item = item,
            ConditionExpression = "#rev = :rev",
            ExpressionAttributeNames = new() { ["#rev"] = ItemMapping.Revision },
            ExpressionAttributeValues = new() { [":rev"] = ItemMapping.N(expectedRevision) },
        };

    private async Task<bool> TryPutAsync(Put put, CancellationToken cancellationToken)
    {
        try
        {
            await dynamo.PutItemAsync(new PutItemRequest
            {
                TableName = put.TableName,
                Item = put.Item,
                ConditionExpression = put.ConditionExpression,
                ExpressionAttributeNames = put.ExpressionAttributeNames,
                ExpressionAttributeValues = put.ExpressionAttributeValues,
            }, cancellationToken);
            return true;
        }
        catch (ConditionalCheckFailedException)
        {
            return false;
        }
    }

    private async Task<Dictionary<string, AttributeValue>?> GetAsync(string partition, string sort, CancellationToken cancellationToken)
    {
        var response = await dynamo.GetItemAsync(new GetItemRequest
        {
            TableName = options.TableName,
            Key = new() { [PartitionKeyAttribute] = ItemMapping.S(partition), [SortKeyAttribute] = ItemMapping.S(sort) },
            ConsistentRead = true,
        }, cancellationToken);
        return response.IsItemSet && response.Item is { Count: > 0 } item ? item : null;
    }

    /// <summary>
    /// Refuses, before any request, an item DynamoDB would reject: the same write would fail on every retry, and in a
    /// transaction it fails with an opaque ValidationError.
    /// </summary>
    private static void EnsureFits(Dictionary<string, AttributeValue> item, string what)
    {
        var bytes = DynamoItemSize.Bytes(item);
        if (bytes > MaxItemBytes)
        {
            throw new RecordTooLargeException(what, bytes, MaxItemBytes);
        }
    }

    private static int PageSize(int limit) => Math.Clamp(limit, 1, MaxPageSize);
}
