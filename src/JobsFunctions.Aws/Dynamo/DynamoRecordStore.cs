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

    public async Task<ExecutionRecord?> FindExecutionAsync(string jobId, string thingName, CancellationToken cancellationToken)
    {
        var item = await GetAsync(JobPartition(jobId), ExecutionSort(thingName), cancellationToken);
        return item is null ? null : ItemMapping.ToExecution(item);
    }

    public async Task<bool> TrySaveExecutionAsync(ExecutionRecord next, CounterChange? counterChange, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(next);
        var put = ConditionalPut(ItemMapping.ToItem(next, next.Revision + 1, options), next.Revision);

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
        var put = ConditionalPut(ItemMapping.ToItem(next, next.Revision + 1), next.Revision);
        return await TryPutAsync(put, cancellationToken);
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
        if (status is null)
        {
            var response = await dynamo.QueryAsync(new QueryRequest
            {
                TableName = options.TableName,
                KeyConditionExpression = "PK = :pk AND begins_with(SK, :prefix)",
                ExpressionAttributeValues = new() { [":pk"] = ItemMapping.S(JobPartition(jobId)), [":prefix"] = ItemMapping.S(ExecutionSortPrefix) },
                Limit = PageSize(limit),
                ExclusiveStartKey = StartKey(pageToken),
            }, cancellationToken);
            return new Page<ExecutionRecord>((response.Items ?? []).Select(ItemMapping.ToExecution).ToList(), PageTokens.Next(response.LastEvaluatedKey));
        }

        return await QueryIndexPageAsync(ByStatusIndex, "GSI1PK", ByStatusPartition(jobId, status.Value.ToWire()), limit, pageToken, cancellationToken);
    }

    public Task<Page<ExecutionRecord>> ListExecutionsOfThingAsync(string thingName, int limit, string? pageToken, CancellationToken cancellationToken) =>
        QueryIndexPageAsync(ByThingIndex, "GSI2PK", ThingPartition(thingName), limit, pageToken, cancellationToken);

    /// <summary>Reads the open-index shards one after another, each oldest first; the page token names the shard.</summary>
    public async Task<Page<ExecutionRecord>> ListOpenExecutionsAsync(DateTimeOffset changedAtOrBefore, int limit, string? pageToken, CancellationToken cancellationToken)
    {
        var token = PageTokens.Decode(pageToken);
        var shard = token?.Shard ?? 0;
        var startKey = PageTokens.StartKey(token);
        var upperBound = $"{SortableTime(changedAtOrBefore)}#\uffff";
        var found = new List<ExecutionRecord>();
        while (shard < OpenIndexShards)
        {
            var (records, lastKey) = await QueryIndexAsync(OpenIndex, "GSI3PK", OpenPartition(shard), ("GSI3SK", upperBound), PageSize(limit) - found.Count, startKey, cancellationToken);
            found.AddRange(records);
            if (lastKey is { Count: > 0 })
            {
                return new Page<ExecutionRecord>(found, PageTokens.Encode(shard, lastKey));
            }

            shard++;
            startKey = null;
            if (found.Count >= PageSize(limit))
            {
                break;
            }
        }

        return new Page<ExecutionRecord>(found, shard < OpenIndexShards ? PageTokens.Encode(shard, null) : null);
    }

    private async Task<Page<ExecutionRecord>> QueryIndexPageAsync(string index, string partitionAttribute, string partition, int limit, string? pageToken, CancellationToken cancellationToken)
    {
        var (records, lastKey) = await QueryIndexAsync(index, partitionAttribute, partition, null, limit, StartKey(pageToken), cancellationToken);
        return new Page<ExecutionRecord>(records, PageTokens.Next(lastKey));
    }

    private async Task<(List<ExecutionRecord> Records, Dictionary<string, AttributeValue>? LastKey)> QueryIndexAsync(
        string index, string partitionAttribute, string partition, (string Attribute, string Max)? sortBound, int limit,
        Dictionary<string, AttributeValue>? startKey, CancellationToken cancellationToken)
    {
        var values = new Dictionary<string, AttributeValue> { [":pk"] = ItemMapping.S(partition) };
        var condition = $"{partitionAttribute} = :pk";
        if (sortBound is { } bound)
        {
            condition += $" AND {bound.Attribute} <= :max";
            values[":max"] = ItemMapping.S(bound.Max);
        }

        var response = await dynamo.QueryAsync(new QueryRequest
        {
            TableName = options.TableName,
            IndexName = index,
            KeyConditionExpression = condition,
            ExpressionAttributeValues = values,
            Limit = PageSize(limit),
            ExclusiveStartKey = startKey,
        }, cancellationToken);

        // Indexes project keys only (cheap index writes); the records themselves come from the table by key.
        var records = await GetManyAsync((response.Items ?? []).Select(key => (key[PartitionKeyAttribute].S, key[SortKeyAttribute].S)).ToList(), cancellationToken);
        return (records, response.LastEvaluatedKey);
    }

    private async Task<List<ExecutionRecord>> GetManyAsync(List<(string Partition, string Sort)> keys, CancellationToken cancellationToken)
    {
        var found = new Dictionary<(string, string), ExecutionRecord>();
        var pending = keys.Select(key => new Dictionary<string, AttributeValue> { [PartitionKeyAttribute] = ItemMapping.S(key.Partition), [SortKeyAttribute] = ItemMapping.S(key.Sort) }).ToList();
        for (var round = 0; pending.Count > 0; round++)
        {
            if (round > 0)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(1000, 25 << round)), cancellationToken);
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

        // Keep the index's order; an item deleted (TTL) between the query and the read is simply absent.
        return keys.Where(found.ContainsKey).Select(key => found[key]).ToList();
    }

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

    private static Dictionary<string, AttributeValue>? StartKey(string? pageToken) => PageTokens.StartKey(PageTokens.Decode(pageToken));

    private static int PageSize(int limit) => Math.Clamp(limit, 1, MaxPageSize);
}
