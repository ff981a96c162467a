namespace JobsFunctions.Domain.Sweeping;

/// <summary>A run's exclusive right to act, held until <paramref name="ExpiresAt"/> or until given back.</summary>
public sealed record SweepLease(string Owner, DateTimeOffset AcquiredAt, DateTimeOffset ExpiresAt);

/// <summary>
/// What the sweeper keeps between runs: the lease that keeps two overlapping runs from acting twice, named
/// cursors that let the next run resume where a run's budget ran out, marks of what was done once (a dry-run
/// decision already audited), and what a job's open listing has seen while it spans runs.
/// </summary>
public interface ISweepState
{
    /// <summary>Takes the lease when nobody holds it or the holder's has expired (one conditional write); null when held.</summary>
    Task<SweepLease?> TryAcquireLeaseAsync(string owner, DateTimeOffset now, TimeSpan duration, CancellationToken cancellationToken);

    /// <summary>Gives the lease back, only if <paramref name="lease"/> is still the one stored.</summary>
    Task ReleaseLeaseAsync(SweepLease lease, CancellationToken cancellationToken);

    Task<string?> GetCursorAsync(string name, CancellationToken cancellationToken);

    /// <summary>Stores the cursor; null removes it.</summary>
    Task SetCursorAsync(string name, string? value, CancellationToken cancellationToken);

    /// <summary>
    /// Sets the mark unless it is already set and not yet expired (one conditional write): true when this call set it.
    /// A mark is forgotten at <paramref name="expiresAt"/>, so marks are bounded by what happened in that span.
    /// </summary>
    Task<bool> TryMarkAsync(string mark, DateTimeOffset now, DateTimeOffset expiresAt, CancellationToken cancellationToken);

    /// <summary>Removes the mark (what it stood for did not happen after all).</summary>
    Task UnmarkAsync(string mark, CancellationToken cancellationToken);

    /// <summary>
    /// Keeps chunk <paramref name="chunk"/> of the thing names that listing <paramref name="listing"/> of
    /// <paramref name="jobId"/>'s open executions has seen, for a listing that spans runs (at most
    /// <see cref="JobReconciliation.ListedChunkSize"/> names; writing the same chunk again replaces it). Forgotten at
    /// <paramref name="expiresAt"/>.
    /// </summary>
    Task KeepListedAsync(string jobId, string listing, int chunk, IReadOnlyCollection<string> thingNames, DateTimeOffset expiresAt, CancellationToken cancellationToken);

    /// <summary>Every thing name kept for the listing, over all its chunks.</summary>
    Task<IReadOnlySet<string>> ReadListedAsync(string jobId, string listing, CancellationToken cancellationToken);
}
