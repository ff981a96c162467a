using JobsFunctions.Domain.Executions;
using JobsFunctions.Domain.Recording;

namespace JobsFunctions.Domain.Operations;

/// <summary>The operator's trail: every write request against a job, whatever its outcome.</summary>
public interface IAuditLog
{
    Task AppendAsync(AuditEntry entry, CancellationToken cancellationToken);

    /// <summary>A job's entries, newest first.</summary>
    Task<Page<AuditEntry>> ListForJobAsync(string jobId, int limit, string? pageToken, CancellationToken cancellationToken);
}

/// <summary>
/// One operator request: who (<paramref name="Caller"/>), what (<paramref name="Operation"/> on
/// <paramref name="Route"/> with <paramref name="Parameters"/>, flattened to field paths such as
/// <c>abortConfig.criteriaList[0].thresholdPercentage</c>), why (<paramref name="Reason"/>), how it ended
/// (<paramref name="Outcome"/>: <see cref="Succeeded"/> or the error code), and the execution's state before and
/// after where they are known. <paramref name="Replayed"/> marks an answer served again for an idempotency key.
/// <paramref name="Field"/> names what a refusal was about (<c>timeoutConfig.actoin</c>), when it names one.
/// </summary>
public sealed record AuditEntry(
    string JobId,
    string? ThingName,
    string RequestId,
    DateTimeOffset At,
    Caller Caller,
    string Operation,
    string Route,
    IReadOnlyDictionary<string, string> Parameters,
    string? Reason,
    string Outcome,
    ExecutionState? Before,
    ExecutionState? After,
    string? IdempotencyKey = null,
    bool Replayed = false,
    string? Field = null)
{
    public const string Succeeded = "success";

    /// <summary>The outcome of a request that failed unexpectedly: whether AWS acted on it is not known.</summary>
    public const string Unknown = "unknown";
}
