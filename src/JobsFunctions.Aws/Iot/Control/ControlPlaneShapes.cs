using System.Text.Json.Serialization;

namespace JobsFunctions.Aws.Iot.Control;

// Structures and outputs of the control plane (botocore iot 2015-05-28). Members are nullable because the service
// omits what is unset; statuses stay strings because job events carry values outside the model's enums.

public sealed record PresignedUrlConfig
{
    public string? RoleArn { get; init; }

    /// <summary>60–3600 seconds.</summary>
    public long? ExpiresInSec { get; init; }
}

public sealed record JobExecutionsRolloutConfig
{
    public int? MaximumPerMinute { get; init; }

    public ExponentialRolloutRate? ExponentialRate { get; init; }
}

public sealed record ExponentialRolloutRate
{
    public int BaseRatePerMinute { get; init; }

    /// <summary>1.1–5 with at most one decimal digit.</summary>
    public double IncrementFactor { get; init; }

    public RateIncreaseCriteria? RateIncreaseCriteria { get; init; }
}

public sealed record RateIncreaseCriteria
{
    public int? NumberOfNotifiedThings { get; init; }

    public int? NumberOfSucceededThings { get; init; }
}

public sealed record AbortConfig
{
    public IReadOnlyList<AbortCriteria> CriteriaList { get; init; } = [];
}

public sealed record AbortCriteria
{
    /// <summary>FAILED | REJECTED | TIMED_OUT | ALL.</summary>
    public string FailureType { get; init; } = "";

    /// <summary>CANCEL, the only action.</summary>
    public string Action { get; init; } = "CANCEL";

    /// <summary>At most 100, at most two decimal places.</summary>
    public double ThresholdPercentage { get; init; }

    public int MinNumberOfExecutedThings { get; init; }
}

public sealed record TimeoutConfig
{
    public long? InProgressTimeoutInMinutes { get; init; }
}

public sealed record JobExecutionsRetryConfig
{
    public IReadOnlyList<RetryCriteria> CriteriaList { get; init; } = [];
}

public sealed record RetryCriteria
{
    /// <summary>FAILED | TIMED_OUT | ALL.</summary>
    public string FailureType { get; init; } = "";

    public int NumberOfRetries { get; init; }
}

public sealed record SchedulingConfig
{
    public string? StartTime { get; init; }

    public string? EndTime { get; init; }

    public string? EndBehavior { get; init; }

    public IReadOnlyList<MaintenanceWindow>? MaintenanceWindows { get; init; }
}

public sealed record MaintenanceWindow
{
    public string? StartTime { get; init; }

    public int? DurationInMinutes { get; init; }
}

public sealed record ScheduledJobRollout
{
    public string? StartTime { get; init; }
}

public sealed record Job
{
    public string? JobArn { get; init; }

    public string? JobId { get; init; }

    public string? TargetSelection { get; init; }

    public string? Status { get; init; }

    public bool? ForceCanceled { get; init; }

    public string? ReasonCode { get; init; }

    public string? Comment { get; init; }

    public IReadOnlyList<string>? Targets { get; init; }

    public string? Description { get; init; }

    public PresignedUrlConfig? PresignedUrlConfig { get; init; }

    public JobExecutionsRolloutConfig? JobExecutionsRolloutConfig { get; init; }

    public AbortConfig? AbortConfig { get; init; }

    public DateTimeOffset? CreatedAt { get; init; }

    public DateTimeOffset? LastUpdatedAt { get; init; }

    public DateTimeOffset? CompletedAt { get; init; }

    public JobProcessDetails? JobProcessDetails { get; init; }

    public TimeoutConfig? TimeoutConfig { get; init; }

    public string? NamespaceId { get; init; }

    public string? JobTemplateArn { get; init; }

    public JobExecutionsRetryConfig? JobExecutionsRetryConfig { get; init; }

    public IReadOnlyDictionary<string, string>? DocumentParameters { get; init; }

    public bool? IsConcurrent { get; init; }

    public SchedulingConfig? SchedulingConfig { get; init; }

    public IReadOnlyList<ScheduledJobRollout>? ScheduledJobRollouts { get; init; }

    public IReadOnlyList<string>? DestinationPackageVersions { get; init; }
}

public sealed record JobProcessDetails
{
    public IReadOnlyList<string>? ProcessingTargets { get; init; }

    public int? NumberOfCanceledThings { get; init; }

    public int? NumberOfSucceededThings { get; init; }

    public int? NumberOfFailedThings { get; init; }

    public int? NumberOfRejectedThings { get; init; }

    public int? NumberOfQueuedThings { get; init; }

    public int? NumberOfInProgressThings { get; init; }

    public int? NumberOfRemovedThings { get; init; }

    public int? NumberOfTimedOutThings { get; init; }
}

public sealed record JobExecution
{
    public string? JobId { get; init; }

    public string? Status { get; init; }

    public bool? ForceCanceled { get; init; }

    /// <summary>Wrapped as <c>{"detailsMap": {...}}</c> on the control plane (flat on the data plane).</summary>
    public JobExecutionStatusDetails? StatusDetails { get; init; }

    public string? ThingArn { get; init; }

    public DateTimeOffset? QueuedAt { get; init; }

    public DateTimeOffset? StartedAt { get; init; }

    public DateTimeOffset? LastUpdatedAt { get; init; }

    public long? ExecutionNumber { get; init; }

    public long? VersionNumber { get; init; }

    public long? ApproximateSecondsBeforeTimedOut { get; init; }
}

public sealed record JobExecutionStatusDetails
{
    public IReadOnlyDictionary<string, string>? DetailsMap { get; init; }
}

public sealed record JobExecutionSummaryForJob
{
    public string? ThingArn { get; init; }

    public JobExecutionSummary? JobExecutionSummary { get; init; }
}

public sealed record JobExecutionSummary
{
    public string? Status { get; init; }

    public DateTimeOffset? QueuedAt { get; init; }

    public DateTimeOffset? StartedAt { get; init; }

    public DateTimeOffset? LastUpdatedAt { get; init; }

    public long? ExecutionNumber { get; init; }

    public int? RetryAttempt { get; init; }
}

/// <summary>One job of ListJobs' answer.</summary>
public sealed record JobSummary
{
    public string? JobArn { get; init; }

    public string? JobId { get; init; }

    public string? ThingGroupId { get; init; }

    public string? TargetSelection { get; init; }

    public string? Status { get; init; }

    public DateTimeOffset? CreatedAt { get; init; }

    public DateTimeOffset? LastUpdatedAt { get; init; }

    public DateTimeOffset? CompletedAt { get; init; }

    public bool? IsConcurrent { get; init; }
}

public sealed record EventConfiguration
{
    /// <summary>Capitalised on the wire, unlike every other member of this API.</summary>
    [JsonPropertyName("Enabled")]
    public bool? Enabled { get; init; }
}

public sealed record CancelJobResponse
{
    public string? JobArn { get; init; }

    public string? JobId { get; init; }

    public string? Description { get; init; }
}

public sealed record DescribeJobResponse
{
    public string? DocumentSource { get; init; }

    public Job? Job { get; init; }
}

public sealed record DescribeJobExecutionResponse
{
    public JobExecution? Execution { get; init; }
}

public sealed record ListJobExecutionsForJobResponse
{
    public IReadOnlyList<JobExecutionSummaryForJob>? ExecutionSummaries { get; init; }

    /// <summary>Null when this was the last page.</summary>
    public string? NextToken { get; init; }
}

public sealed record ListJobsResponse
{
    public IReadOnlyList<JobSummary>? Jobs { get; init; }

    /// <summary>Null when this was the last page.</summary>
    public string? NextToken { get; init; }
}

public sealed record DescribeEndpointResponse
{
    public string? EndpointAddress { get; init; }
}

public sealed record DescribeEventConfigurationsResponse
{
    public IReadOnlyDictionary<string, EventConfiguration>? EventConfigurations { get; init; }

    public DateTimeOffset? CreationDate { get; init; }

    public DateTimeOffset? LastModifiedDate { get; init; }
}
