using System.Text.Json;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using JobsFunctions.Domain.Operations;
using JobsFunctions.Domain.Recording;
using static JobsFunctions.Aws.Dynamo.RecordsTableLayout;

namespace JobsFunctions.Aws.Dynamo;

/// <summary>
/// The audit trail in the records table, in the job's partition under <c>AUDIT#{time}#{requestId}</c>, so a job's
/// trail is one Query, newest first. Entries are written once and never changed.
/// </summary>
public sealed class DynamoAuditLog(IAmazonDynamoDB dynamo, StoreOptions options) : IAuditLog
{
    private const string AuditPrefix = "AUDIT#";

    public async Task AppendAsync(AuditEntry entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var item = new Dictionary<string, AttributeValue>
        {
            [PartitionKeyAttribute] = ItemMapping.S(JobPartition(entry.JobId)),
            [SortKeyAttribute] = ItemMapping.S($"{AuditPrefix}{SortableTime(entry.At)}#{entry.RequestId}"),
            ["kind"] = ItemMapping.S("audit"),
            ["operation"] = ItemMapping.S(entry.Operation),
            ["outcome"] = ItemMapping.S(entry.Outcome),
            ["entry"] = ItemMapping.S(JsonSerializer.Serialize(entry, OperationsJsonContext.Default.AuditEntry)),
        };
        if (entry.Caller.UserArn is { } caller)
        {
            item["caller"] = ItemMapping.S(caller);
        }

        // A retried invocation writes the same key again: the first entry stands.
        try
        {
            await dynamo.PutItemAsync(new PutItemRequest
            {
                TableName = options.TableName,
                Item = item,
                ConditionExpression = "attribute_not_exists(PK)",
            }, cancellationToken);
        }
        catch (ConditionalCheckFailedException)
        {
        }
    }

    public async Task<Page<AuditEntry>> ListForJobAsync(string jobId, int limit, string? pageToken, CancellationToken cancellationToken)
    {
        var size = Math.Clamp(limit, 1, DynamoRecordStore.MaxPageSize);
        var partition = JobPartition(jobId);
        var start = PageTokens.DecodeKey(pageToken);
        // A key from another job's trail (or another listing) is not ours to pass on: DynamoDB would refuse it as a
        // start key outside the queried partition, which would surface as a server error instead of the caller's.
        if (start is not null && !(start.Count == 2
            && start.GetValueOrDefault(PartitionKeyAttribute)?.S == partition
            && start.GetValueOrDefault(SortKeyAttribute)?.S is { } sort && sort.StartsWith(AuditPrefix, StringComparison.Ordinal)))
        {
            throw new InvalidPageTokenException();
        }

        var response = await dynamo.QueryAsync(new QueryRequest
        {
            TableName = options.TableName,
            KeyConditionExpression = "PK = :pk AND begins_with(SK, :prefix)",
            ExpressionAttributeValues = new() { [":pk"] = ItemMapping.S(partition), [":prefix"] = ItemMapping.S(AuditPrefix) },
            ScanIndexForward = false,
            Limit = size + 1,
            ExclusiveStartKey = start,
        }, cancellationToken);
        var items = response.Items ?? [];
        var page = items.Take(size).ToList();
        var more = page.Count > 0 && (items.Count > size || response.LastEvaluatedKey is { Count: > 0 });
        var entries = page.Select(item => JsonSerializer.Deserialize(item["entry"].S, OperationsJsonContext.Default.AuditEntry)!).ToList();
        return new Page<AuditEntry>(entries, more
            ? PageTokens.Encode(new() { [PartitionKeyAttribute] = page[^1][PartitionKeyAttribute], [SortKeyAttribute] = page[^1][SortKeyAttribute] })
            : null);
    }
}
