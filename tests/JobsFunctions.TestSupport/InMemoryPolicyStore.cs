using JobsFunctions.Domain.Policies;
using JobsFunctions.Domain.Recording;

namespace JobsFunctions.TestSupport;

/// <summary>
/// Policies held in memory with the DynamoDB store's semantics: puts and deletes conditional on the stored revision,
/// listing by job id with opaque page tokens that refuse another list's.
/// </summary>
public sealed class InMemoryPolicyStore : IPolicyStore
{
    private const string Query = "policies";

    private readonly Lock _gate = new();
    private readonly SortedDictionary<string, StoredPolicy> _policies = new(StringComparer.Ordinal);

    /// <summary>Every stored policy, by job id.</summary>
    public IReadOnlyList<StoredPolicy> Policies
    {
        get
        {
            lock (_gate)
            {
                return [.. _policies.Values];
            }
        }
    }

    public Task<StoredPolicy?> FindAsync(string jobId, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            return Task.FromResult(_policies.GetValueOrDefault(jobId));
        }
    }

    public Task<Page<StoredPolicy>> ListAsync(int limit, string? pageToken, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        cancellationToken.ThrowIfCancellationRequested();
        var after = pageToken is null ? null : PageToken.Decode(Query, pageToken)[0];
        List<StoredPolicy> rest;
        lock (_gate)
        {
            rest = [.. _policies.Values.Where(policy => after is null || string.CompareOrdinal(policy.JobId, after) > 0).Take(limit + 1)];
        }

        var page = rest.Take(limit).ToList();
        return Task.FromResult(new Page<StoredPolicy>(page, rest.Count > limit ? PageToken.Encode(Query, [page[^1].JobId]) : null));
    }

    public Task<bool> TryPutAsync(StoredPolicy next, long? expectedRevision, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(next);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            var stored = _policies.GetValueOrDefault(next.JobId);
            if (expectedRevision is { } expected && (stored?.Revision ?? 0) != expected)
            {
                return Task.FromResult(false);
            }

            _policies[next.JobId] = next with { Policy = next.Policy with { AbortCriteria = [.. next.Policy.AbortCriteria] } };
            return Task.FromResult(true);
        }
    }

    public Task<bool> TryDeleteAsync(string jobId, long? expectedRevision, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            if (!_policies.TryGetValue(jobId, out var stored) || (expectedRevision is { } expected && stored.Revision != expected))
            {
                return Task.FromResult(false);
            }

            _policies.Remove(jobId);
            return Task.FromResult(true);
        }
    }
}
