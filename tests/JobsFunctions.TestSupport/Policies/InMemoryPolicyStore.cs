using System.Globalization;
using JobsFunctions.Domain.Policies;
using JobsFunctions.Domain.Recording;

namespace JobsFunctions.TestSupport.Policies;

/// <summary>Policies in a dictionary, with the port's revision conditions; listed by job id, paged by offset.</summary>
public sealed class InMemoryPolicyStore : IPolicyStore
{
    private readonly Lock _lock = new();
    private readonly SortedDictionary<string, StoredPolicy> _policies = new(StringComparer.Ordinal);

    /// <summary>Runs once, just before the next conditional write, to stand for a writer that got in between.</summary>
    public Action? BeforeNextWrite { get; set; }

    public Task<StoredPolicy?> FindAsync(string jobId, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return Task.FromResult(_policies.GetValueOrDefault(jobId));
        }
    }

    public Task<Page<StoredPolicy>> ListAsync(int limit, string? pageToken, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            var offset = pageToken is null ? 0 : int.Parse(pageToken, CultureInfo.InvariantCulture);
            var page = _policies.Values.Skip(offset).Take(limit).ToList();
            var next = offset + page.Count < _policies.Count ? (offset + page.Count).ToString(CultureInfo.InvariantCulture) : null;
            return Task.FromResult(new Page<StoredPolicy>(page, next));
        }
    }

    public Task<bool> TryPutAsync(StoredPolicy next, long? expectedRevision, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(next);
        RunInterloper();
        lock (_lock)
        {
            var current = _policies.GetValueOrDefault(next.JobId)?.Revision ?? 0;
            if (expectedRevision is { } expected && expected != current)
            {
                return Task.FromResult(false);
            }

            _policies[next.JobId] = next;
            return Task.FromResult(true);
        }
    }

    public Task<bool> TryDeleteAsync(string jobId, long? expectedRevision, CancellationToken cancellationToken)
    {
        RunInterloper();
        lock (_lock)
        {
            if (!_policies.TryGetValue(jobId, out var current) || (expectedRevision is { } expected && expected != current.Revision))
            {
                return Task.FromResult(false);
            }

            _policies.Remove(jobId);
            return Task.FromResult(true);
        }
    }

    private void RunInterloper()
    {
        var interloper = BeforeNextWrite;
        BeforeNextWrite = null;
        interloper?.Invoke();
    }
}
