using JobsFunctions.Domain.Executions;
using JobsFunctions.Domain.Jobs;

namespace JobsFunctions.Domain.Recording;

/// <summary>
/// Where recorded executions, jobs and counters live. Saves are conditional on the record's
/// <see cref="ExecutionRecord.Revision"/> (the revision it was read at): a false return means another writer got
/// there first and the caller should read again. A save and its counter change are one atomic write.
/// </summary>
public interface IRecordStore
{
    Task<ExecutionRecord?> FindExecutionAsync(string jobId, string thingName, CancellationToken cancellationToken);

    Task<bool> TrySaveExecutionAsync(ExecutionRecord next, CounterChange? counterChange, CancellationToken cancellationToken);

    Task<JobRecord?> FindJobAsync(string jobId, CancellationToken cancellationToken);

    Task<bool> TrySaveJobAsync(JobRecord next, CancellationToken cancellationToken);
}

/// <summary>The reads the operator API and the sweeper make of what the recorders stored; none of them scans.</summary>
public interface IRecordQueries
{
    Task<StatusCounts> GetCountsAsync(string jobId, CancellationToken cancellationToken);

    /// <summary>Executions of a job by thing name, optionally only those in one status.</summary>
    Task<Page<ExecutionRecord>> ListExecutionsOfJobAsync(string jobId, ExecutionStatus? status, int limit, string? pageToken, CancellationToken cancellationToken);

    /// <summary>Executions of a thing across jobs, by job id.</summary>
    Task<Page<ExecutionRecord>> ListExecutionsOfThingAsync(string thingName, int limit, string? pageToken, CancellationToken cancellationToken);

    /// <summary>
    /// Every job the store has recorded anything of (an execution or a job event), newest first by when the store
    /// first recorded it. The store lists a job once, when it first saves a new execution or job record of it.
    /// </summary>
    Task<Page<KnownJob>> ListJobsAsync(int limit, string? pageToken, CancellationToken cancellationToken);
}

/// <summary>A job the store knows, and when it first recorded something of it (the store's clock, not IoT's).</summary>
public sealed record KnownJob(string JobId, DateTimeOffset FirstRecordedAt);

/// <summary>A page of results and the opaque token of the next page (null on the last page).</summary>
public sealed record Page<T>(IReadOnlyList<T> Items, string? NextPageToken);

/// <summary>
/// A page token the store did not issue for this very list (another list's, another job's, or garbage): the
/// caller's mistake, which the API answers as a bad request.
/// </summary>
public sealed class InvalidPageTokenException() : ArgumentException("The page token is not one this API issued.");
