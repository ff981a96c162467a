using System.Text.Json.Serialization;
using JobsFunctions.Domain.Executions;
using JobsFunctions.Domain.Jobs;
using JobsFunctions.Domain.Operations;
using JobsFunctions.Domain.Policies;
using JobsFunctions.Domain.Recording;

namespace JobsFunctions.Api;

// Response bodies. Writes answer in AWS's shapes (UpdateJobExecution's executionState/jobDocument); reads answer
// in the shapes of what was recorded. Statuses are AWS wire names; times are ISO-8601.

internal sealed record ErrorBody(
    string Code,
    string Message,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? Field,
    ExecutionStateBody? ExecutionState = null);

internal sealed record EmptyBody;

internal sealed record ExecutionStateBody(string Status, IReadOnlyDictionary<string, string> StatusDetails, long? VersionNumber)
{
    public static ExecutionStateBody? Of(ExecutionState? state) =>
        state is null ? null : new(state.Status.ToWire(), state.StatusDetails, state.VersionNumber);
}

internal sealed record UpdateJobExecutionResponse(ExecutionStateBody? ExecutionState, string? JobDocument)
{
    public static UpdateJobExecutionResponse Of(ExecutionUpdate update) =>
        new(ExecutionStateBody.Of(update.ExecutionState), update.JobDocument);
}

internal sealed record JobResponse(
    string JobId,
    string? Status,
    string? Description,
    string? Comment,
    string? ReasonCode,
    string? TargetSelection,
    IReadOnlyList<string>? Targets,
    DateTimeOffset? CreatedAt,
    DateTimeOffset? CompletedAt,
    DateTimeOffset? LastChangedAt,
    IReadOnlyDictionary<string, long>? ReportedProcessDetails,
    IReadOnlyDictionary<string, long> Counts,
    long TotalExecutions)
{
    public static JobResponse Of(JobView view)
    {
        var job = view.Job;
        return new JobResponse(
            view.JobId,
            job is null ? null : JobStatuses.ToWire(job.Status),
            job?.Description,
            job?.Comment,
            job?.ReasonCode,
            job?.TargetSelection,
            job?.Targets,
            job?.CreatedAt,
            job?.CompletedAt,
            job?.LastChangedAt,
            job?.ReportedProcessDetails,
            ExecutionStatuses.All.ToDictionary(status => status.ToWire(), status => view.Counts[status], StringComparer.Ordinal),
            view.Counts.Total);
    }
}

/// <summary>
/// A job as AWS IoT itself reports it (DescribeJob): its status and <c>jobProcessDetails</c> in AWS's own member
/// names, to compare with the store's counts from events.
/// </summary>
internal sealed record JobIotResponse(string JobId, string Status, DateTimeOffset? LastUpdatedAt, JobProcessDetailsBody JobProcessDetails)
{
    public static JobIotResponse Of(JobDescription job) =>
        new(job.JobId, job.Status.ToWire(), job.LastUpdatedAt, JobProcessDetailsBody.Of(job.ProcessDetails));
}

internal sealed record JobProcessDetailsBody(
    int NumberOfQueuedThings,
    int NumberOfInProgressThings,
    int NumberOfSucceededThings,
    int NumberOfFailedThings,
    int NumberOfRejectedThings,
    int NumberOfCanceledThings,
    int NumberOfTimedOutThings,
    int NumberOfRemovedThings)
{
    public static JobProcessDetailsBody Of(JobProcessCounts counts) => new(
        counts.Queued, counts.InProgress, counts.Succeeded, counts.Failed, counts.Rejected, counts.Canceled, counts.TimedOut, counts.Removed);
}

/// <summary>
/// A page of the jobs the store knows, newest first by when it first recorded them. A page filtered by status may
/// hold fewer jobs than asked for, even none, and still carry <c>nextToken</c>: the listing ends when it is absent.
/// </summary>
internal sealed record JobListResponse(IReadOnlyList<JobSummaryBody> Jobs, string? NextToken)
{
    public static JobListResponse Of(Page<JobListEntry> page) => new([.. page.Items.Select(JobSummaryBody.Of)], page.NextPageToken);
}

/// <summary>
/// One job in the listing. <c>statusRecorded</c> is false while no job event was recorded (IoT publishes none when a
/// job starts): the status is then IN_PROGRESS, inferred from its executions. <c>policy</c> says which policy the
/// sweeper applies (OWN, DEFAULT or NONE) and <c>dryRun</c> its mode.
/// </summary>
internal sealed record JobSummaryBody(
    string JobId,
    string Status,
    bool StatusRecorded,
    IReadOnlyDictionary<string, long> Counts,
    long TotalExecutions,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] double? FailureRate,
    string Policy,
    bool? DryRun,
    long? PolicyRevision,
    DateTimeOffset FirstRecordedAt,
    DateTimeOffset? LastChangedAt)
{
    public static JobSummaryBody Of(JobListEntry job) => new(
        job.JobId,
        JobStatuses.ToWire(job.Status),
        job.StatusRecorded,
        ExecutionStatuses.All.ToDictionary(status => status.ToWire(), status => job.Counts[status], StringComparer.Ordinal),
        job.Counts.Total,
        job.FailureRate is { } rate ? Math.Round(rate, 4) : null,
        job.Policy switch { PolicySource.Own => "OWN", PolicySource.Default => "DEFAULT", _ => "NONE" },
        job.DryRun,
        job.PolicyRevision,
        job.FirstRecordedAt,
        job.LastChangedAt);
}

internal sealed record ExecutionBody(
    string JobId,
    string ThingName,
    string Status,
    IReadOnlyDictionary<string, string> StatusDetails,
    long? VersionNumber,
    long? ExecutionNumber,
    DateTimeOffset LastChangedAt,
    LedgerEntryBody? LatestFailure = null)
{
    public static ExecutionBody Of(ExecutionRecord record, bool withLatestFailure = false) => new(
        record.JobId,
        record.ThingName,
        record.Status.ToWire(),
        record.StatusDetails,
        record.VersionNumber,
        record.ExecutionNumber,
        record.LastChangedAt,
        withLatestFailure ? LedgerEntryBody.Of(record.LatestFailure) : null);
}

internal sealed record LedgerEntryBody(
    string ObservationId,
    string Status,
    IReadOnlyDictionary<string, string> StatusDetails,
    string Source,
    DateTimeOffset OccurredAt,
    long? VersionNumber,
    long? ExecutionNumber,
    DateTimeOffset RecordedAt)
{
    public static LedgerEntryBody? Of(LedgerEntry? entry) => entry is null
        ? null
        : new(entry.ObservationId, entry.Status.ToWire(), entry.StatusDetails, SourceName(entry.Source), entry.OccurredAt,
            entry.VersionNumber, entry.ExecutionNumber, entry.RecordedAt);

    private static string SourceName(ObservationSource source) => source switch
    {
        ObservationSource.Event => "EVENT",
        ObservationSource.Snapshot => "SNAPSHOT",
        ObservationSource.OperatorUpdate => "OPERATOR_UPDATE",
        ObservationSource.Sweeper => "SWEEPER",
        _ => throw new ArgumentOutOfRangeException(nameof(source), source, null),
    };
}

internal sealed record ExecutionListResponse(IReadOnlyList<ExecutionBody> Executions, string? NextToken)
{
    public static ExecutionListResponse Of(Page<ExecutionRecord> page, bool withLatestFailure = false) =>
        new([.. page.Items.Select(record => ExecutionBody.Of(record, withLatestFailure))], page.NextPageToken);
}

/// <summary>
/// An execution and its history: every status transition with the first and the last sighting of each status (per
/// attempt), not every heartbeat in between (<see cref="LedgerCompaction"/>). statusDetails are kept on the sightings
/// the current state is resolved from and on the latest failure; other entries show them empty.
/// </summary>
internal sealed record ExecutionLedgerResponse(ExecutionBody Execution, IReadOnlyList<LedgerEntryBody> Ledger)
{
    public static ExecutionLedgerResponse Of(ExecutionRecord record) =>
        new(ExecutionBody.Of(record, withLatestFailure: true), [.. record.Ledger.Select(entry => LedgerEntryBody.Of(entry)!)]);
}

internal sealed record CallerBody(string? UserArn, string? AccountId, string? CallerId, string? AccessKey, string? UserId, string? PrincipalOrgId)
{
    public static CallerBody Of(Caller caller) =>
        new(caller.UserArn, caller.AccountId, caller.CallerId, caller.AccessKey, caller.UserId, caller.PrincipalOrgId);
}

internal sealed record AuditEntryBody(
    string RequestId,
    DateTimeOffset At,
    CallerBody Caller,
    string Operation,
    string Route,
    string JobId,
    string? ThingName,
    IReadOnlyDictionary<string, string> Parameters,
    string? Reason,
    string Outcome,
    ExecutionStateBody? Before,
    ExecutionStateBody? After,
    string? IdempotencyKey,
    bool Replayed,
    string? Field)
{
    public static AuditEntryBody Of(AuditEntry entry) => new(
        entry.RequestId, entry.At, CallerBody.Of(entry.Caller), entry.Operation, entry.Route, entry.JobId, entry.ThingName,
        entry.Parameters, entry.Reason, entry.Outcome, ExecutionStateBody.Of(entry.Before), ExecutionStateBody.Of(entry.After),
        entry.IdempotencyKey, entry.Replayed, entry.Field);
}

internal sealed record AuditListResponse(IReadOnlyList<AuditEntryBody> Entries, string? NextToken)
{
    public static AuditListResponse Of(Page<AuditEntry> page) => new([.. page.Items.Select(AuditEntryBody.Of)], page.NextPageToken);
}

/// <summary>A job's own policy: the document as it was written (defaults filled in), and its revision (also the ETag).</summary>
internal sealed record PolicyResponse(string JobId, long Revision, DateTimeOffset UpdatedAt, string UpdatedBy, PolicyDocument Policy)
{
    public static PolicyResponse Of(StoredPolicy stored) =>
        new(stored.JobId, stored.Revision, stored.UpdatedAt, stored.UpdatedBy, PolicyDocument.Of(stored.Policy));
}

/// <summary>
/// A page of the jobs with a policy of their own, and <c>defaultPolicy</c>, the document applied to every IN_PROGRESS
/// job without one (present on every page when the deployment configures one).
/// </summary>
internal sealed record PolicyListResponse(IReadOnlyList<PolicySummaryBody> Policies, PolicyDocument? DefaultPolicy, string? NextToken)
{
    public static PolicyListResponse Of(PolicyList list) => new(
        [.. list.Policies.Select(stored => new PolicySummaryBody(stored.JobId, stored.Revision, stored.Policy.DryRun, stored.UpdatedAt, stored.UpdatedBy))],
        list.DefaultPolicy is { } policy ? PolicyDocument.Of(policy) : null,
        list.NextPageToken);
}

/// <summary>One job's policy in a listing: its revision (the ETag of GET /jobs/{jobId}/policy) and whether it is a dry run.</summary>
internal sealed record PolicySummaryBody(string JobId, long Revision, bool DryRun, DateTimeOffset UpdatedAt, string UpdatedBy);

/// <summary>
/// What a policy would do now, a page at a time. <c>revision</c> is the stored policy's when the preview judged it (no
/// body), absent when it judged the document sent. Each action says what it would call and why; <c>totals</c> counts
/// every action of the whole plan by that call; <c>nextToken</c> is absent on the last page.
/// </summary>
internal sealed record PolicyPreviewResponse(
    string JobId, long? Revision, PolicyDocument Policy, IReadOnlyList<PlannedActionBody> Actions, IReadOnlyDictionary<string, int> Totals,
    string? NextToken)
{
    public static PolicyPreviewResponse Of(PolicyPreview preview) =>
        new(preview.JobId, preview.StoredRevision, PolicyDocument.Of(preview.Policy), [.. preview.Actions.Select(PlannedActionBody.Of)],
            preview.Totals, preview.NextToken);
}

/// <summary>One planned action: CancelJob, CancelJobExecution or UpdateJobExecution to FAILED, with the recorded state it judged.</summary>
internal sealed record PlannedActionBody(string Action, string JobId, string? ThingName, bool Force, string Reason, string? Status, long? VersionNumber)
{
    public static PlannedActionBody Of(PlannedAction action) =>
        new(action.Operation, action.JobId, action.ThingName, action.Force, action.Reason, action.Status?.ToWire(), action.VersionNumber);
}
