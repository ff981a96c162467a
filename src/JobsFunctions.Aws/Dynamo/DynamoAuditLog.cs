using System.Text.Json;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using JobsFunctions.Domain.Operations;
using JobsFunctions.Domain.Recording;
using static JobsFunctions.Aws.Dynamo.RecordsTableLayout;

namespace JobsFunctions.Aws.Dynamo;

/// <summary>
/// The audit trail in the records table, in the job's partition under <c>AUDIT#{time}#{requestId}</c>, so a job's
/// trail is one Query, newest first. Entries are written once and never changed. With a <paramref name="retention"/>
/// an entry carries the table's TTL attribute, <c>expiresAt</c>, that long after it was written, so DynamoDB deletes it
/// then (within a few days of that time, as TTL does); null keeps entries forever.
/// </summary>
public sealed class DynamoAuditLog(IAmazonDynamoDB dynamo, StoreOptions options, TimeSpan? retention) : IAuditLog
{
    private const string AuditPrefix = "AUDIT#";

    /// <summary>The table's TTL attribute (its TimeToLiveSpecification), which execution and idempotency items carry too.</summary>
    private const string ExpiresAtAttribute = "expiresAt";

    /// <summary>Longest kept value: above every valid one (description 2,028, roleArn 2,048, a statusDetails value 1,024).</summary>
    private const int MaxValueLength = 4096;

    /// <summary>
    /// Characters of parameter names and values kept per entry: a valid request needs under 15,000, and at up to three
    /// UTF-8 bytes each this keeps an entry far below DynamoDB's 400 KB item limit, whatever a refused body held.
    /// </summary>
    private const int MaxParameterCharacters = 60_000;

    public async Task AppendAsync(AuditEntry entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        entry = Bounded(entry);
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

        if (retention is { } kept)
        {
            item[ExpiresAtAttribute] = ItemMapping.N((entry.At + kept).ToUnixTimeSeconds());
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

    /// <summary>
    /// The entry as it can be stored. A refused request is audited with what it asked for, and its body may hold far
    /// more than any valid one (a file pasted as a description, thousands of statusDetails); past the bounds values are
    /// cut with "…" and the remaining parameters are counted under the name "…", so the refusal is still on record.
    /// </summary>
    private static AuditEntry Bounded(AuditEntry entry)
    {
        if (entry.Parameters.Sum(pair => pair.Key.Length + pair.Value.Length) <= MaxParameterCharacters
            && entry.Parameters.All(pair => pair.Key.Length <= MaxValueLength && pair.Value.Length <= MaxValueLength)
            && (entry.Reason?.Length ?? 0) <= MaxValueLength)
        {
            return entry;
        }

        var kept = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var budget = MaxParameterCharacters;
        var left = 0;
        foreach (var (name, value) in entry.Parameters.OrderBy(pair => pair.Key, StringComparer.Ordinal))
        {
            var (cutName, cutValue) = (Cut(name), Cut(value));
            if (cutName.Length + cutValue.Length > budget || !kept.TryAdd(cutName, cutValue))
            {
                left++;
                continue;
            }

            budget -= cutName.Length + cutValue.Length;
        }

        if (left > 0)
        {
            kept["…"] = $"{left} more parameters not kept";
        }

        return entry with { Parameters = kept, Reason = entry.Reason is { } reason ? Cut(reason) : null };

        static string Cut(string text) => text.Length <= MaxValueLength ? text : string.Concat(text.AsSpan(0, MaxValueLength), "…");
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
