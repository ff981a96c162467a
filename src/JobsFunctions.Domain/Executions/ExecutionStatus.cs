namespace JobsFunctions.Domain.Executions;

/// <summary>The eight statuses of an AWS IoT job execution (https://docs.aws.amazon.com/iot/latest/apireference/API_JobExecution.html).</summary>
public enum ExecutionStatus
{
    Queued,
    InProgress,
    Succeeded,
    Failed,
    TimedOut,
    Rejected,
    Removed,
    Canceled,
}

public static class ExecutionStatuses
{
    public static IReadOnlyList<ExecutionStatus> All { get; } = Enum.GetValues<ExecutionStatus>();

    public static bool IsTerminal(this ExecutionStatus status) => status is not (ExecutionStatus.Queued or ExecutionStatus.InProgress);

    /// <summary>The terminal statuses that tell of a failure: FAILED, TIMED_OUT and REJECTED.</summary>
    public static bool IsFailure(this ExecutionStatus status) => status is ExecutionStatus.Failed or ExecutionStatus.TimedOut or ExecutionStatus.Rejected;

    /// <summary>SUCCEEDED or a failure: an end that says how running the job went on the device.</summary>
    public static bool IsExecuted(this ExecutionStatus status) => status == ExecutionStatus.Succeeded || status.IsFailure();

    public static string ToWire(this ExecutionStatus status) => status switch
    {
        ExecutionStatus.Queued => "QUEUED",
        ExecutionStatus.InProgress => "IN_PROGRESS",
        ExecutionStatus.Succeeded => "SUCCEEDED",
        ExecutionStatus.Failed => "FAILED",
        ExecutionStatus.TimedOut => "TIMED_OUT",
        ExecutionStatus.Rejected => "REJECTED",
        ExecutionStatus.Removed => "REMOVED",
        ExecutionStatus.Canceled => "CANCELED",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, null),
    };

    /// <summary>Parses the AWS wire name (e.g. <c>TIMED_OUT</c>); exact, case-sensitive, as the API enum is.</summary>
    public static bool TryParse(string? wire, out ExecutionStatus status) =>
        WireNames.TryParse(wire, All, ToWire, out status);
}
