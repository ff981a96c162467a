using JobsFunctions.Domain.Sweeping;

namespace JobsFunctions.TestSupport;

/// <summary>Sweep state that hands every call to another; a test overrides the one call it wants to fail or divert.</summary>
public class DelegatingSweepState(ISweepState inner) : ISweepState
{
    public virtual Task<SweepLease?> TryAcquireLeaseAsync(string owner, DateTimeOffset now, TimeSpan duration, CancellationToken cancellationToken) =>
        inner.TryAcquireLeaseAsync(owner, now, duration, cancellationToken);

    public virtual Task ReleaseLeaseAsync(SweepLease lease, CancellationToken cancellationToken) => inner.ReleaseLeaseAsync(lease, cancellationToken);

    public virtual Task<string?> GetCursorAsync(string name, CancellationToken cancellationToken) => inner.GetCursorAsync(name, cancellationToken);

    public virtual Task SetCursorAsync(string name, string? value, CancellationToken cancellationToken) => inner.SetCursorAsync(name, value, cancellationToken);

    public virtual Task<bool> TryMarkAsync(string mark, DateTimeOffset now, DateTimeOffset expiresAt, CancellationToken cancellationToken) =>
        inner.TryMarkAsync(mark, now, expiresAt, cancellationToken);

    public virtual Task UnmarkAsync(string mark, CancellationToken cancellationToken) => inner.UnmarkAsync(mark, cancellationToken);

    public virtual Task KeepListedAsync(
        string jobId, string listing, int chunk, IReadOnlyCollection<string> thingNames, DateTimeOffset expiresAt, CancellationToken cancellationToken) =>
        inner.KeepListedAsync(jobId, listing, chunk, thingNames, expiresAt, cancellationToken);

    public virtual Task<IReadOnlySet<string>> ReadListedAsync(string jobId, string listing, CancellationToken cancellationToken) =>
        inner.ReadListedAsync(jobId, listing, cancellationToken);
}
