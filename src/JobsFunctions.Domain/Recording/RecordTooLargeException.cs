namespace JobsFunctions.Domain.Recording;

/// <summary>
/// The record would exceed what the store can hold in one item. An execution's compacted ledger keeps it far below
/// (<see cref="Executions.LedgerCompaction"/>), so this is a bug or a limit misjudged, never the normal course. Nothing
/// was written. Retrying cannot help: the invocation fails so the observation is kept (the recorder's failure queue)
/// instead of being dropped, and the message names the record, its size and the limit.
/// </summary>
public sealed class RecordTooLargeException(string what, long bytes, long limitBytes)
    : Exception($"The {what} would take {bytes} bytes, over the store's item limit of {limitBytes} bytes; nothing was written.")
{
    public long Bytes { get; } = bytes;

    public long LimitBytes { get; } = limitBytes;
}
