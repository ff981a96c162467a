namespace JobsFunctions.Domain.Executions;

/// <summary>
/// When an execution's current attempt was queued, started and last changed, as AWS IoT reported those changes: the
/// event time of each sighting in the ledger, never when the store first saw it. Null when no sighting of that stage
/// is recorded.
/// </summary>
public sealed record ExecutionTimes(DateTimeOffset? QueuedAt, DateTimeOffset? StartedAt, DateTimeOffset LastChangedAt)
{
    /// <summary>
    /// From the ledger entries of the record's current attempt: the first QUEUED sighting, the first IN_PROGRESS
    /// sighting and the latest sighting of any kind.
    /// </summary>
    public static ExecutionTimes Of(ExecutionRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var attempt = ExecutionRules.CurrentAttempt(record.Ledger);
        DateTimeOffset? FirstAt(ExecutionStatus status) =>
            attempt.Where(entry => entry.Status == status).Select(entry => (DateTimeOffset?)entry.OccurredAt).Min();
        return new ExecutionTimes(FirstAt(ExecutionStatus.Queued), FirstAt(ExecutionStatus.InProgress), attempt.Max(entry => entry.OccurredAt));
    }
}
