using System.Text;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;

namespace JobsFunctions.TestSupport;

/// <summary>
/// Every item of a table as canonical text (keys sorted, wall-clock attributes left out), so two tables can be
/// compared for "the same content". Scans: for tests only.
/// </summary>
public static class TableSnapshot
{
    public static async Task<IReadOnlyList<string>> TakeAsync(IAmazonDynamoDB dynamo, string table, params string[] ignoredAttributes)
    {
        var items = new List<string>();
        Dictionary<string, AttributeValue>? startKey = null;
        do
        {
            var page = await dynamo.ScanAsync(new ScanRequest { TableName = table, ExclusiveStartKey = startKey });
            items.AddRange((page.Items ?? []).Select(item => Canonical(item, ignoredAttributes)));
            startKey = page.LastEvaluatedKey is { Count: > 0 } last ? last : null;
        }
        while (startKey is not null);

        items.Sort(StringComparer.Ordinal);
        return items;
    }

    private static string Canonical(Dictionary<string, AttributeValue> map, string[] ignored)
    {
        var text = new StringBuilder("{");
        foreach (var (key, value) in map.Where(pair => !ignored.Contains(pair.Key)).OrderBy(pair => pair.Key, StringComparer.Ordinal))
        {
            text.Append(key).Append('=').Append(Canonical(value, ignored)).Append(';');
        }

        return text.Append('}').ToString();
    }

    private static string Canonical(AttributeValue value, string[] ignored) => value switch
    {
        { S: { } s } => $"S:{s}",
        { N: { } n } => $"N:{n}",
        { BOOL: { } b } => $"B:{b}",
        { M: { } m } => Canonical(m, ignored),
        { L: { } l } => "[" + string.Join(",", l.Select(item => Canonical(item, ignored))) + "]",
        _ => "NULL",
    };
}
