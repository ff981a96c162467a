using JobsFunctions.Domain.Executions;
using JobsFunctions.Domain.Jobs;
using JobsFunctions.Domain.Recording;

namespace JobsFunctions.Tests.Api;

/// <summary>The least of a record store the operator tests need: conditional saves on Revision and live counters.</summary>
internal sealed class RecordStoreFake : IRecordStore, IRecordQueries
{
    private readonly Dictionary<(string JobId, string ThingName), ExecutionRecord> _executions = [];
    private readonly Dictionary<string, JobRecord> _jobs = new(StringComparer.Ordinal);
    private readonly Dictionary<string, StatusCounts> _counts = new(StringComparer.Ordinal);

    public ExecutionRecord? Execution(string jobId, string thingName) => _executions.GetValueOrDefault((jobId, thingName));

    public Task<ExecutionRecord?> FindExecutionAsync(string jobId, string thingName, CancellationToken cancellationToken) =>
        Task.FromResult(Execution(jobId, thingName));

    public Task<bool> TrySaveExecutionAsync(ExecutionRecord next, CounterChange? counterChange, CancellationToken cancellationToken)
    {
        var stored = Execution(next.JobId, next.ThingName);
        if ((stored?.Revision ?? 0) != next.Revision)
        {
            return Task.FromResult(false);
        }

        _executions[(next.JobId, next.ThingName)] = next with { Revision = next.Revision + 1 };
        if (counterChange is not null)
        {
            Counts(next.JobId).Apply(counterChange);
        }

        return Task.FromResult(true);
    }

    public Task<JobRecord?> FindJobAsync(string jobId, CancellationToken cancellationToken) =>
        Task.FromResult(_jobs.GetValueOrDefault(jobId));

    public Task<bool> TrySaveJobAsync(JobRecord next, CancellationToken cancellationToken)
    {
        if ((_jobs.GetValueOrDefault(next.JobId)?.Revision ?? 0) != next.Revision)
        {
            return Task.FromResult(false);
        }

        _jobs[next.JobId] = next with { Revision = next.Revision + 1 };
        return Task.FromResult(true);
    }

    public Task<StatusCounts> GetCountsAsync(string jobId, CancellationToken cancellationToken) => Task.FromResult(Counts(jobId));

    public Task<Page<ExecutionRecord>> ListExecutionsOfJobAsync(string jobId, ExecutionStatus? status, int limit, string? pageToken, CancellationToken cancellationToken) =>
        Task.FromResult(PageOf(_executions.Values.Where(record => record.JobId == jobId && (status is null || record.Status == status))
            .OrderBy(record => record.ThingName, StringComparer.Ordinal), limit, pageToken));

    public Task<Page<ExecutionRecord>> ListExecutionsOfThingAsync(string thingName, int limit, string? pageToken, CancellationToken cancellationToken) =>
        Task.FromResult(PageOf(_executions.Values.Where(record => record.ThingName == thingName)
            .OrderBy(record => record.JobId, StringComparer.Ordinal), limit, pageToken));

    public Task<Page<ExecutionRecord>> ListOpenExecutionsAsync(DateTimeOffset changedAtOrBefore, int limit, string? pageToken, CancellationToken cancellationToken) =>
        Task.FromResult(PageOf(_executions.Values.Where(record => !record.IsTerminal && record.LastChangedAt <= changedAtOrBefore)
            .OrderBy(record => record.LastChangedAt), limit, pageToken));

    private StatusCounts Counts(string jobId)
    {
        if (!_counts.TryGetValue(jobId, out var counts))
        {
            _counts[jobId] = counts = new StatusCounts();
        }

        return counts;
    }

    private static Page<ExecutionRecord> PageOf(IEnumerable<ExecutionRecord> ordered, int limit, string? pageToken)
    {
        var all = ordered.ToList();
        var offset = pageToken is null ? 0 : int.Parse(pageToken, System.Globalization.CultureInfo.InvariantCulture);
        var items = all.Skip(offset).Take(limit).ToList();
        return new Page<ExecutionRecord>(items, offset + items.Count < all.Count ? (offset + items.Count).ToString(System.Globalization.CultureInfo.InvariantCulture) : null);
    }
}
