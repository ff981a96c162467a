using JobsFunctions.Domain.Executions;
using JobsFunctions.Domain.Jobs;

namespace JobsFunctions.Domain.Operations;

/// <summary>CancelJob as the IoT control plane takes it (<c>PUT /jobs/{jobId}/cancel?force=</c>).</summary>
public sealed record CancelJob(string JobId, bool? Force = null, string? ReasonCode = null, string? Comment = null);

/// <summary>A job as ListJobs reports it.</summary>
public sealed record JobSummary(string JobId, JobStatus Status);

/// <summary>
/// An execution as ListJobExecutionsForJob reports it: no statusDetails and no versionNumber, which is why a
/// snapshot taken from it must not overwrite details a device reported.
/// </summary>
public sealed record ExecutionSummary(
    string ThingName,
    ExecutionStatus Status,
    long? ExecutionNumber,
    int? RetryAttempt,
    DateTimeOffset? QueuedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? LastUpdatedAt);

/// <summary>Whether the account's JOB and JOB_EXECUTION events are enabled (DescribeEventConfigurations).</summary>
public sealed record JobEventSwitches(bool JobEvents, bool JobExecutionEvents);

/// <summary>
/// A job as DescribeJob reports it: its status, IoT's own count of things by the status of their latest execution
/// (https://docs.aws.amazon.com/iot/latest/apireference/API_JobProcessDetails.html) and when IoT last changed it.
/// </summary>
public sealed record JobDescription(string JobId, JobStatus Status, JobProcessCounts ProcessDetails, DateTimeOffset? LastUpdatedAt);

/// <summary>JobProcessDetails' counts; a count AWS leaves out is zero.</summary>
public sealed record JobProcessCounts(
    int Queued, int InProgress, int Succeeded, int Failed, int Rejected, int Canceled, int TimedOut, int Removed);
