namespace JobsFunctions.Domain.Jobs;

/// <summary>
/// Job-level statuses: the API's enum plus the two that appear only in job events
/// (CANCELLATION_IN_PROGRESS and DELETED: https://docs.aws.amazon.com/iot/latest/developerguide/events-jobs.html).
/// </summary>
public enum JobStatus
{
    Scheduled,
    InProgress,
    CancellationInProgress,
    Completed,
    Canceled,
    DeletionInProgress,
    Deleted,
}

public static class JobStatuses
{
    public static IReadOnlyList<JobStatus> All { get; } = Enum.GetValues<JobStatus>();

    /// <summary>
    /// How far along its life a job is. A job only moves forward (cancel and delete are one-way), so the furthest
    /// status observed is the current one whatever order the events came in.
    /// </summary>
    public static int Stage(this JobStatus status) => status switch
    {
        JobStatus.Scheduled => 0,
        JobStatus.InProgress => 1,
        JobStatus.CancellationInProgress => 2,
        JobStatus.Completed or JobStatus.Canceled => 3,
        JobStatus.DeletionInProgress => 4,
        JobStatus.Deleted => 5,
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, null),
    };

    /// <summary>True for statuses that appear only in events, never in DescribeJob.</summary>
    public static bool IsEventOnly(this JobStatus status) => status is JobStatus.CancellationInProgress or JobStatus.Deleted;

    public static string ToWire(this JobStatus status) => status switch
    {
        JobStatus.Scheduled => "SCHEDULED",
        JobStatus.InProgress => "IN_PROGRESS",
        JobStatus.CancellationInProgress => "CANCELLATION_IN_PROGRESS",
        JobStatus.Completed => "COMPLETED",
        JobStatus.Canceled => "CANCELED",
        JobStatus.DeletionInProgress => "DELETION_IN_PROGRESS",
        JobStatus.Deleted => "DELETED",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, null),
    };

    public static bool TryParse(string? wire, out JobStatus status) =>
        WireNames.TryParse(wire, All, ToWire, out status);
}
