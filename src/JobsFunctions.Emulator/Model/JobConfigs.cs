using JobsFunctions.Domain.Operations;

namespace JobsFunctions.Emulator.Model;

/// <summary>Target selection of a job (https://docs.aws.amazon.com/iot/latest/apireference/API_CreateJob.html).</summary>
public enum TargetSelection
{
    Snapshot,
    Continuous,
}

/// <summary>The EmulatedJobStatus enum of the control plane; CANCELLATION_IN_PROGRESS and DELETED exist only in events.</summary>
public enum EmulatedJobStatus
{
    InProgress,
    Canceled,
    Completed,
    DeletionInProgress,
}

public sealed record ExponentialRate(int BaseRatePerMinute, double IncrementFactor, int? NumberOfNotifiedThings, int? NumberOfSucceededThings);

public sealed record RolloutConfig(int? MaximumPerMinute, ExponentialRate? ExponentialRate);

public sealed record JobAbortCriterion(string FailureType, string Action, double ThresholdPercentage, int MinNumberOfExecutedThings);

public sealed record RetryCriterion(string FailureType, int NumberOfRetries);

/// <summary>What CreateJob asks for, validated by the wire layer.</summary>
public sealed record JobSpec
{
    public required string JobId { get; init; }

    public required IReadOnlyList<string> Targets { get; init; }

    public required string Document { get; init; }

    public string? Description { get; init; }

    public TargetSelection TargetSelection { get; init; } = TargetSelection.Snapshot;

    public RolloutConfig? Rollout { get; init; }

    public IReadOnlyList<JobAbortCriterion>? Abort { get; init; }

    public long? InProgressTimeoutInMinutes { get; init; }

    public IReadOnlyList<RetryCriterion>? Retry { get; init; }

    public PresignedUrlConfig? PresignedUrl { get; init; }

    public string? NamespaceId { get; init; }
}

/// <summary>What UpdateJob asks for: each member present replaces the job's; absent ones stay.</summary>
public sealed record JobUpdate
{
    public string? Description { get; init; }

    public RolloutConfig? Rollout { get; init; }

    public IReadOnlyList<JobAbortCriterion>? Abort { get; init; }

    public long? InProgressTimeoutInMinutes { get; init; }

    public IReadOnlyList<RetryCriterion>? Retry { get; init; }

    public PresignedUrlConfig? PresignedUrl { get; init; }
}

/// <summary>UpdateJobExecution's members (https://docs.aws.amazon.com/iot/latest/apireference/API_iot-jobs-data_UpdateJobExecution.html).</summary>
public sealed record DeviceExecutionUpdate
{
    public required JobsFunctions.Domain.Executions.ExecutionStatus Status { get; init; }

    public IReadOnlyDictionary<string, string>? StatusDetails { get; init; }

    public long? StepTimeoutInMinutes { get; init; }

    public long? ExpectedVersion { get; init; }

    public long? ExecutionNumber { get; init; }
}
