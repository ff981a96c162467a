using System.Text.Json.Serialization;

namespace JobsFunctions.Aws.Iot.Control;

// Inputs of the control-plane operations, mirroring botocore's iot 2015-05-28 model. Members that travel in the path
// or query string are [JsonIgnore]d: the JSON body holds exactly the model's body members.

/// <summary><c>PATCH /jobs/{jobId}?namespaceId=</c></summary>
public sealed record UpdateJobRequest
{
    [JsonIgnore]
    public string JobId { get; init; } = "";

    public string? Description { get; init; }

    public PresignedUrlConfig? PresignedUrlConfig { get; init; }

    public JobExecutionsRolloutConfig? JobExecutionsRolloutConfig { get; init; }

    public AbortConfig? AbortConfig { get; init; }

    public TimeoutConfig? TimeoutConfig { get; init; }

    /// <summary>A query parameter here, unlike CreateJob where it is a body member.</summary>
    [JsonIgnore]
    public string? NamespaceId { get; init; }

    public JobExecutionsRetryConfig? JobExecutionsRetryConfig { get; init; }
}

/// <summary><c>PUT /jobs/{jobId}/cancel?force=</c></summary>
public sealed record CancelJobRequest
{
    [JsonIgnore]
    public string JobId { get; init; } = "";

    public string? ReasonCode { get; init; }

    public string? Comment { get; init; }

    [JsonIgnore]
    public bool? Force { get; init; }
}

/// <summary><c>PUT /things/{thingName}/jobs/{jobId}/cancel?force=</c></summary>
public sealed record CancelJobExecutionRequest
{
    [JsonIgnore]
    public string JobId { get; init; } = "";

    [JsonIgnore]
    public string ThingName { get; init; } = "";

    [JsonIgnore]
    public bool? Force { get; init; }

    public long? ExpectedVersion { get; init; }

    public IReadOnlyDictionary<string, string>? StatusDetails { get; init; }
}

/// <summary><c>GET /jobs/{jobId}?beforeSubstitution=</c></summary>
public sealed record DescribeJobRequest
{
    public string JobId { get; init; } = "";

    public bool? BeforeSubstitution { get; init; }
}

/// <summary><c>GET /things/{thingName}/jobs/{jobId}?executionNumber=</c> on the control plane.</summary>
public sealed record DescribeJobExecutionRequest
{
    public string JobId { get; init; } = "";

    public string ThingName { get; init; } = "";

    public long? ExecutionNumber { get; init; }
}

/// <summary><c>GET /jobs/{jobId}/things?status=&amp;maxResults=&amp;nextToken=</c></summary>
public sealed record ListJobExecutionsForJobRequest
{
    public string JobId { get; init; } = "";

    /// <summary>One of <see cref="JobExecutionStatuses"/>; null lists every status.</summary>
    public string? Status { get; init; }

    /// <summary>1–250.</summary>
    public int? MaxResults { get; init; }

    public string? NextToken { get; init; }
}

/// <summary><c>GET /jobs?status=&amp;maxResults=&amp;nextToken=</c> (the model's other filters are not used here).</summary>
public sealed record ListJobsRequest
{
    /// <summary>IN_PROGRESS, CANCELED, COMPLETED, DELETION_IN_PROGRESS or SCHEDULED; null lists every status.</summary>
    public string? Status { get; init; }

    /// <summary>1–250.</summary>
    public int? MaxResults { get; init; }

    public string? NextToken { get; init; }
}

/// <summary><c>GET /endpoint?endpointType=</c></summary>
public sealed record DescribeEndpointRequest
{
    public const string JobsEndpointType = "iot:Jobs";

    public string? EndpointType { get; init; }
}

/// <summary><c>PATCH /event-configurations</c></summary>
public sealed record UpdateEventConfigurationsRequest
{
    /// <summary>Keyed by event type (<see cref="EventTypes"/>).</summary>
    public IReadOnlyDictionary<string, EventConfiguration>? EventConfigurations { get; init; }
}

/// <summary>The JobExecutionStatus enum of the model.</summary>
public static class JobExecutionStatuses
{
    public const string Queued = "QUEUED";
    public const string InProgress = "IN_PROGRESS";
    public const string Succeeded = "SUCCEEDED";
    public const string Failed = "FAILED";
    public const string TimedOut = "TIMED_OUT";
    public const string Rejected = "REJECTED";
    public const string Removed = "REMOVED";
    public const string Canceled = "CANCELED";
}

/// <summary>Event types that UpdateEventConfigurations switches (the two the jobs recorder needs, and the rest).</summary>
public static class EventTypes
{
    public const string Job = "JOB";
    public const string JobExecution = "JOB_EXECUTION";
}
