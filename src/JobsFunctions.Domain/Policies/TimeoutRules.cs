using System.Globalization;
using JobsFunctions.Domain.Executions;

namespace JobsFunctions.Domain.Policies;

/// <summary>Which of a policy's timeouts an execution reached.</summary>
public enum TimeoutKind
{
    /// <summary>QUEUED for queuedTimeoutInMinutes since it was queued: it never started.</summary>
    Queued,

    /// <summary>IN_PROGRESS for inProgressTimeoutInMinutes in total since it started.</summary>
    InProgress,

    /// <summary>IN_PROGRESS with no change reported for noProgressTimeoutInMinutes: the device stopped reporting.</summary>
    NoProgress,
}

/// <summary>A timeout an execution reached: which, since when, for how long, and a reason naming the figures.</summary>
public sealed record TimeoutVerdict(TimeoutKind Kind, DateTimeOffset Since, TimeSpan Elapsed, int LimitMinutes)
{
    public string Setting => Kind switch
    {
        TimeoutKind.Queued => "queuedTimeoutInMinutes",
        TimeoutKind.InProgress => "inProgressTimeoutInMinutes",
        _ => "noProgressTimeoutInMinutes",
    };

    /// <summary>For example <c>IN_PROGRESS for 121 min since 2026-11-23T10:00:00Z &gt;= inProgressTimeoutInMinutes 120</c>.</summary>
    public string Reason => string.Create(CultureInfo.InvariantCulture, $"{Kind switch
    {
        TimeoutKind.Queued => "QUEUED",
        TimeoutKind.InProgress => "IN_PROGRESS",
        _ => "no progress reported",
    }} for {(long)Elapsed.TotalMinutes} min since {Since.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ} >= {Setting} {LimitMinutes}");
}

/// <summary>
/// A policy's per-execution timeouts, judged at <c>now</c> on the times AWS IoT reported (never when the store saw
/// them). A timeout is reached when the time spent is at least the limit. QUEUED counts from queuedAt; IN_PROGRESS
/// counts in total from startedAt, so a limit set or changed while the job runs applies at once to executions already
/// running; no progress counts from the latest change reported for the current attempt and applies to IN_PROGRESS
/// executions (a QUEUED one has reported nothing, which the queued timeout covers). When several are reached the
/// in-progress total is named before no progress.
/// </summary>
public static class TimeoutRules
{
    public static TimeoutVerdict? Check(ExecutionStatus status, ExecutionTimes times, PolicyTimeouts? timeouts, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(times);
        if (timeouts is null)
        {
            return null;
        }

        return status switch
        {
            ExecutionStatus.Queued => Reached(TimeoutKind.Queued, times.QueuedAt, timeouts.QueuedTimeoutInMinutes, now),
            ExecutionStatus.InProgress => Reached(TimeoutKind.InProgress, times.StartedAt, timeouts.InProgressTimeoutInMinutes, now)
                ?? Reached(TimeoutKind.NoProgress, times.LastChangedAt, timeouts.NoProgressTimeoutInMinutes, now),
            _ => null,
        };
    }

    private static TimeoutVerdict? Reached(TimeoutKind kind, DateTimeOffset? since, int? limitMinutes, DateTimeOffset now) =>
        since is { } from && limitMinutes is { } limit && now - from >= TimeSpan.FromMinutes(limit)
            ? new TimeoutVerdict(kind, from, now - from, limit)
            : null;
}
