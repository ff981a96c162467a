using JobsFunctions.Domain.Executions;
using JobsFunctions.Domain.Operations;

namespace JobsFunctions.Emulator.Model;

/// <summary>A copy of one execution as it stood when read; safe to use outside the emulator's lock.</summary>
public sealed record ExecutionView(
    string JobId,
    string ThingName,
    string ThingArn,
    long ExecutionNumber,
    ExecutionStatus Status,
    IReadOnlyDictionary<string, string> StatusDetails,
    long VersionNumber,
    DateTimeOffset QueuedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset LastUpdatedAt,
    bool ForceCanceled,
    int RetryAttempt,
    long? ApproximateSecondsBeforeTimedOut,
    string JobDocument);

/// <summary>JobProcessDetails: each thing counted once, by the status of its latest execution.</summary>
public sealed record ProcessDetails(
    int Queued,
    int InProgress,
    int Succeeded,
    int Failed,
    int Rejected,
    int Canceled,
    int TimedOut,
    int Removed,
    IReadOnlyList<string>? ProcessingTargets);

/// <summary>A copy of one job as it stood when read.</summary>
public sealed record EmulatedJobView(
    string JobId,
    string JobArn,
    EmulatedJobStatus Status,
    TargetSelection TargetSelection,
    IReadOnlyList<string> Targets,
    string? Description,
    bool ForceCanceled,
    string? ReasonCode,
    string? Comment,
    DateTimeOffset CreatedAt,
    DateTimeOffset LastUpdatedAt,
    DateTimeOffset? CompletedAt,
    bool IsConcurrent,
    RolloutConfig? Rollout,
    IReadOnlyList<JobAbortCriterion>? Abort,
    long? InProgressTimeoutInMinutes,
    IReadOnlyList<RetryCriterion>? Retry,
    PresignedUrlConfig? PresignedUrl,
    string? NamespaceId,
    ProcessDetails ProcessDetails);

public sealed record ThingView(string ThingName, string ThingArn, string ThingId, IReadOnlyDictionary<string, string> Attributes, long Version);

public sealed record ThingGroupView(string GroupName, string GroupArn, string GroupId, string? Description, DateTimeOffset CreatedAt, long Version);

/// <summary>One page of a listing; <see cref="NextToken"/> is null on the last page.</summary>
public sealed record EmulatedPage<T>(IReadOnlyList<T> Items, string? NextToken);

/// <summary>GetPendingJobExecutions: IN_PROGRESS and QUEUED executions of a thing.</summary>
public sealed record PendingExecutions(IReadOnlyList<ExecutionView> InProgress, IReadOnlyList<ExecutionView> Queued);
