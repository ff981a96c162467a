using JobsFunctions.Domain.Executions;
using JobsFunctions.Domain.Operations;

namespace JobsFunctions.Emulator.Model;

/// <summary>One job's mutable state; only <see cref="JobsEmulator"/> touches it, under its lock.</summary>
internal sealed class EmulatedJob
{
    public required string Id { get; init; }

    public required string Arn { get; init; }

    public required TargetSelection Selection { get; init; }

    public required List<string> Targets { get; init; }

    public required string Document { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public required long Order { get; init; }

    public EmulatedJobStatus Status { get; set; } = EmulatedJobStatus.InProgress;

    public string? Description { get; set; }

    public bool ForceCanceled { get; set; }

    public string? ReasonCode { get; set; }

    public string? Comment { get; set; }

    public DateTimeOffset LastUpdatedAt { get; set; }

    public DateTimeOffset? CompletedAt { get; set; }

    public RolloutConfig? Rollout { get; set; }

    public List<JobAbortCriterion>? Abort { get; set; }

    public long? InProgressTimeoutInMinutes { get; set; }

    public List<RetryCriterion>? Retry { get; set; }

    public PresignedUrlConfig? PresignedUrl { get; set; }

    public string? NamespaceId { get; set; }

    /// <summary>Things not yet released by the rollout, in target order.</summary>
    public Queue<string> Pending { get; } = new();

    /// <summary>Invalidates a scheduled rollout step when the job's rollout changes or stops.</summary>
    public long RolloutGeneration { get; set; }

    public int CurrentRate { get; set; }

    public int Notified { get; set; }

    public int NotifiedAtIncrease { get; set; }

    public int SucceededAtIncrease { get; set; }

    public int SucceededTotal { get; set; }

    public DateTimeOffset? DeletionDue { get; set; }

    /// <summary>Each thing's executions, oldest (lowest executionNumber) first; the last is the thing's latest.</summary>
    public Dictionary<string, List<EmulatedExecution>> ByThing { get; } = new(StringComparer.Ordinal);

    /// <summary>Things counted by the status of their latest execution (JobProcessDetails).</summary>
    public int[] LatestCounts { get; } = new int[8];

    /// <summary>Every execution attempt that reached each status (abort criteria).</summary>
    public int[] AttemptCounts { get; } = new int[8];

    public int OpenThings => LatestCounts[(int)ExecutionStatus.Queued] + LatestCounts[(int)ExecutionStatus.InProgress];
}

/// <summary>One job execution's mutable state.</summary>
internal sealed class EmulatedExecution
{
    private static readonly Dictionary<string, string> NoDetails = new(StringComparer.Ordinal);

    public required EmulatedJob Job { get; init; }

    public required string ThingName { get; init; }

    public required string ThingArn { get; init; }

    public required long ExecutionNumber { get; init; }

    public required long Order { get; init; }

    public required DateTimeOffset QueuedAt { get; set; }

    public ExecutionStatus Status { get; set; } = ExecutionStatus.Queued;

    /// <summary>Replaced whole on every change, never mutated, so executions without details share one empty map.</summary>
    public Dictionary<string, string> StatusDetails { get; set; } = NoDetails;

    public long VersionNumber { get; set; } = 1;

    public DateTimeOffset? StartedAt { get; set; }

    public DateTimeOffset LastUpdatedAt { get; set; }

    public bool ForceCanceled { get; set; }

    public int RetryAttempt { get; set; }

    public int FailedRetries { get; set; }

    public int TimedOutRetries { get; set; }

    public DateTimeOffset? StepDeadline { get; set; }

    public DateTimeOffset? InProgressDeadline { get; set; }

    public long TimerGeneration { get; set; }

    public DateTimeOffset? Deadline =>
        (StepDeadline, InProgressDeadline) switch
        {
            ({ } step, { } bound) => step < bound ? step : bound,
            ({ } step, null) => step,
            (null, var bound) => bound,
        };
}

internal sealed class EmulatedThing
{
    public required string Name { get; init; }

    public required string Arn { get; init; }

    public required string Id { get; init; }

    public required Dictionary<string, string> Attributes { get; init; }

    public long Version { get; set; } = 1;

    public HashSet<string> Groups { get; } = new(StringComparer.Ordinal);
}

internal sealed class EmulatedThingGroup
{
    public required string Name { get; init; }

    public required string Arn { get; init; }

    public required string Id { get; init; }

    public required string? Description { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public HashSet<string> Members { get; } = new(StringComparer.Ordinal);
}
