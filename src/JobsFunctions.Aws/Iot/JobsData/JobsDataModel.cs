using System.Text.Json.Serialization;

namespace JobsFunctions.Aws.Iot.JobsData;

// Inputs and outputs of the jobs data plane (botocore iot-jobs-data 2017-09-29). Times here are plain longs, and
// statusDetails is a flat map (the control plane wraps it in detailsMap).

/// <summary><c>POST /things/{thingName}/jobs/{jobId}</c></summary>
public sealed record UpdateJobExecutionRequest
{
    [JsonIgnore]
    public string JobId { get; init; } = "";

    [JsonIgnore]
    public string ThingName { get; init; } = "";

    /// <summary>Required on every call: IN_PROGRESS, SUCCEEDED, FAILED or REJECTED from a device's point of view.</summary>
    public string Status { get; init; } = "";

    public IReadOnlyDictionary<string, string>? StatusDetails { get; init; }

    /// <summary>1–10080, or -1 to discard the current step timer.</summary>
    public long? StepTimeoutInMinutes { get; init; }

    public long? ExpectedVersion { get; init; }

    public bool? IncludeJobExecutionState { get; init; }

    public bool? IncludeJobDocument { get; init; }

    public long? ExecutionNumber { get; init; }
}

/// <summary><c>GET /things/{thingName}/jobs/{jobId}?includeJobDocument=&amp;executionNumber=</c>; jobId may be <c>$next</c>.</summary>
public sealed record DescribeJobExecutionRequest
{
    public string JobId { get; init; } = "";

    public string ThingName { get; init; } = "";

    /// <summary>The service's default is true.</summary>
    public bool? IncludeJobDocument { get; init; }

    public long? ExecutionNumber { get; init; }
}

public sealed record UpdateJobExecutionResponse
{
    public JobExecutionState? ExecutionState { get; init; }

    public string? JobDocument { get; init; }
}

public sealed record DescribeJobExecutionResponse
{
    public JobExecution? Execution { get; init; }
}

public sealed record JobExecutionState
{
    public string? Status { get; init; }

    public IReadOnlyDictionary<string, string>? StatusDetails { get; init; }

    public long? VersionNumber { get; init; }
}

public sealed record JobExecution
{
    public string? JobId { get; init; }

    public string? ThingName { get; init; }

    public string? Status { get; init; }

    public IReadOnlyDictionary<string, string>? StatusDetails { get; init; }

    public long? QueuedAt { get; init; }

    public long? StartedAt { get; init; }

    public long? LastUpdatedAt { get; init; }

    public long? ApproximateSecondsBeforeTimedOut { get; init; }

    public long? VersionNumber { get; init; }

    public long? ExecutionNumber { get; init; }

    public string? JobDocument { get; init; }
}

/// <summary>Source-generated (AOT-safe) JSON for the jobs data plane: camelCase, nulls omitted.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(UpdateJobExecutionRequest))]
[JsonSerializable(typeof(UpdateJobExecutionResponse))]
[JsonSerializable(typeof(DescribeJobExecutionResponse))]
[JsonSerializable(typeof(JobExecutionState))]
internal sealed partial class JobsDataJsonContext : JsonSerializerContext;
