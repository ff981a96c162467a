using JobsFunctions.Domain.Errors;

namespace JobsFunctions.Domain.Operations;

/// <summary>
/// Answers kept per (caller principal, Idempotency-Key), so a retried write is answered without being repeated.
/// A request first claims its key; the claim is a lease, so a request that died mid-way does not lock the key for
/// longer than the lease. Entries expire after their retention (<see cref="IdempotencyEntry.ExpiresAt"/>).
/// </summary>
public interface IIdempotencyStore
{
    /// <summary>
    /// Writes <paramref name="claim"/> (an entry without response) when no live entry exists for its caller and key —
    /// none at all, one past <see cref="IdempotencyEntry.ExpiresAt"/>, or an unanswered claim whose lease has
    /// passed at <paramref name="claim"/>'s CreatedAt — and returns null. Otherwise returns the live entry unchanged.
    /// The check and the write are one atomic conditional write.
    /// </summary>
    Task<IdempotencyEntry?> TryClaimAsync(IdempotencyEntry claim, CancellationToken cancellationToken);

    /// <summary>
    /// Stores the answer for a key this request (same RequestId) still holds; if another request has taken the key
    /// over since, nothing is written.
    /// </summary>
    Task CompleteAsync(IdempotencyEntry completed, CancellationToken cancellationToken);

    /// <summary>Deletes this request's unanswered claim so the key can be retried at once.</summary>
    Task ReleaseAsync(IdempotencyEntry claim, CancellationToken cancellationToken);
}

/// <summary>
/// A key's claim or answer. <paramref name="Fingerprint"/> identifies the request (operation and parameters), so a
/// key reused for a different request is recognised. <paramref name="Response"/> is null while the claim is open.
/// </summary>
public sealed record IdempotencyEntry(
    string Principal,
    string Key,
    string Fingerprint,
    string RequestId,
    DateTimeOffset CreatedAt,
    DateTimeOffset LeaseExpiresAt,
    DateTimeOffset ExpiresAt,
    StoredResponse? Response = null);

/// <summary>The answer a request got: an error, or success with UpdateJobExecution's output when it has one.</summary>
public sealed record StoredResponse(Error? Error, ExecutionUpdate? ExecutionUpdate = null)
{
    public static StoredResponse Of<T>(Result<T> result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return new StoredResponse(result.Error, result.IsSuccess ? result.Value as ExecutionUpdate : null);
    }
}
