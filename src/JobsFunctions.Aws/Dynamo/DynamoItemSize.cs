using System.Text;
using Amazon.DynamoDBv2.Model;

namespace JobsFunctions.Aws.Dynamo;

/// <summary>
/// DynamoDB's published item-size rules
/// (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/CapacityUnitCalculations.html), to turn the items
/// we write into write units and to check items against a bound: the store's refusal of an oversized record, the
/// soak's bound and the write-cost bench share it.
/// </summary>
public static class DynamoItemSize
{
    public static int Bytes(Dictionary<string, AttributeValue> item) =>
        item.Sum(pair => Encoding.UTF8.GetByteCount(pair.Key) + Bytes(pair.Value));

    public static int WriteUnits(int bytes) => Math.Max(1, (bytes + 1023) / 1024);

    private static int Bytes(AttributeValue value) => value switch
    {
        { S: { } s } => Encoding.UTF8.GetByteCount(s),
        // One byte per two significant digits, plus one.
        { N: { } n } => (n.TrimStart('-').Replace(".", "", StringComparison.Ordinal).Length + 1) / 2 + 1,
        { BOOL: not null } or { NULL: not null } => 1,
        { M: { } m } => 3 + m.Sum(pair => Encoding.UTF8.GetByteCount(pair.Key) + Bytes(pair.Value) + 1),
        { L: { } l } => 3 + l.Sum(item => Bytes(item) + 1),
        _ => 0,
    };
}
