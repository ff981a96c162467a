namespace JobsFunctions.Domain.Jobs;

/// <summary>One job event: the job reached a status (completed, canceled, deleted, or one of the *_in_progress).</summary>
public sealed record JobObservation(
    string JobId,
    JobStatus Status,
    string ObservationId,
    DateTimeOffset OccurredAt,
    string? Comment = null,
    string? ReasonCode = null,
    string? Description = null,
    string? TargetSelection = null,
    IReadOnlyList<string>? Targets = null,
    DateTimeOffset? CreatedAt = null,
    DateTimeOffset? CompletedAt = null,
    IReadOnlyDictionary<string, long>? ReportedProcessDetails = null);

/// <summary>A job's recorded state: resolved from the set of its observed events, plus that history.</summary>
public sealed record JobRecord(
    string JobId,
    JobStatus Status,
    DateTimeOffset LastChangedAt,
    string? Comment,
    string? ReasonCode,
    string? Description,
    string? TargetSelection,
    IReadOnlyList<string> Targets,
    DateTimeOffset? CreatedAt,
    DateTimeOffset? CompletedAt,
    IReadOnlyDictionary<string, long>? ReportedProcessDetails,
    IReadOnlyList<JobObservation> History,
    long Revision);

/// <summary>What recording one job event amounts to.</summary>
public abstract record JobRecordingDecision
{
    private JobRecordingDecision()
    {
    }

    public sealed record Duplicate(JobRecord Current) : JobRecordingDecision;

    public sealed record Record(JobRecord Next, bool StatusChanged) : JobRecordingDecision;
}

/// <summary>
/// Job events come at least once and in any order. A job only moves forward through its stages, so its status is
/// the furthest stage observed (ties by time, then id); each descriptive field is taken from the furthest
/// observation that carries it (a canceled event has no comment, its cancellation_in_progress event does).
/// </summary>
public static class JobRules
{
    public static JobRecordingDecision Apply(JobRecord? current, JobObservation observation)
    {
        ArgumentNullException.ThrowIfNull(observation);
        if (current is not null && current.History.Any(seen => string.Equals(seen.ObservationId, observation.ObservationId, StringComparison.Ordinal)))
        {
            return new JobRecordingDecision.Duplicate(current);
        }

        var history = new List<JobObservation>(current?.History ?? []) { observation };
        var next = Resolve(observation.JobId, history, current?.Revision ?? 0);
        return new JobRecordingDecision.Record(next, current is null || current.Status != next.Status);
    }

    public static JobRecord Resolve(string jobId, IReadOnlyCollection<JobObservation> history, long revision)
    {
        ArgumentNullException.ThrowIfNull(history);
        var ordered = history.OrderBy(seen => seen, Progress).ToList();
        var furthest = ordered[^1];
        T? Latest<T>(Func<JobObservation, T?> pick) => ordered.Select(pick).LastOrDefault(value => value is not null);

        return new JobRecord(
            jobId,
            furthest.Status,
            furthest.OccurredAt,
            Latest(seen => seen.Comment),
            Latest(seen => seen.ReasonCode),
            Latest(seen => seen.Description),
            Latest(seen => seen.TargetSelection),
            Latest(seen => seen.Targets) ?? [],
            ordered.Select(seen => seen.CreatedAt).LastOrDefault(value => value is not null),
            ordered.Select(seen => seen.CompletedAt).LastOrDefault(value => value is not null),
            Latest(seen => seen.ReportedProcessDetails),
            ordered,
            revision);
    }

    /// <summary>Stage first, then event time, then id: a total order, so resolution ignores arrival order.</summary>
    public static IComparer<JobObservation> Progress { get; } = Comparer<JobObservation>.Create((a, b) =>
    {
        int comparison;
        if ((comparison = a.Status.Stage().CompareTo(b.Status.Stage())) != 0
            || (comparison = a.OccurredAt.CompareTo(b.OccurredAt)) != 0
            || (comparison = a.Status.CompareTo(b.Status)) != 0)
        {
            return comparison;
        }

        return string.CompareOrdinal(a.ObservationId, b.ObservationId);
    });
}
