using System.Globalization;
using JobsFunctions.Domain.Policies;
using JobsFunctions.Domain.Recording;
using JobsFunctions.Domain.Sweeping;

namespace JobsFunctions.Domain.Tests.Sweeping;

/// <summary>Stand-in until TestSupport's InMemoryPolicyStore lands.</summary>
internal sealed class StandInPolicyStore : IPolicyStore
{
    private readonly SortedDictionary<string, StoredPolicy> _policies = new(StringComparer.Ordinal);

    public Task<StoredPolicy?> FindAsync(string jobId, CancellationToken cancellationToken) =>
        Task.FromResult(_policies.GetValueOrDefault(jobId));

    public Task<Page<StoredPolicy>> ListAsync(int limit, string? pageToken, CancellationToken cancellationToken)
    {
        var all = _policies.Values.ToList();
        var offset = pageToken is null ? 0 : int.Parse(pageToken, CultureInfo.InvariantCulture);
        var page = all.Skip(offset).Take(limit).ToList();
        return Task.FromResult(new Page<StoredPolicy>(page, offset + page.Count < all.Count ? (offset + page.Count).ToString(CultureInfo.InvariantCulture) : null));
    }

    public Task<bool> TryPutAsync(StoredPolicy next, long? expectedRevision, CancellationToken cancellationToken)
    {
        _policies[next.JobId] = next;
        return Task.FromResult(true);
    }

    public Task<bool> TryDeleteAsync(string jobId, long? expectedRevision, CancellationToken cancellationToken) =>
        Task.FromResult(_policies.Remove(jobId));
}

/// <summary>Stand-in until TestSupport's InMemorySweepState lands.</summary>
internal sealed class StandInSweepState : ISweepState
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, string> _cursors = new(StringComparer.Ordinal);
    private SweepLease? _lease;

    public int Releases { get; private set; }

    public SweepLease? Lease => _lease;

    public Task<SweepLease?> TryAcquireLeaseAsync(string owner, DateTimeOffset now, TimeSpan duration, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (_lease is { } held && held.ExpiresAt > now)
            {
                return Task.FromResult<SweepLease?>(null);
            }

            _lease = new SweepLease(owner, now, now + duration);
            return Task.FromResult<SweepLease?>(_lease);
        }
    }

    public Task ReleaseLeaseAsync(SweepLease lease, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            Releases++;
            if (_lease == lease)
            {
                _lease = null;
            }
        }

        return Task.CompletedTask;
    }

    public Task<string?> GetCursorAsync(string name, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return Task.FromResult(_cursors.GetValueOrDefault(name));
        }
    }

    public Task SetCursorAsync(string name, string? value, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (value is null)
            {
                _cursors.Remove(name);
            }
            else
            {
                _cursors[name] = value;
            }
        }

        return Task.CompletedTask;
    }
}
