using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using JobsFunctions.Aws.Retries;
using JobsFunctions.Domain.Recording;
using static JobsFunctions.Aws.Dynamo.RecordsTableLayout;

namespace JobsFunctions.Aws.Dynamo;

/// <summary>A key condition on the table or an index: the partition, and optionally a sort-key prefix or bounds.</summary>
internal sealed record KeyCondition(
    string PartitionAttribute,
    string PartitionValue,
    string? SortPrefix = null,
    string? SortAttribute = null,
    string? SortAtMost = null,
    string? SortAtLeast = null);

/// <summary>An index (null name: the table) and the attributes that make up a position in it.</summary>
internal sealed record IndexKey(string? Name, params string[] Attributes)
{
    public static readonly IndexKey Table = new(null, PartitionKeyAttribute, SortKeyAttribute);
    public static readonly IndexKey ByStatus = new(ByStatusIndex, PartitionKeyAttribute, SortKeyAttribute, "GSI1PK", "GSI1SK");
    public static readonly IndexKey ByThing = new(ByThingIndex, PartitionKeyAttribute, SortKeyAttribute, "GSI2PK", "GSI2SK");

    public Dictionary<string, AttributeValue> Of(Dictionary<string, AttributeValue> item) =>
        Attributes.ToDictionary(attribute => attribute, attribute => item[attribute]);

    /// <summary>
    /// Whether a token's key is a position in this very query: a key of another list, job, status or index would
    /// otherwise restart the list or fail in DynamoDB as a server error.
    /// </summary>
    public bool IsPositionIn(KeyCondition condition, Dictionary<string, AttributeValue> key) =>
        key.Count == Attributes.Length
        && Attributes.All(key.ContainsKey)
        && key[condition.PartitionAttribute].S == condition.PartitionValue
        && (condition.SortPrefix is not { } prefix || key[SortKeyAttribute].S?.StartsWith(prefix, StringComparison.Ordinal) == true);
}

/// <summary>The queries and batch reads every store of the records table pages with.</summary>
internal sealed class TableReader(IAmazonDynamoDB dynamo, string tableName)
{
    /// <summary>
    /// The wait before asking again for keys DynamoDB left unprocessed (it was throttled): the store's backoff, as
    /// DynamoDB asks (https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_BatchGetItem.html).
    /// </summary>
    private static readonly BackoffRetry UnprocessedKeys = new(TransientRetry.Rounds);

    /// <summary>
    /// One page of items (keys only, from a keys-only index). Unless <paramref name="exact"/>, it asks for one more item than
    /// the page holds, so a full last page is known to be the last and carries no token; DynamoDB stopping early
    /// (its 1 MB limit) still yields a token. An <paramref name="exact"/> read reads no item beyond the page, and a
    /// full page then always says there may be more. A <paramref name="consistent"/> read (the table only: an index
    /// has none) sees every write that succeeded before it.
    /// </summary>
    public async Task<(List<Dictionary<string, AttributeValue>> Items, bool More)> QueryAsync(
        IndexKey index,
        KeyCondition condition,
        int size,
        Dictionary<string, AttributeValue>? startKey,
        CancellationToken cancellationToken,
        bool newestFirst = false,
        bool exact = false,
        bool consistent = false)
    {
        var values = new Dictionary<string, AttributeValue> { [":pk"] = ItemMapping.S(condition.PartitionValue) };
        var expression = $"{condition.PartitionAttribute} = :pk";
        if (condition.SortPrefix is { } prefix)
        {
            expression += " AND begins_with(SK, :prefix)";
            values[":prefix"] = ItemMapping.S(prefix);
        }

        // A key condition holds one condition on the sort key: both bounds make a BETWEEN.
        if (condition is { SortAtLeast: { } from, SortAtMost: { } to })
        {
            expression += $" AND {condition.SortAttribute} BETWEEN :least AND :most";
            values[":least"] = ItemMapping.S(from);
            values[":most"] = ItemMapping.S(to);
        }
        else if (condition.SortAtMost is { } most)
        {
            expression += $" AND {condition.SortAttribute} <= :most";
            values[":most"] = ItemMapping.S(most);
        }
        else if (condition.SortAtLeast is { } least)
        {
            expression += $" AND {condition.SortAttribute} >= :least";
            values[":least"] = ItemMapping.S(least);
        }

        var response = await dynamo.QueryAsync(new QueryRequest
        {
            TableName = tableName,
            IndexName = index.Name,
            KeyConditionExpression = expression,
            ExpressionAttributeValues = values,
            ScanIndexForward = !newestFirst,
            Limit = exact ? size : size + 1,
            ExclusiveStartKey = startKey,
            ConsistentRead = consistent ? true : null,
        }, cancellationToken);
        var items = response.Items ?? [];
        var more = items.Count > size || response.LastEvaluatedKey is { Count: > 0 };
        return (items.Take(size).ToList(), more && items.Count > 0);
    }

    /// <summary>Whole items by key, in the keys' order; an item deleted (TTL) between a query and this read is simply absent.</summary>
    public async Task<List<Dictionary<string, AttributeValue>>> GetManyAsync(
        List<Dictionary<string, AttributeValue>> keys, CancellationToken cancellationToken)
    {
        if (keys.Count == 0)
        {
            return [];
        }

        var found = new Dictionary<(string, string), Dictionary<string, AttributeValue>>();
        var pending = keys.Select(IndexKey.Table.Of).ToList();
        for (var round = 0; pending.Count > 0; round++)
        {
            if (round > 0)
            {
                await UnprocessedKeys.WaitAsync(round, cancellationToken);
            }

            var response = await dynamo.BatchGetItemAsync(new BatchGetItemRequest
            {
                RequestItems = new() { [tableName] = new KeysAndAttributes { Keys = pending } },
            }, cancellationToken);
            foreach (var item in response.Responses?.GetValueOrDefault(tableName) ?? [])
            {
                found[(item[PartitionKeyAttribute].S, item[SortKeyAttribute].S)] = item;
            }

            pending = response.UnprocessedKeys?.GetValueOrDefault(tableName)?.Keys ?? [];
        }

        return keys
            .Select(key => (key[PartitionKeyAttribute].S, key[SortKeyAttribute].S))
            .Where(found.ContainsKey)
            .Select(key => found[key])
            .ToList();
    }

    /// <summary>The start key of a page token, refused unless it is a position in this query.</summary>
    public static Dictionary<string, AttributeValue>? StartKey(string? pageToken, IndexKey index, KeyCondition condition)
    {
        var startKey = PageTokens.DecodeKey(pageToken);
        return startKey is not null && !index.IsPositionIn(condition, startKey) ? throw new InvalidPageTokenException() : startKey;
    }
}
