namespace JobsFunctions.Aws.Dynamo;

/// <summary>
/// How the records table is used. <paramref name="LedgerRetention"/> null keeps finished executions forever;
/// otherwise they expire (DynamoDB TTL) that long after they turned terminal.
/// </summary>
public sealed record StoreOptions(string TableName, int CounterShards, TimeSpan? LedgerRetention)
{
    /// <summary>Lambda keeps retrying an async event for up to 6 hours; a shorter retention could let a late duplicate
    /// re-create an expired execution and count it twice.</summary>
    public static readonly TimeSpan MinimumRetention = TimeSpan.FromDays(1);

    public const int MaxCounterShards = 64;
}
