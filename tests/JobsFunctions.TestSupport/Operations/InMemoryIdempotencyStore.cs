using JobsFunctions.Domain.Operations;

namespace JobsFunctions.TestSupport.Operations;

/// <summary>The idempotency contract in a dictionary: claims are leases, answers are kept until they expire.</summary>
public sealed class InMemoryIdempotencyStore : IIdempotencyStore
{
    private readonly Lock _lock = new();
    private readonly Dictionary<(string Principal, string Key), IdempotencyEntry> _entries = [];

    public IReadOnlyCollection<IdempotencyEntry> Entries
    {
        get
        {
            lock (_lock)
            {
                return [.. _entries.Values];
            }
        }
    }

    public Task<IdempotencyEntry?> TryClaimAsync(IdempotencyEntry claim, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (_entries.TryGetValue((claim.Principal, claim.Key), out var existing)
                && existing.ExpiresAt > claim.CreatedAt
                && (existing.Response is not null || existing.LeaseExpiresAt > claim.CreatedAt))
            {
                return Task.FromResult<IdempotencyEntry?>(existing);
            }

            _entries[(claim.Principal, claim.Key)] = claim;
            return Task.FromResult<IdempotencyEntry?>(null);
        }
    }

    public Task CompleteAsync(IdempotencyEntry completed, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (_entries.TryGetValue((completed.Principal, completed.Key), out var held) && held.RequestId == completed.RequestId)
            {
                _entries[(completed.Principal, completed.Key)] = completed;
            }
        }

        return Task.CompletedTask;
    }

    public Task ReleaseAsync(IdempotencyEntry claim, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (_entries.TryGetValue((claim.Principal, claim.Key), out var held) && held.RequestId == claim.RequestId && held.Response is null)
            {
                _entries.Remove((claim.Principal, claim.Key));
            }
        }

        return Task.CompletedTask;
    }
}
