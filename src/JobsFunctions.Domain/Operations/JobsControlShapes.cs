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
