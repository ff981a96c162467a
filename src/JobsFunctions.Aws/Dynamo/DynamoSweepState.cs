using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using JobsFunctions.Domain.Sweeping;
using static JobsFunctions.Aws.Dynamo.RecordsTableLayout;

namespace JobsFunctions.Aws.Dynamo;

/// <summary>
/// The sweeper's lease, cursors and marks in the records table, under the partition <c>SWEEPER</c>. The lease item
/// (<c>SK=LEASE</c>) is taken by one conditional put that succeeds only when there is none or the one there has
/// expired, and given back by a conditional delete that succeeds only while it is still the holder's (same owner,
/// same acquisition time), so a run whose lease expired and was taken over cannot release its successor's.
/// Times are compared as fixed-width UTC text, whose order is time order.
/// </summary>
public sealed class DynamoSweepState(IAmazonDynamoDB dynamo, StoreOptions options) : ISweepState
{
    /// <summary>Chunks read per Query page: DynamoDB's 1 MB page holds about eight of the largest.</summary>
    private const int ListedChunksPerPage = 8;

    private readonly TableReader _reader = new(dynamo, options.TableName);

    public async Task<SweepLease?> TryAcquireLeaseAsync(string owner, DateTimeOffset now, TimeSpan duration, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(owner);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(duration, TimeSpan.Zero);
        var lease = new SweepLease(owner, now, now + duration);
        try
        {
            await dynamo.PutItemAsync(new PutItemRequest
            {
                TableName = options.TableName,
                Item = new Dictionary<string, AttributeValue>(Key(LeaseSort))
                {
                    ["kind"] = ItemMapping.S("sweepLease"),
                    ["owner"] = ItemMapping.S(owner),
                    ["acquiredAt"] = ItemMapping.S(SortableTime(lease.AcquiredAt)),
                    ["leaseExpiresAt"] = ItemMapping.S(SortableTime(lease.ExpiresAt)),
                },
                ConditionExpression = "attribute_not_exists(PK) OR leaseExpiresAt <= :now",
                ExpressionAttributeValues = new() { [":now"] = ItemMapping.S(SortableTime(now)) },
            }, cancellationToken);
            return lease;
        }
        catch (ConditionalCheckFailedException)
        {
            return null;
        }
    }

    public async Task ReleaseLeaseAsync(SweepLease lease, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lease);
        try
        {
            await dynamo.DeleteItemAsync(new DeleteItemRequest
            {
                TableName = options.TableName,
                Key = Key(LeaseSort),
                ConditionExpression = "#owner = :owner AND acquiredAt = :acquiredAt",
                ExpressionAttributeNames = new() { ["#owner"] = "owner" },
                ExpressionAttributeValues = new()
                {
                    [":owner"] = ItemMapping.S(lease.Owner),
                    [":acquiredAt"] = ItemMapping.S(SortableTime(lease.AcquiredAt)),
                },
            }, cancellationToken);
        }
        catch (ConditionalCheckFailedException)
        {
            // Someone else holds it now (ours expired and was taken): theirs is not ours to give back.
        }
    }

    public async Task<string?> GetCursorAsync(string name, CancellationToken cancellationToken)
    {
        var response = await dynamo.GetItemAsync(new GetItemRequest
        {
            TableName = options.TableName,
            Key = Key(CursorSort(name)),
            ConsistentRead = true,
        }, cancellationToken);
        return response.IsItemSet && response.Item?.GetValueOrDefault("value")?.S is { } value ? value : null;
    }

    public async Task SetCursorAsync(string name, string? value, CancellationToken cancellationToken)
    {
        if (value is null)
        {
            await dynamo.DeleteItemAsync(new DeleteItemRequest { TableName = options.TableName, Key = Key(CursorSort(name)) }, cancellationToken);
            return;
        }

        await dynamo.PutItemAsync(new PutItemRequest
        {
            TableName = options.TableName,
            Item = new Dictionary<string, AttributeValue>(Key(CursorSort(name)))
            {
                ["kind"] = ItemMapping.S("sweepCursor"),
                ["value"] = ItemMapping.S(value),
            },
        }, cancellationToken);
    }

    /// <summary>
    /// A mark is an item <c>SK=MARK#{mark}</c> whose <c>expiresAt</c> (epoch seconds) is also the table's TTL. DynamoDB
    /// deletes expired items within days, not at once, so the condition treats an expired mark as absent.
    /// </summary>
    public async Task<bool> TryMarkAsync(string mark, DateTimeOffset now, DateTimeOffset expiresAt, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(mark);
        try
        {
            await dynamo.PutItemAsync(new PutItemRequest
            {
                TableName = options.TableName,
                Item = new Dictionary<string, AttributeValue>(Key(MarkSort(mark)))
                {
                    ["kind"] = ItemMapping.S("sweepMark"),
                    ["expiresAt"] = ItemMapping.N(expiresAt.ToUnixTimeSeconds()),
                },
                ConditionExpression = "attribute_not_exists(PK) OR expiresAt <= :now",
                ExpressionAttributeValues = new() { [":now"] = ItemMapping.N(now.ToUnixTimeSeconds()) },
            }, cancellationToken);
            return true;
        }
        catch (ConditionalCheckFailedException)
        {
            return false;
        }
    }

    public async Task UnmarkAsync(string mark, CancellationToken cancellationToken) =>
        await dynamo.DeleteItemAsync(new DeleteItemRequest { TableName = options.TableName, Key = Key(MarkSort(mark)) }, cancellationToken);

    /// <summary>
    /// A kept chunk is an item <c>SK=LISTED#{jobId}#{listing}#{chunk}</c> holding the names as a string set, with
    /// <c>expiresAt</c> as its TTL; the chunks of one listing are read back by querying that prefix.
    /// </summary>
    public async Task KeepListedAsync(
        string jobId, string listing, int chunk, IReadOnlyCollection<string> thingNames, DateTimeOffset expiresAt, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(jobId);
        ArgumentException.ThrowIfNullOrEmpty(listing);
        ArgumentNullException.ThrowIfNull(thingNames);
        ArgumentOutOfRangeException.ThrowIfNegative(chunk);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(thingNames.Count, JobReconciliation.ListedChunkSize);
        if (thingNames.Count == 0)
        {
            return; // DynamoDB has no empty set; nothing listed is nothing to keep
        }

        await dynamo.PutItemAsync(new PutItemRequest
        {
            TableName = options.TableName,
            Item = new Dictionary<string, AttributeValue>(Key(ListedSort(jobId, listing, chunk)))
            {
                ["kind"] = ItemMapping.S("sweepListed"),
                ["thingNames"] = new AttributeValue { SS = [.. thingNames] },
                ["expiresAt"] = ItemMapping.N(expiresAt.ToUnixTimeSeconds()),
            },
        }, cancellationToken);
    }

    public async Task<IReadOnlySet<string>> ReadListedAsync(string jobId, string listing, CancellationToken cancellationToken)
    {
        var condition = new KeyCondition(PartitionKeyAttribute, SweeperPartition, SortPrefix: ListedPrefix(jobId, listing));
        var names = new HashSet<string>(StringComparer.Ordinal);
        Dictionary<string, AttributeValue>? start = null;
        while (true)
        {
            var (items, more) = await _reader.QueryAsync(IndexKey.Table, condition, ListedChunksPerPage, start, cancellationToken, exact: true, consistent: true);
            foreach (var item in items)
            {
                names.UnionWith(item.GetValueOrDefault("thingNames")?.SS ?? []);
            }

            if (!more)
            {
                return names;
            }

            start = IndexKey.Table.Of(items[^1]);
        }
    }

    private static string ListedPrefix(string jobId, string listing) => $"LISTED#{jobId}#{listing}#";

    private static string ListedSort(string jobId, string listing, int chunk) =>
        ListedPrefix(jobId, listing) + chunk.ToString("D6", System.Globalization.CultureInfo.InvariantCulture);

    private static string MarkSort(string mark) => $"MARK#{mark}";

    private static Dictionary<string, AttributeValue> Key(string sort) => new()
    {
        [PartitionKeyAttribute] = ItemMapping.S(SweeperPartition),
        [SortKeyAttribute] = ItemMapping.S(sort),
    };
}
