using JobsFunctions.Domain.Executions;

namespace JobsFunctions.Emulator.Model;

// Views: copies of the state, safe to use outside the lock.
public sealed partial class JobsEmulator
{
    private ExecutionView View(EmulatedExecution e)
    {
        long? remaining = e.Status == ExecutionStatus.InProgress && e.Deadline is { } due
            ? (long)Math.Ceiling(Math.Max(0, (due - _at).TotalSeconds))
            : null;
        return new ExecutionView(
            e.Job.Id, e.ThingName, e.ThingArn, e.ExecutionNumber, e.Status, new Dictionary<string, string>(e.StatusDetails, StringComparer.Ordinal),
            e.VersionNumber, e.QueuedAt, e.StartedAt, e.LastUpdatedAt, e.ForceCanceled, e.RetryAttempt, remaining, e.Job.Document);
    }

    private static EmulatedJobView View(EmulatedJob job)
    {
        var c = job.LatestCounts;
        var details = new ProcessDetails(
            c[(int)ExecutionStatus.Queued], c[(int)ExecutionStatus.InProgress], c[(int)ExecutionStatus.Succeeded], c[(int)ExecutionStatus.Failed],
            c[(int)ExecutionStatus.Rejected], c[(int)ExecutionStatus.Canceled], c[(int)ExecutionStatus.TimedOut], c[(int)ExecutionStatus.Removed],
            job.Pending.Count > 0 ? job.Targets.ToList() : null);
        return new EmulatedJobView(
            job.Id, job.Arn, job.Status, job.Selection, job.Targets.ToList(), job.Description, job.ForceCanceled, job.ReasonCode,
            job.Comment, job.CreatedAt, job.LastUpdatedAt, job.CompletedAt, job.Pending.Count > 0, job.Rollout, job.Abort?.ToList(),
            job.InProgressTimeoutInMinutes, job.Retry?.ToList(), job.PresignedUrl, job.NamespaceId, details);
    }

    private static ThingView View(EmulatedThing thing) =>
        new(thing.Name, thing.Arn, thing.Id, new Dictionary<string, string>(thing.Attributes, StringComparer.Ordinal), thing.Version);

    private static ThingGroupView View(EmulatedThingGroup group) => new(group.Name, group.Arn, group.Id, group.Description, group.CreatedAt, 1);

    public static string Wire(EmulatedJobStatus status) => status switch
    {
        EmulatedJobStatus.InProgress => "IN_PROGRESS",
        EmulatedJobStatus.Canceled => "CANCELED",
        EmulatedJobStatus.Completed => "COMPLETED",
        _ => "DELETION_IN_PROGRESS",
    };

    public static string Wire(TargetSelection selection) => selection == TargetSelection.Snapshot ? "SNAPSHOT" : "CONTINUOUS";
}
