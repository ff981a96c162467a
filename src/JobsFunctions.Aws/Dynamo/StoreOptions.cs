namespace JobsFunctions.Aws.Dynamo;

/// <summary>
/// How the records table is used. <paramref name="LedgerRetention"/> null keeps finished executions forever;
/// otherwise they expire (DynamoDB TTL) that long after they turned terminal.
/// </summary>
public sealed record StoreOptions(string TableName, int CounterShards, TimeSpan? LedgerRetention)
{
    public const int MaxCounterShards = 64;
}
