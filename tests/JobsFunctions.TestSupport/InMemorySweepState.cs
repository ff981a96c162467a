using JobsFunctions.Domain.Sweeping;

namespace JobsFunctions.TestSupport;

/// <summary>
/// The sweeper's lease, cursors and marks in memory, with the DynamoDB store's semantics: the lease is taken only when
/// absent or expired, and given back only while it is still the one stored; a mark is set only when absent or expired.
/// </summary>
public sealed class InMemorySweepState : ISweepState
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, string> _cursors = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DateTimeOffset> _marks = new(StringComparer.Ordinal);
    private readonly Dictionary<(string JobId, string Listing, int Chunk), string[]> _listed = [];
    private SweepLease? _lease;

    /// <summary>The lease as stored, or null.</summary>
    public SweepLease? Lease
    {
        get
        {
            lock (_gate)
            {
                return _lease;
            }
        }
    }

    /// <summary>Every cursor, by name.</summary>
    public IReadOnlyDictionary<string, string> Cursors
    {
        get
        {
            lock (_gate)
            {
                return new Dictionary<string, string>(_cursors, StringComparer.Ordinal);
            }
        }
    }

    public Task<SweepLease?> TryAcquireLeaseAsync(string owner, DateTimeOffset now, TimeSpan duration, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(owner);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(duration, TimeSpan.Zero);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
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
        ArgumentNullException.ThrowIfNull(lease);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            if (_lease is { } held && held.Owner == lease.Owner && held.AcquiredAt == lease.AcquiredAt)
            {
                _lease = null;
            }
        }

        return Task.CompletedTask;
    }

    public Task<string?> GetCursorAsync(string name, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            return Task.FromResult(_cursors.GetValueOrDefault(name));
        }
    }

    public Task SetCursorAsync(string name, string? value, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
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

    /// <summary>Every mark and when it expires.</summary>
    public IReadOnlyDictionary<string, DateTimeOffset> Marks
    {
        get
        {
            lock (_gate)
            {
                return new Dictionary<string, DateTimeOffset>(_marks, StringComparer.Ordinal);
            }
        }
    }

    public Task<bool> TryMarkAsync(string mark, DateTimeOffset now, DateTimeOffset expiresAt, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(mark);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            if (_marks.TryGetValue(mark, out var expires) && expires > now)
            {
                return Task.FromResult(false);
            }

            _marks[mark] = expiresAt;
            return Task.FromResult(true);
        }
    }

    public Task UnmarkAsync(string mark, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            _marks.Remove(mark);
        }

        return Task.CompletedTask;
    }

    /// <summary>How many chunks of listed names are kept, over every job and listing.</summary>
    public int ListedChunks
    {
        get
        {
            lock (_gate)
            {
                return _listed.Count;
            }
        }
    }

    public Task KeepListedAsync(
        string jobId, string listing, int chunk, IReadOnlyCollection<string> thingNames, DateTimeOffset expiresAt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(thingNames);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(thingNames.Count, JobReconciliation.ListedChunkSize);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            _listed[(jobId, listing, chunk)] = [.. thingNames];
        }

        return Task.CompletedTask;
    }

    public Task<IReadOnlySet<string>> ReadListedAsync(string jobId, string listing, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            IReadOnlySet<string> names = _listed.Where(kept => kept.Key.JobId == jobId && kept.Key.Listing == listing)
                .SelectMany(kept => kept.Value).ToHashSet(StringComparer.Ordinal);
            return Task.FromResult(names);
        }
    }
}
