using System.Globalization;
using JobsFunctions.Domain.Operations;
using JobsFunctions.Domain.Recording;

namespace JobsFunctions.TestSupport.Operations;

/// <summary>An audit log in a list: newest first per job (ties in insertion order, newest first), paged by offset.</summary>
public sealed class InMemoryAuditLog : IAuditLog
{
    private readonly Lock _lock = new();
    private readonly List<AuditEntry> _entries = [];

    public IReadOnlyList<AuditEntry> Entries
    {
        get
        {
            lock (_lock)
            {
                return [.. _entries];
            }
        }
    }

    public Task AppendAsync(AuditEntry entry, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            _entries.Add(entry);
        }

        return Task.CompletedTask;
    }

    public Task<Page<AuditEntry>> ListForJobAsync(string jobId, int limit, string? pageToken, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            var newestFirst = _entries
                .Select((entry, index) => (entry, index))
                .Where(item => item.entry.JobId == jobId)
                .OrderByDescending(item => item.entry.At)
                .ThenByDescending(item => item.index)
                .Select(item => item.entry)
                .ToList();
            var offset = pageToken is null ? 0 : int.Parse(pageToken, CultureInfo.InvariantCulture);
            var page = newestFirst.Skip(offset).Take(limit).ToList();
            var next = offset + page.Count < newestFirst.Count ? (offset + page.Count).ToString(CultureInfo.InvariantCulture) : null;
            return Task.FromResult(new Page<AuditEntry>(page, next));
        }
    }
}
