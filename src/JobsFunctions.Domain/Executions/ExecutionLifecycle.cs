namespace JobsFunctions.Domain.Executions;

/// <summary>Who asks for a change of an execution's status.</summary>
public enum ExecutionMover
{
    /// <summary>The device, through the jobs data plane's UpdateJobExecution (the operator API's update-job-execution too).</summary>
    Device,

    /// <summary>An operator, through the control plane's CancelJobExecution; CancelJob applies the same rule to each execution.</summary>
    Operator,

    /// <summary>AWS IoT on its own: a timer runs out, a thing leaves the job's targets, abortConfig cancels the job.</summary>
    Service,
}

/// <summary>Why AWS IoT refuses a move, as the error it answers.</summary>
public enum MoveRefusal
{
    None,

    /// <summary>The control plane's answer to a stale expectedVersion (HTTP 409).</summary>
    VersionConflict,

    /// <summary>
    /// A change out of a terminal status, a cancel of an IN_PROGRESS execution without force, and the data plane's
    /// answer to a stale expectedVersion (HTTP 409, with the execution's state on the data plane).
    /// </summary>
    InvalidStateTransition,

    /// <summary>A device asking for a status only AWS IoT sets (QUEUED, CANCELED, TIMED_OUT): HTTP 400.</summary>
    InvalidRequest,

    /// <summary>No call of this mover asks for this status (an operator cannot set SUCCEEDED; the service never sets FAILED).</summary>
    NotOffered,
}

/// <summary>One cell of the lifecycle table: from a status to a status, asked by whom, with or without force.</summary>
public readonly record struct ExecutionMove(ExecutionStatus From, ExecutionStatus To, ExecutionMover By, bool Force = false)
{
    public override string ToString() =>
        $"{By} {From.ToWire()} -> {To.ToWire()}{(Force ? " (force)" : "")}";
}

/// <summary>AWS IoT's answer to a move: allowed with its change of versionNumber, or refused with the error it sends.</summary>
public readonly record struct MoveVerdict(MoveRefusal Refusal)
{
    public bool Allowed => Refusal == MoveRefusal.None;

    /// <summary>How far versionNumber moves: every accepted change moves it on by one, the service's own included.</summary>
    public int VersionStep => Allowed ? ExecutionLifecycle.VersionStep : 0;

    /// <summary>The AWS error code of a refusal (<c>InvalidStateTransitionException</c>…); null when allowed or not offered.</summary>
    public string? AwsErrorCode => Refusal switch
    {
        MoveRefusal.VersionConflict => "VersionConflictException",
        MoveRefusal.InvalidStateTransition => "InvalidStateTransitionException",
        MoveRefusal.InvalidRequest => "InvalidRequestException",
        _ => null,
    };
}

/// <summary>
/// The one table of an AWS IoT job execution's lifecycle
/// (https://docs.aws.amazon.com/iot/latest/developerguide/iot-jobs-lifecycle.html,
/// https://docs.aws.amazon.com/iot/latest/apireference/API_iot-jobs-data_UpdateJobExecution.html,
/// https://docs.aws.amazon.com/iot/latest/apireference/API_CancelJobExecution.html). The emulator's guards, the
/// operator API's and the sweeper's expected after-states, the recorder's order of statuses and the test fake are all
/// read from it.
/// </summary>
/// <remarks>
/// Checks run in AWS's order: a stale expectedVersion first, then a terminal status, then whether the mover may ask for
/// the target. A device may set IN_PROGRESS (again, to refresh details and the step timer), SUCCEEDED, FAILED, REJECTED
/// and REMOVED: the AWS CLI reference example for update-job-execution sets REMOVED and is accepted, whatever the
/// lifecycle page's table says. An operator cancels a QUEUED execution, an IN_PROGRESS one only with force. The service
/// times out IN_PROGRESS executions, removes QUEUED ones whose thing left the job's targets, and cancels as an operator
/// does when abortConfig fires.
/// </remarks>
public static class ExecutionLifecycle
{
    /// <summary>
    /// How far versionNumber moves on every accepted change, the service's own included (the docs say each update of
    /// the execution increments it: https://docs.aws.amazon.com/iot/latest/apireference/API_CancelJobExecution.html).
    /// </summary>
    public const int VersionStep = 1;

    private static readonly bool[] ForceOrNot = [false, true];
    private static readonly int[] Stages = DeriveStages();

    /// <summary>Every cell of the table: 8 × 8 statuses × 3 movers × force or not.</summary>
    public static IEnumerable<ExecutionMove> Cells =>
        from origin in ExecutionStatuses.All
        from target in ExecutionStatuses.All
        from mover in Enum.GetValues<ExecutionMover>()
        from force in ForceOrNot
        select new ExecutionMove(origin, target, mover, force);

    /// <summary>AWS IoT's answer to <paramref name="move"/> on an execution at <paramref name="currentVersion"/>.</summary>
    public static MoveVerdict Decide(ExecutionMove move, long? expectedVersion = null, long? currentVersion = null)
    {
        if (!IsOffered(move))
        {
            return new(MoveRefusal.NotOffered);
        }

        if (expectedVersion is { } expected && currentVersion is { } current && expected != current && move.By != ExecutionMover.Service)
        {
            return new(move.By == ExecutionMover.Device ? MoveRefusal.InvalidStateTransition : MoveRefusal.VersionConflict);
        }

        if (move.From.IsTerminal())
        {
            return new(MoveRefusal.InvalidStateTransition);
        }

        return move switch
        {
            { By: ExecutionMover.Device, To: ExecutionStatus.Queued or ExecutionStatus.Canceled or ExecutionStatus.TimedOut } =>
                new(MoveRefusal.InvalidRequest),
            { By: ExecutionMover.Device } => new(MoveRefusal.None),
            { To: ExecutionStatus.Canceled, From: ExecutionStatus.InProgress, Force: false } => new(MoveRefusal.InvalidStateTransition),
            { To: ExecutionStatus.Canceled } => new(MoveRefusal.None),
            { To: ExecutionStatus.TimedOut, From: ExecutionStatus.InProgress } => new(MoveRefusal.None),
            { To: ExecutionStatus.Removed, From: ExecutionStatus.Queued } => new(MoveRefusal.None),
            _ => new(MoveRefusal.NotOffered),
        };
    }

    /// <summary>Whether a cancel of an execution in <paramref name="from"/> needs force to be accepted.</summary>
    public static bool CancelNeedsForce(ExecutionStatus from) =>
        !Decide(new(from, ExecutionStatus.Canceled, ExecutionMover.Operator)).Allowed
        && Decide(new(from, ExecutionStatus.Canceled, ExecutionMover.Operator, Force: true)).Allowed;

    /// <summary>
    /// The execution's state once AWS accepted a move to <paramref name="to"/>: the new details when given, else the old
    /// ones; the version is known only when the move was made at a known one (an expectedVersion AWS checked).
    /// </summary>
    public static ExecutionState After(
        ExecutionStatus to, IReadOnlyDictionary<string, string>? statusDetails, ExecutionState? before, long? movedAtVersion) =>
        new(to, statusDetails ?? before?.StatusDetails ?? NoDetails, movedAtVersion + VersionStep);

    /// <summary>
    /// How far along the lifecycle a status lies: 0 for QUEUED (where every execution starts), else one more than the
    /// furthest status any mover may leave for it. Observations of a later stage supersede earlier ones.
    /// </summary>
    public static int Stage(ExecutionStatus status) => Stages[(int)status];

    /// <summary>Which targets each mover has a call for; everything else is not offered, whatever the from-status.</summary>
    private static bool IsOffered(ExecutionMove move) => move.By switch
    {
        ExecutionMover.Device => !move.Force,
        ExecutionMover.Operator => move.To == ExecutionStatus.Canceled,
        _ => move.To is ExecutionStatus.Canceled || (!move.Force && move.To is ExecutionStatus.TimedOut or ExecutionStatus.Removed),
    };

    private static readonly IReadOnlyDictionary<string, string> NoDetails = new Dictionary<string, string>(StringComparer.Ordinal);

    private static int[] DeriveStages()
    {
        var stages = new int[ExecutionStatuses.All.Count];
        // Longest path from QUEUED over the allowed moves that change the status; the table has no cycles but
        // IN_PROGRESS -> IN_PROGRESS, so relaxing once per status reaches the fixed point.
        foreach (var _ in ExecutionStatuses.All)
        {
            foreach (var move in Cells.Where(move => move.From != move.To && Decide(move).Allowed))
            {
                stages[(int)move.To] = Math.Max(stages[(int)move.To], stages[(int)move.From] + 1);
            }
        }

        return stages;
    }
}
