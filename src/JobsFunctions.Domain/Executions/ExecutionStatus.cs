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

/// <summary>Who may move an execution into a status: the device through the data plane, or only the service.</summary>
public enum StatusOwner
{
    Device,
    Service,
}

public static class ExecutionStatuses
{
    public static IReadOnlyList<ExecutionStatus> All { get; } = Enum.GetValues<ExecutionStatus>();

    public static bool IsTerminal(this ExecutionStatus status) => status is not (ExecutionStatus.Queued or ExecutionStatus.InProgress);

    /// <summary>The terminal statuses that tell of a failure: FAILED, TIMED_OUT and REJECTED.</summary>
    public static bool IsFailure(this ExecutionStatus status) => status is ExecutionStatus.Failed or ExecutionStatus.TimedOut or ExecutionStatus.Rejected;

    /// <summary>SUCCEEDED or a failure: an end that says how running the job went on the device.</summary>
    public static bool IsExecuted(this ExecutionStatus status) => status == ExecutionStatus.Succeeded || status.IsFailure();

    /// <summary>IN_PROGRESS, SUCCEEDED, FAILED and REJECTED are set by devices; the rest only by the service.</summary>
    public static StatusOwner Owner(this ExecutionStatus status) => status switch
    {
        ExecutionStatus.InProgress or ExecutionStatus.Succeeded or ExecutionStatus.Failed or ExecutionStatus.Rejected => StatusOwner.Device,
        _ => StatusOwner.Service,
    };

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

    /// <summary>
    /// Whether a device may ask for this move through UpdateJobExecution. Anything out of a terminal status is refused
    /// (InvalidStateTransition); a device may only set IN_PROGRESS, SUCCEEDED, FAILED or REJECTED.
    /// </summary>
    public static bool DeviceMayMove(ExecutionStatus from, ExecutionStatus to) =>
        !from.IsTerminal() && to.Owner() == StatusOwner.Device;

    /// <summary>
    /// Whether the service moves an execution this way: cancel (QUEUED, or IN_PROGRESS only when forced), time-out of
    /// an IN_PROGRESS execution, removal of a pending one.
    /// </summary>
    public static bool ServiceMayMove(ExecutionStatus from, ExecutionStatus to, bool force) => (from, to) switch
    {
        (ExecutionStatus.Queued, ExecutionStatus.Canceled) => true,
        (ExecutionStatus.InProgress, ExecutionStatus.Canceled) => force,
        (ExecutionStatus.InProgress, ExecutionStatus.TimedOut) => true,
        (ExecutionStatus.Queued or ExecutionStatus.InProgress, ExecutionStatus.Removed) => true,
        _ => false,
    };
}
