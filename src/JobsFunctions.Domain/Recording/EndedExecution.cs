using JobsFunctions.Domain.Executions;

namespace JobsFunctions.Domain.Recording;

/// <summary>An execution of a job that reached a terminal status, at the time IoT reported that change.</summary>
public sealed record EndedExecution(string ThingName, ExecutionStatus Status, DateTimeOffset EndedAt);

/// <summary>
/// A job's terminal executions by the time they ended, read from an index: the sweeper's window and
/// consecutive-failure criteria cost what they read, never the job's size, and nothing scans.
/// </summary>
public interface IEndedExecutionQueries
{
    /// <summary>Newest first; only those that ended at or after <paramref name="endedAtOrAfter"/> when it is given.</summary>
    Task<Page<EndedExecution>> ListEndedExecutionsAsync(
        string jobId, DateTimeOffset? endedAtOrAfter, int limit, string? pageToken, CancellationToken cancellationToken);
}
