using System.Globalization;
using System.Text.Json;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using JobsFunctions.Domain.Operations;
using static JobsFunctions.Aws.Dynamo.RecordsTableLayout;

namespace JobsFunctions.Aws.Dynamo;

/// <summary>
/// Idempotency keys in the records table, one item per (caller, key). A claim is one conditional put that wins only
/// when no live entry exists; answers are kept until <c>expiresAt</c>, which is also the item's TTL.
/// </summary>
public sealed class DynamoIdempotencyStore(IAmazonDynamoDB dynamo, StoreOptions options) : IIdempotencyStore
{
    private const string Sort = "IDEMPOTENCY";

    public async Task<IdempotencyEntry?> TryClaimAsync(IdempotencyEntry claim, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(claim);
        // A claim can lose to an entry that then expires or is released before we read it: try again, briefly.
        for (var attempt = 0; attempt < 3; attempt++)
        {
            try
            {
                await dynamo.PutItemAsync(new PutItemRequest
                {
                    TableName = options.TableName,
                    Item = ToItem(claim),
                    ConditionExpression = "attribute_not_exists(PK) OR expiresAt <= :nowSeconds OR (attribute_not_exists(#response) AND leaseExpiresAt <= :nowMs)",
                    ExpressionAttributeNames = new() { ["#response"] = "response" },
                    ExpressionAttributeValues = new()
                    {
                        [":nowSeconds"] = ItemMapping.N(claim.CreatedAt.ToUnixTimeSeconds()),
                        [":nowMs"] = ItemMapping.N(claim.CreatedAt.ToUnixTimeMilliseconds()),
                    },
                }, cancellationToken);
                return null;
            }
            catch (ConditionalCheckFailedException)
            {
                var existing = await dynamo.GetItemAsync(new GetItemRequest
                {
                    TableName = options.TableName,
                    Key = Key(claim),
                    ConsistentRead = true,
                }, cancellationToken);
                if (existing.Item is { Count: > 0 } item)
                {
                    return FromItem(item);
                }
            }
        }

        throw new InvalidOperationException($"The idempotency key kept changing while it was being claimed.");
    }

    public async Task CompleteAsync(IdempotencyEntry completed, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(completed);
        try
        {
            await dynamo.PutItemAsync(new PutItemRequest
            {
                TableName = options.TableName,
                Item = ToItem(completed),
                ConditionExpression = "requestId = :requestId",
                ExpressionAttributeValues = new() { [":requestId"] = ItemMapping.S(completed.RequestId) },
            }, cancellationToken);
        }
        catch (ConditionalCheckFailedException)
        {
            // Another request took the key over after our lease ran out: its answer stands.
        }
    }

    public async Task ReleaseAsync(IdempotencyEntry claim, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(claim);
        try
        {
            await dynamo.DeleteItemAsync(new DeleteItemRequest
            {
                TableName = options.TableName,
                Key = Key(claim),
                ConditionExpression = "requestId = :requestId AND attribute_not_exists(#response)",
                ExpressionAttributeNames = new() { ["#response"] = "response" },
                ExpressionAttributeValues = new() { [":requestId"] = ItemMapping.S(claim.RequestId) },
            }, cancellationToken);
        }
        catch (ConditionalCheckFailedException)
        {
        }
    }

    private static Dictionary<string, AttributeValue> Key(IdempotencyEntry entry) => new()
    {
        [PartitionKeyAttribute] = ItemMapping.S($"IDEMPOTENCY#{entry.Principal}#{entry.Key}"),
        [SortKeyAttribute] = ItemMapping.S(Sort),
    };

    private static Dictionary<string, AttributeValue> ToItem(IdempotencyEntry entry)
    {
        var item = Key(entry);
        item["kind"] = ItemMapping.S("idempotency");
        item["principal"] = ItemMapping.S(entry.Principal);
        item["idempotencyKey"] = ItemMapping.S(entry.Key);
        item["fingerprint"] = ItemMapping.S(entry.Fingerprint);
        item["requestId"] = ItemMapping.S(entry.RequestId);
        item["createdAt"] = ItemMapping.N(entry.CreatedAt.ToUnixTimeMilliseconds());
        item["leaseExpiresAt"] = ItemMapping.N(entry.LeaseExpiresAt.ToUnixTimeMilliseconds());
        item["expiresAt"] = ItemMapping.N(entry.ExpiresAt.ToUnixTimeSeconds());
        if (entry.Response is { } response)
        {
            item["response"] = ItemMapping.S(JsonSerializer.Serialize(response, OperationsJsonContext.Default.StoredResponse));
        }

        return item;
    }

    private static IdempotencyEntry FromItem(Dictionary<string, AttributeValue> item) => new(
        item["principal"].S,
        item["idempotencyKey"].S,
        item["fingerprint"].S,
        item["requestId"].S,
        DateTimeOffset.FromUnixTimeMilliseconds(Long(item["createdAt"])),
        DateTimeOffset.FromUnixTimeMilliseconds(Long(item["leaseExpiresAt"])),
        DateTimeOffset.FromUnixTimeSeconds(Long(item["expiresAt"])),
        item.TryGetValue("response", out var response) ? JsonSerializer.Deserialize(response.S, OperationsJsonContext.Default.StoredResponse) : null);

    private static long Long(AttributeValue value) => long.Parse(value.N, CultureInfo.InvariantCulture);
}
