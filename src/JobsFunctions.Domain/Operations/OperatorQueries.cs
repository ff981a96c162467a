using JobsFunctions.Domain.Errors;
using JobsFunctions.Domain.Executions;
using JobsFunctions.Domain.Jobs;
using JobsFunctions.Domain.Recording;
using JobsFunctions.Domain.Validation;

namespace JobsFunctions.Domain.Operations;

/// <summary>
/// The operator's reads of what was recorded. None calls AWS and none scans: counters are kept live by the
/// recorders, and every list is a keyed, paged query.
/// </summary>
public sealed class OperatorQueries(IRecordStore records, IRecordQueries queries, IAuditLog audit)
{
    public const int DefaultLimit = 50;

    /// <summary>The same page limit as the IoT list operations.</summary>
    public const int MaxLimit = 250;

    /// <summary>
    /// A job's recorded state and live counters. Job events exist only for a job's later stages, so a job whose
    /// executions are known but whose own events are not is still found (with no job record). Unknown only when
    /// nothing at all was recorded.
    /// </summary>
    public async Task<Result<JobView>> GetJobAsync(string jobId, CancellationToken cancellationToken)
    {
        if (Identifiers.CheckJobId(jobId) is { } invalid)
        {
            return invalid;
        }

        var job = await records.FindJobAsync(jobId, cancellationToken);
        var counts = await queries.GetCountsAsync(jobId, cancellationToken);
        return job is null && counts.Total == 0
            ? Error.NotFound("notFound.job", $"Nothing is recorded for job {jobId}.")
            : new JobView(jobId, job, counts);
    }

    public async Task<Result<Page<ExecutionRecord>>> ListExecutionsOfJobAsync(
        string jobId, string? status, int? limit, string? pageToken, CancellationToken cancellationToken)
    {
        if (Identifiers.CheckJobId(jobId) is { } invalidJob)
        {
            return invalidJob;
        }

        ExecutionStatus? parsed = null;
        if (status is not null)
        {
            if (!ExecutionStatuses.TryParse(status, out var known))
            {
                return FieldRules.OneOf(status, "status", ExecutionStatuses.All.Select(value => value.ToWire()).ToList())!;
            }

            parsed = known;
        }

        if (CheckPaging(limit, pageToken) is { } invalidPaging)
        {
            return invalidPaging;
        }

        return await queries.ListExecutionsOfJobAsync(jobId, parsed, limit ?? DefaultLimit, pageToken, cancellationToken);
    }

    /// <summary>One execution's record with its whole ledger.</summary>
    public async Task<Result<ExecutionRecord>> GetExecutionAsync(string jobId, string thingName, CancellationToken cancellationToken)
    {
        if ((Identifiers.CheckJobId(jobId) ?? Identifiers.CheckThingName(thingName)) is { } invalid)
        {
            return invalid;
        }

        return await records.FindExecutionAsync(jobId, thingName, cancellationToken) is { } record
            ? record
            : Error.NotFound("notFound.execution", $"Nothing is recorded for the execution of job {jobId} on thing {thingName}.");
    }

    /// <summary>A thing's executions across jobs; each record carries its latest failure (<see cref="ExecutionRecord.LatestFailure"/>).</summary>
    public async Task<Result<Page<ExecutionRecord>>> ListExecutionsOfThingAsync(
        string thingName, int? limit, string? pageToken, CancellationToken cancellationToken)
    {
        if ((Identifiers.CheckThingName(thingName) ?? CheckPaging(limit, pageToken)) is { } invalid)
        {
            return invalid;
        }

        return await queries.ListExecutionsOfThingAsync(thingName, limit ?? DefaultLimit, pageToken, cancellationToken);
    }

    public async Task<Result<Page<AuditEntry>>> ListAuditAsync(string jobId, int? limit, string? pageToken, CancellationToken cancellationToken)
    {
        if ((Identifiers.CheckJobId(jobId) ?? CheckPaging(limit, pageToken)) is { } invalid)
        {
            return invalid;
        }

        return await audit.ListForJobAsync(jobId, limit ?? DefaultLimit, pageToken, cancellationToken);
    }

    private static Error? CheckPaging(int? limit, string? pageToken) =>
        FieldRules.Range(limit, "limit", 1, MaxLimit)
        ?? FieldRules.Length(pageToken, "nextToken", 1, 4096);
}

/// <summary>A job as recorded: its own record when any job event was seen, and its executions counted by status.</summary>
public sealed record JobView(string JobId, JobRecord? Job, StatusCounts Counts);
