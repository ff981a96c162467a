using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using JobsFunctions.Domain.Executions;
using JobsFunctions.Domain.Jobs;
using JobsFunctions.Domain.Recording;
using static JobsFunctions.Aws.Dynamo.RecordsTableLayout;

namespace JobsFunctions.Aws.Dynamo;

/// <summary>
/// The records table. A recorded change is one request: a conditional PutItem of the execution item (which carries
/// its ledger), or, when the status changes, one TransactWriteItems of that put and the counter-shard ADD, so the
/// counters can never drift from the executions. A duplicate is found on the read and written nowhere; a racing
/// duplicate costs at most one failed conditional write.
/// </summary>
public sealed class DynamoRecordStore(IAmazonDynamoDB dynamo, StoreOptions options) : IRecordStore, IRecordQueries
{
    public const int MaxPageSize = 100;

    /// <summary>DynamoDB's item limit is 400 KB; read as 400,000 bytes it stays on the safe side of either meaning of KB.</summary>
    public const long MaxItemBytes = 400_000;

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

        if (counterChange is null)
        {
            return await TryPutAsync(put, cancellationToken);
        }

        var request = new TransactWriteItemsRequest
        {
            TransactItems = [new TransactWriteItem { Put = put }, new TransactWriteItem { Update = CounterUpdate(next, counterChange) }],
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
        return await TryPutAsync(ConditionalPut(item, next.Revision), cancellationToken);
    }

    public async Task<StatusCounts> GetCountsAsync(string jobId, CancellationToken cancellationToken)
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
            foreach (var status in ExecutionStatuses.All)
            {
                if (shard.TryGetValue(status.ToWire(), out var value))
                {
                    counts.Add(status, long.Parse(value.N, System.Globalization.CultureInfo.InvariantCulture));
                }
            }
        }

        return counts;
    }

    public async Task<Page<ExecutionRecord>> ListExecutionsOfJobAsync(string jobId, ExecutionStatus? status, int limit, string? pageToken, CancellationToken cancellationToken)
    {
        var (index, partition) = status is null
            ? (KeyOfTable, new KeyCondition("PK", JobPartition(jobId), SortPrefix: ExecutionSortPrefix))
            : (KeyOfByStatus, new KeyCondition("GSI1PK", ByStatusPartition(jobId, status.Value.ToWire())));
        return await ListAsync(index, partition, limit, pageToken, cancellationToken);
    }

    public Task<Page<ExecutionRecord>> ListExecutionsOfThingAsync(string thingName, int limit, string? pageToken, CancellationToken cancellationToken) =>
        ListAsync(KeyOfByThing, new KeyCondition("GSI2PK", ThingPartition(thingName)), limit, pageToken, cancellationToken);

    /// <summary>
    /// The open index is spread over shards; a page merges the oldest entries of every shard, so the result is
    /// oldest first overall. The page token holds a cursor per shard not yet exhausted.
    /// </summary>
    public async Task<Page<ExecutionRecord>> ListOpenExecutionsAsync(DateTimeOffset changedAtOrBefore, int limit, string? pageToken, CancellationToken cancellationToken)
    {
        var size = PageSize(limit);
        var cursors = PageTokens.DecodeShards(pageToken)
            ?? Enumerable.Range(0, OpenIndexShards).ToDictionary(shard => shard, _ => (Dictionary<string, AttributeValue>?)null);
        foreach (var (shard, key) in cursors)
        {
            if (shard is < 0 or >= OpenIndexShards
                || (key is not null && !IsPositionIn(KeyOfOpen, new KeyCondition("GSI3PK", OpenPartition(shard)), key)))
            {
                throw new InvalidPageTokenException();
            }
        }

        var upperBound = $"{SortableTime(changedAtOrBefore)}#\uffff";
        var reads = await Task.WhenAll(cursors.Select(async cursor =>
        {
            var condition = new KeyCondition("GSI3PK", OpenPartition(cursor.Key), SortAttribute: "GSI3SK", SortAtMost: upperBound);
            var (keys, more) = await QueryKeysAsync(KeyOfOpen, condition, size, cursor.Value, cancellationToken);
            return (Shard: cursor.Key, Keys: keys, More: more);
        }));

        var taken = reads
            .SelectMany(read => read.Keys.Select(key => (read.Shard, Key: key)))
            .OrderBy(entry => entry.Key["GSI3SK"].S, StringComparer.Ordinal)
            .Take(size)
            .ToList();
        var remaining = new Dictionary<int, Dictionary<string, AttributeValue>?>();
        foreach (var read in reads)
        {
            var consumed = taken.Where(entry => entry.Shard == read.Shard).Select(entry => entry.Key).ToList();
            if (read.More || consumed.Count < read.Keys.Count)
            {
                remaining[read.Shard] = consumed.Count > 0 ? KeyOfOpen.Of(consumed[^1]) : cursors[read.Shard];
            }
        }

        var records = await GetManyAsync(taken.Select(entry => entry.Key).ToList(), cancellationToken);
        return new Page<ExecutionRecord>(records, remaining.Count == 0 ? null : PageTokens.EncodeShards(remaining));
    }

    private async Task<Page<ExecutionRecord>> ListAsync(IndexKey index, KeyCondition condition, int limit, string? pageToken, CancellationToken cancellationToken)
    {
        var startKey = PageTokens.DecodeKey(pageToken);
        if (startKey is not null && !IsPositionIn(index, condition, startKey))
        {
            throw new InvalidPageTokenException();
        }

        var (items, more) = await QueryKeysAsync(index, condition, PageSize(limit), startKey, cancellationToken);

        // The table's own query returns whole items; an index holds keys only, so its records come by key.
        var records = index.Name is null ? items.Select(ItemMapping.ToExecution).ToList() : await GetManyAsync(items, cancellationToken);
        return new Page<ExecutionRecord>(records, more ? PageTokens.Encode(index.Of(items[^1])) : null);
    }

    /// <summary>
    /// One page of items (keys only, from an index). It asks for one more item than the page holds, so a full last page is known to be the last
    /// and carries no token; DynamoDB stopping early (its 1 MB limit) still yields a token.
    /// </summary>
    private async Task<(List<Dictionary<string, AttributeValue>> Keys, bool More)> QueryKeysAsync(
        IndexKey index, KeyCondition condition, int size, Dictionary<string, AttributeValue>? startKey, CancellationToken cancellationToken)
    {
        var values = new Dictionary<string, AttributeValue> { [":pk"] = ItemMapping.S(condition.PartitionValue) };
        var expression = $"{condition.PartitionAttribute} = :pk";
        if (condition.SortPrefix is { } prefix)
        {
            expression += " AND begins_with(SK, :prefix)";
            values[":prefix"] = ItemMapping.S(prefix);
        }

        if (condition.SortAtMost is { } most)
        {
            expression += $" AND {condition.SortAttribute} <= :most";
            values[":most"] = ItemMapping.S(most);
        }

        var response = await dynamo.QueryAsync(new QueryRequest
        {
            TableName = options.TableName,
            IndexName = index.Name,
            KeyConditionExpression = expression,
            ExpressionAttributeValues = values,
            Limit = size + 1,
            ExclusiveStartKey = startKey,
        }, cancellationToken);
        var items = response.Items ?? [];
        var more = items.Count > size || response.LastEvaluatedKey is { Count: > 0 };
        return (items.Take(size).ToList(), more && items.Count > 0);
    }

    /// <summary>
    /// Whether a token's key is a position in this very query: a key of another list, job, status or index would
    /// otherwise restart the list or fail in DynamoDB as a server error.
    /// </summary>
    private static bool IsPositionIn(IndexKey index, KeyCondition condition, Dictionary<string, AttributeValue> key) =>
        key.Count == index.Attributes.Length
        && index.Attributes.All(key.ContainsKey)
        && key[condition.PartitionAttribute].S == condition.PartitionValue
        && (condition.SortPrefix is not { } prefix || key[SortKeyAttribute].S?.StartsWith(prefix, StringComparison.Ordinal) == true);

    private sealed record KeyCondition(string PartitionAttribute, string PartitionValue, string? SortPrefix = null, string? SortAttribute = null, string? SortAtMost = null);

    /// <summary>An index (null name: the table) and the attributes that make up a position in it.</summary>
    private sealed record IndexKey(string? Name, params string[] Attributes)
    {
        public Dictionary<string, AttributeValue> Of(Dictionary<string, AttributeValue> item) =>
            Attributes.ToDictionary(attribute => attribute, attribute => item[attribute]);
    }

    private static readonly IndexKey KeyOfTable = new(null, PartitionKeyAttribute, SortKeyAttribute);
    private static readonly IndexKey KeyOfByStatus = new(ByStatusIndex, PartitionKeyAttribute, SortKeyAttribute, "GSI1PK", "GSI1SK");
    private static readonly IndexKey KeyOfByThing = new(ByThingIndex, PartitionKeyAttribute, SortKeyAttribute, "GSI2PK", "GSI2SK");
    private static readonly IndexKey KeyOfOpen = new(OpenIndex, PartitionKeyAttribute, SortKeyAttribute, "GSI3PK", "GSI3SK");

    /// <summary>Indexes project keys only (cheap index writes); the records come from the table by key, in the keys' order.</summary>
    private async Task<List<ExecutionRecord>> GetManyAsync(List<Dictionary<string, AttributeValue>> keys, CancellationToken cancellationToken)
    {
        if (keys.Count == 0)
        {
            return [];
        }

        var found = new Dictionary<(string, string), ExecutionRecord>();
        var pending = keys.Select(KeyOfTable.Of).ToList();
        for (var round = 0; pending.Count > 0; round++)
        {
            if (round > 0)
            {
                await Task.Delay(UnprocessedKeysDelay(round), cancellationToken);
            }

            var response = await dynamo.BatchGetItemAsync(new BatchGetItemRequest
            {
                RequestItems = new() { [options.TableName] = new KeysAndAttributes { Keys = pending } },
            }, cancellationToken);
            foreach (var item in response.Responses?.GetValueOrDefault(options.TableName) ?? [])
            {
                found[(item[PartitionKeyAttribute].S, item[SortKeyAttribute].S)] = ItemMapping.ToExecution(item);
            }

            pending = response.UnprocessedKeys?.GetValueOrDefault(options.TableName)?.Keys ?? [];
        }

        // An item deleted (TTL) between the query and the read is simply absent.
        return keys
            .Select(key => (key[PartitionKeyAttribute].S, key[SortKeyAttribute].S))
            .Where(found.ContainsKey)
            .Select(key => found[key])
            .ToList();
    }

    /// <summary>
    /// The wait before asking again for keys DynamoDB left unprocessed (it was throttled): doubling up to a second.
    /// The shift is capped because an int shifted past 26 places overflows to a negative wait, which Task.Delay
    /// rejects, and the read then failed outright after about 22 seconds of throttling instead of waiting on.
    /// </summary>
    internal static TimeSpan UnprocessedKeysDelay(int round) => TimeSpan.FromMilliseconds(Math.Min(1000, 25 << Math.Min(round, 6)));

    private Update CounterUpdate(ExecutionRecord next, CounterChange change)
    {
        var update = new Update
        {
            TableName = options.TableName,
            Key = new()
            {
                [PartitionKeyAttribute] = ItemMapping.S(JobPartition(next.JobId)),
                [SortKeyAttribute] = ItemMapping.S(CounterSort(CounterShard(next.ThingName, options.CounterShards))),
            },
            UpdateExpression = "SET jobId = :job ADD #to :one",
            ExpressionAttributeNames = new() { ["#to"] = change.To.ToWire() },
            ExpressionAttributeValues = new() { [":job"] = ItemMapping.S(next.JobId), [":one"] = ItemMapping.N(1) },
        };
        if (change.From is { } from)
        {
            update.UpdateExpression += ", #from :minusOne";
            update.ExpressionAttributeNames["#from"] = from.ToWire();
            update.ExpressionAttributeValues[":minusOne"] = ItemMapping.N(-1);
        }

        return update;
    }

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
        var bytes = ItemMapping.SizeInBytes(item);
        if (bytes > MaxItemBytes)
        {
            throw new RecordTooLargeException(what, bytes, MaxItemBytes);
        }
    }

    private static int PageSize(int limit) => Math.Clamp(limit, 1, MaxPageSize);
}
