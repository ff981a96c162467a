using JobsFunctions.Domain.Executions;
using JobsFunctions.Domain.Jobs;
using JobsFunctions.Domain.Policies;
using JobsFunctions.Domain.Recording;

namespace JobsFunctions.Domain.Operations;

/// <summary>
/// Every job the store knows, newest first, each with what an operator looks at first: its status, its counts, its
/// failure rate, the policy that applies and when it last changed. One index page of job ids, then per job its
/// counter shards, its job item, its policy and its latest ended minute: a page costs a few reads per job it lists,
/// never the jobs' sizes.
/// </summary>
public sealed class JobListing(
    IRecordStore records, IRecordQueries queries, IEndedAttemptQueries ended, IPolicyStore policies, JobPolicy? defaultPolicy, TimeProvider clock)
{
    /// <summary>
    /// A page of jobs, optionally only those in <paramref name="status"/>. The filter applies to the page read from
    /// the store, so a filtered page may hold fewer jobs than <paramref name="limit"/>, even none, and still carry a
    /// token: the listing is over when the token is absent (as with DynamoDB's own filters).
    /// </summary>
    public async Task<Result<Page<JobListEntry>>> ListAsync(string? status, int? limit, string? pageToken, CancellationToken cancellationToken)
    {
        JobStatus? wanted = null;
        if (status is not null)
        {
            if (!JobStatuses.TryParse(status, out var known))
            {
                return FieldRules.OneOf(status, "status", JobStatuses.All.Select(value => value.ToWire()).ToList())!;
            }

            wanted = known;
        }

        if ((FieldRules.Range(limit, "limit", 1, OperatorQueries.MaxLimit) ?? FieldRules.Length(pageToken, "nextToken", 1, 4096)) is { } invalid)
        {
            return invalid;
        }

        var page = await queries.ListJobsAsync(limit ?? OperatorQueries.DefaultLimit, pageToken, cancellationToken);
        var summaries = await Task.WhenAll(page.Items.Select(job => SummarizeAsync(job, cancellationToken)));
        return new Page<JobListEntry>([.. summaries.Where(summary => wanted is null || summary.Status == wanted)], page.NextPageToken);
    }

    private async Task<JobListEntry> SummarizeAsync(KnownJob known, CancellationToken cancellationToken)
    {
        var job = await records.FindJobAsync(known.JobId, cancellationToken);
        var counts = await queries.GetCountsAsync(known.JobId, cancellationToken);
        var policy = await policies.FindAsync(known.JobId, cancellationToken);
        var latestEnd = (await ended.ListEndedMinutesAsync(known.JobId, clock.GetUtcNow() - AbortEvaluation.EndedMinutesKept, 1, null, cancellationToken))
            .Items.Select(minute => (DateTimeOffset?)minute.Minute).FirstOrDefault();

        // IoT publishes no event when a job starts (only for its later stages), and it creates executions only for a
        // job in progress: a job known by its executions alone is IN_PROGRESS, as far as anything was recorded.
        var jobStatus = job?.Status ?? JobStatus.InProgress;
        var applied = policy is not null ? PolicySource.Own
            : defaultPolicy is not null && jobStatus == JobStatus.InProgress ? PolicySource.Default
            : PolicySource.None;
        var dryRun = applied switch
        {
            PolicySource.Own => policy!.Policy.DryRun,
            PolicySource.Default => defaultPolicy!.DryRun,
            _ => (bool?)null,
        };
        DateTimeOffset? lastChange = (job?.LastChangedAt, latestEnd) switch
        {
            ({ } a, { } b) => a > b ? a : b,
            (var a, var b) => a ?? b,
        };
        return new JobListEntry(known.JobId, jobStatus, job is not null, counts, FailureRate(counts), applied, dryRun, policy?.Revision,
            known.FirstRecordedAt, lastChange);
    }

    /// <summary>Failures (FAILED, TIMED_OUT, REJECTED) over the executions that ran to an end; null before any did.</summary>
    public static double? FailureRate(StatusCounts counts)
    {
        ArgumentNullException.ThrowIfNull(counts);
        var executed = ExecutionStatuses.All.Where(status => status.IsExecuted()).Sum(status => counts[status]);
        var failed = ExecutionStatuses.All.Where(status => status.IsFailure()).Sum(status => counts[status]);
        return executed == 0 ? null : (double)failed / executed;
    }
}

/// <summary>Which policy the sweeper applies to a job: its own, the deployment's DefaultPolicy (IN_PROGRESS jobs only), or none.</summary>
public enum PolicySource
{
    None,
    Own,
    Default,
}

/// <summary>
/// One job in the listing. <paramref name="StatusRecorded"/> is false when no job event was recorded yet (the status is
/// then inferred from its executions). <paramref name="LastChangedAt"/> is the later of its latest job event and the
/// latest minute in which one of its executions ended (null when neither is known).
/// </summary>
public sealed record JobListEntry(
    string JobId,
    JobStatus Status,
    bool StatusRecorded,
    StatusCounts Counts,
    double? FailureRate,
    PolicySource Policy,
    bool? DryRun,
    long? PolicyRevision,
    DateTimeOffset FirstRecordedAt,
    DateTimeOffset? LastChangedAt);
