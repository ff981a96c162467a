using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using JobsFunctions.Domain.Policies;
using JobsFunctions.Domain.Recording;
using static JobsFunctions.Aws.Dynamo.RecordsTableLayout;

namespace JobsFunctions.Aws.Dynamo;

/// <summary>
/// Per-job policies in the records table: one item per job (<c>PK=JOB#{jobId}</c>, <c>SK=POLICY</c>) holding the
/// document as attributes, replaced and deleted under a condition on its revision. Jobs with a policy are listed
/// from the ByThing index under the fixed partition <c>POLICIES</c> (a sparse entry only policy items carry), so the
/// listing reads policies, never executions, and nothing scans.
/// </summary>
public sealed class DynamoPolicyStore(IAmazonDynamoDB dynamo, StoreOptions options) : IPolicyStore
{
    private readonly TableReader _reader = new(dynamo, options.TableName);

    public async Task<StoredPolicy?> FindAsync(string jobId, CancellationToken cancellationToken)
    {
        var response = await dynamo.GetItemAsync(new GetItemRequest
        {
            TableName = options.TableName,
            Key = Key(jobId),
            ConsistentRead = true,
        }, cancellationToken);
        return response.IsItemSet && response.Item is { Count: > 0 } item ? ItemMapping.ToPolicy(item) : null;
    }

    /// <summary>By job id. The index holds keys only, so each page is one Query and one BatchGetItem.</summary>
    public async Task<Page<StoredPolicy>> ListAsync(int limit, string? pageToken, CancellationToken cancellationToken)
    {
        var condition = new KeyCondition("GSI2PK", PoliciesPartition);
        var startKey = TableReader.StartKey(pageToken, IndexKey.ByThing, condition);
        var (keys, more) = await _reader.QueryAsync(IndexKey.ByThing, condition, Math.Clamp(limit, 1, DynamoRecordStore.MaxPageSize), startKey, cancellationToken);
        var items = await _reader.GetManyAsync(keys, cancellationToken);
        return new Page<StoredPolicy>(
            items.Select(ItemMapping.ToPolicy).ToList(),
            more ? PageTokens.Encode(IndexKey.ByThing.Of(keys[^1])) : null);
    }

    public async Task<bool> TryPutAsync(StoredPolicy next, long? expectedRevision, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(next);
        var (condition, names, values) = Guard(expectedRevision);
        var request = new PutItemRequest
        {
            TableName = options.TableName,
            Item = ItemMapping.ToItem(next),
            ConditionExpression = condition,
            ExpressionAttributeNames = names,
            ExpressionAttributeValues = values,
        };
        try
        {
            await dynamo.PutItemAsync(request, cancellationToken);
            return true;
        }
        catch (ConditionalCheckFailedException)
        {
            return false;
        }
    }

    public async Task<bool> TryDeleteAsync(string jobId, long? expectedRevision, CancellationToken cancellationToken)
    {
        var (condition, names, values) = Guard(expectedRevision ?? AnyRevision);
        var request = new DeleteItemRequest
        {
            TableName = options.TableName,
            Key = Key(jobId),
            ConditionExpression = condition,
            ExpressionAttributeNames = names,
            ExpressionAttributeValues = values,
        };
        try
        {
            await dynamo.DeleteItemAsync(request, cancellationToken);
            return true;
        }
        catch (ConditionalCheckFailedException)
        {
            return false;
        }
    }

    /// <summary>Stands for "any revision, but the item must exist" (a delete of nothing is refused).</summary>
    private const long AnyRevision = -1;

    /// <summary>
    /// The condition for a revision: 0 = no item yet, <see cref="AnyRevision"/> = an item at any revision, null = no
    /// condition, n = the item at revision n.
    /// </summary>
    private static (string? Condition, Dictionary<string, string>? Names, Dictionary<string, AttributeValue>? Values) Guard(long? expectedRevision) =>
        expectedRevision switch
        {
            null => (null, null, null),
            0 => ("attribute_not_exists(PK)", null, null),
            AnyRevision => ("attribute_exists(PK)", null, null),
            { } revision => ("#rev = :rev", new() { ["#rev"] = ItemMapping.Revision }, new() { [":rev"] = ItemMapping.N(revision) }),
        };

    private static Dictionary<string, AttributeValue> Key(string jobId) => new()
    {
        [PartitionKeyAttribute] = ItemMapping.S(JobPartition(jobId)),
        [SortKeyAttribute] = ItemMapping.S(PolicySort),
    };
}
