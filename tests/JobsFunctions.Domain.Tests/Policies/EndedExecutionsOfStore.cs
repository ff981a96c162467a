using System.Globalization;
using JobsFunctions.Domain.Recording;
using JobsFunctions.TestSupport;

namespace JobsFunctions.Domain.Tests.Policies;

/// <summary>Stand-in for the in-memory store's ended-executions index until TestSupport has it.</summary>
internal sealed class EndedExecutionsOfStore(InMemoryRecordStore store) : IEndedExecutionQueries
{
    public Task<Page<EndedExecution>> ListEndedExecutionsAsync(
        string jobId, DateTimeOffset? endedAtOrAfter, int limit, string? pageToken, CancellationToken cancellationToken)
    {
        var all = store.Executions
            .Where(record => record.JobId == jobId && record.IsTerminal && (endedAtOrAfter is null || record.LastChangedAt >= endedAtOrAfter))
            .OrderByDescending(record => record.LastChangedAt).ThenByDescending(record => record.ThingName, StringComparer.Ordinal)
            .Select(record => new EndedExecution(record.ThingName, record.Status, record.LastChangedAt))
            .ToList();
        var offset = pageToken is null ? 0 : int.Parse(pageToken, CultureInfo.InvariantCulture);
        var page = all.Skip(offset).Take(limit).ToList();
        return Task.FromResult(new Page<EndedExecution>(page,
            offset + page.Count < all.Count ? (offset + page.Count).ToString(CultureInfo.InvariantCulture) : null));
    }
}
