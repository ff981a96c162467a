using JobsFunctions.Domain.Executions;

namespace JobsFunctions.Domain.Operations;

/// <summary>
/// CancelJobExecution as the IoT control plane takes it (<c>PUT /things/{thingName}/jobs/{jobId}/cancel?force=</c>).
/// Without <paramref name="StatusDetails"/> AWS leaves the execution's details unchanged.
/// </summary>
public sealed record CancelJobExecution(
    string JobId,
    string ThingName,
    bool? Force = null,
    long? ExpectedVersion = null,
    IReadOnlyDictionary<string, string>? StatusDetails = null);

/// <summary>
/// UpdateJobExecution as the IoT jobs data plane takes it (<c>POST /things/{thingName}/jobs/{jobId}</c>): the
/// operator acts as the device. <paramref name="Status"/> is the wire name; only the statuses a device owns pass
/// validation.
/// </summary>
public sealed record UpdateJobExecution(
    string JobId,
    string ThingName,
    string? Status,
    IReadOnlyDictionary<string, string>? StatusDetails = null,
    long? StepTimeoutInMinutes = null,
    long? ExpectedVersion = null,
    bool? IncludeJobExecutionState = null,
    bool? IncludeJobDocument = null,
    long? ExecutionNumber = null);

/// <summary>What UpdateJobExecution answers: the state (when asked for) and the job document (when asked for).</summary>
public sealed record ExecutionUpdate(ExecutionState? ExecutionState, string? JobDocument);

/// <summary>An execution as the control plane's DescribeJobExecution reports it.</summary>
public sealed record JobExecutionDescription(
    string JobId,
    string ThingName,
    ExecutionStatus Status,
    IReadOnlyDictionary<string, string> StatusDetails,
    long? VersionNumber,
    long? ExecutionNumber,
    bool ForceCanceled = false,
    DateTimeOffset? QueuedAt = null,
    DateTimeOffset? StartedAt = null,
    DateTimeOffset? LastUpdatedAt = null)
{
    public ExecutionState State => new(Status, StatusDetails, VersionNumber);
}
