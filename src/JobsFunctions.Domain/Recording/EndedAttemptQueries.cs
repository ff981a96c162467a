using JobsFunctions.Domain.Executions;

namespace JobsFunctions.Domain.Recording;

/// <summary>
/// A job's executed attempts that ended in the minute starting at <paramref name="Minute"/>, by terminal status. A
/// store that spreads a minute over counter shards returns one per shard, next to each other.
/// </summary>
public sealed record EndedMinute(DateTimeOffset Minute, StatusCounts Counts);

/// <summary>
/// The job's executed attempts (<see cref="EndedAttempts"/>), counted by the recorder in the same atomic write as the
/// record: in total and per minute. Every read here costs what the criterion asks for, never the job's size.
/// </summary>
public interface IEndedAttemptQueries
{
    /// <summary>Every executed attempt of the job by its terminal status; a retry never takes one back.</summary>
    Task<StatusCounts> GetEndedAttemptCountsAsync(string jobId, CancellationToken cancellationToken);

    /// <summary>
    /// The minutes in which attempts ended, newest first, from the minute of <paramref name="since"/> on; minutes
    /// without an ended attempt are not listed. Minutes older than the store keeps them may be missing.
    /// </summary>
    Task<Page<EndedMinute>> ListEndedMinutesAsync(string jobId, DateTimeOffset since, int limit, string? pageToken, CancellationToken cancellationToken);
}
