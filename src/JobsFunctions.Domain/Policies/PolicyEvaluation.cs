using System.Globalization;
using JobsFunctions.Domain.Executions;
using JobsFunctions.Domain.Recording;

namespace JobsFunctions.Domain.Policies;

/// <summary>
/// What the abort criteria count. An execution is <em>executed</em> once it reached a terminal status that says how
/// running the job went on its device: SUCCEEDED, FAILED, REJECTED or TIMED_OUT. CANCELED and REMOVED are not
/// executed: nobody learned how the job fares on that device (canceled by an operator, the job or a policy's CANCEL
/// timeout; removed because the thing left the target), and counting them would dilute the failure rate. QUEUED and
/// IN_PROGRESS executions are not executed yet. A failure is an executed execution whose status the criterion's
/// failureType names: FAILED, REJECTED or TIMED_OUT, and ALL for any of the three.
/// </summary>
public static class Executed
{
    public static bool IsExecuted(this ExecutionStatus status) =>
        status is ExecutionStatus.Succeeded or ExecutionStatus.Failed or ExecutionStatus.Rejected or ExecutionStatus.TimedOut;

    public static bool Counts(this FailureType type, ExecutionStatus status) => type switch
    {
        FailureType.Failed => status == ExecutionStatus.Failed,
        FailureType.Rejected => status == ExecutionStatus.Rejected,
        FailureType.TimedOut => status == ExecutionStatus.TimedOut,
        FailureType.All => status is ExecutionStatus.Failed or ExecutionStatus.Rejected or ExecutionStatus.TimedOut,
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, null),
    };

    /// <summary>How a comment names the failures counted: the status, or the three for ALL.</summary>
    public static string Label(this FailureType type) => type switch
    {
        FailureType.Failed => "FAILED",
        FailureType.Rejected => "REJECTED",
        FailureType.TimedOut => "TIMED_OUT",
        FailureType.All => "FAILED+REJECTED+TIMED_OUT",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, null),
    };
}

/// <summary>
/// An abort criterion that tripped: which one (its index in the policy's list), its force, and the CancelJob comment
/// naming the criterion and the figures, such as
/// <c>abortConfig.criteriaList[0]: 12 FAILED of 140 executed (8.57%) &gt;= 5% in 15 min</c>.
/// </summary>
public sealed record AbortDecision(int CriterionIndex, AbortCriterion Criterion, long Failures, long ExecutedCount, string Comment);

/// <summary>
/// Judges a job's abort criteria on what the store recorded. Without a window a criterion counts the job's live
/// counters (one read, whatever the job's size); with <c>windowInMinutes</c> it counts only executions that ended at
/// or after <c>now - window</c>, by the time IoT reported their terminal change, read newest first from the
/// ended-executions index; <c>consecutiveFailures</c> reads the latest ended executions until the run is decided.
/// <list type="bullet">
/// <item><c>minNumberOfExecutedThings</c> is a floor, as in AWS's abortConfig ("at least"): a criterion is not judged
/// until at least that many executions (in the window, when it has one) are executed; without it, at least one.</item>
/// <item>Each threshold set is its own trip wire, and reaching it trips the criterion (<c>&gt;=</c>): the failure
/// percentage of executed, the failure count, or the latest N executed executions all being failures (CANCELED and
/// REMOVED between them neither count nor break the run).</item>
/// <item>The first criterion that trips, in list order, is the decision.</item>
/// </list>
/// </summary>
public sealed class AbortEvaluation(IRecordQueries counters, IEndedExecutionQueries ended)
{
    /// <summary>The page size of ended-execution reads (the IoT list operations' maximum too).</summary>
    public const int PageSize = 250;

    public async Task<AbortDecision?> EvaluateAsync(
        string jobId, IReadOnlyList<AbortCriterion> criteria, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(criteria);
        StatusCounts? counts = null;
        var windows = new Dictionary<int, List<ExecutionStatus>>();
        for (var index = 0; index < criteria.Count; index++)
        {
            var criterion = criteria[index];
            IReadOnlyList<ExecutionStatus>? window = null;
            long executed, failures;
            if (criterion.WindowInMinutes is { } minutes)
            {
                if (!windows.TryGetValue(minutes, out var statuses))
                {
                    statuses = await ReadEndedAsync(jobId, now.AddMinutes(-minutes), cancellationToken);
                    windows[minutes] = statuses;
                }

                window = statuses;
                executed = statuses.Count;
                failures = statuses.Count(status => criterion.FailureType.Counts(status));
            }
            else
            {
                counts ??= await counters.GetCountsAsync(jobId, cancellationToken);
                executed = ExecutionStatuses.All.Where(Executed.IsExecuted).Sum(status => counts[status]);
                failures = ExecutionStatuses.All.Where(status => criterion.FailureType.Counts(status)).Sum(status => counts[status]);
            }

            if (executed < Math.Max(1, criterion.MinNumberOfExecutedThings ?? 1))
            {
                continue;
            }

            var figures = await TrippedAsync(jobId, criterion, executed, failures, window, cancellationToken);
            if (figures is not null)
            {
                var scope = criterion.WindowInMinutes is { } span ? string.Create(CultureInfo.InvariantCulture, $" in {span} min") : "";
                return new AbortDecision(index, criterion, failures, executed,
                    string.Create(CultureInfo.InvariantCulture, $"abortConfig.criteriaList[{index}]: {figures}{scope}"));
            }
        }

        return null;
    }

    private async Task<string?> TrippedAsync(
        string jobId, AbortCriterion criterion, long executed, long failures, IReadOnlyList<ExecutionStatus>? window, CancellationToken cancellationToken)
    {
        var label = criterion.FailureType.Label();
        if (criterion.ThresholdPercentage is { } percentage && failures * 100m / executed is var rate && rate >= percentage)
        {
            return string.Create(CultureInfo.InvariantCulture,
                $"{failures} {label} of {executed} executed ({decimal.Round(rate, 2, MidpointRounding.AwayFromZero):0.##}%) >= {percentage:G29}%");
        }

        if (criterion.ThresholdCount is { } count && failures >= count)
        {
            return string.Create(CultureInfo.InvariantCulture, $"{failures} {label} of {executed} executed >= {count}");
        }

        if (criterion.ConsecutiveFailures is { } run)
        {
            var streak = window is null
                ? await StreakAsync(jobId, criterion.FailureType, run, cancellationToken)
                : Streak(window, criterion.FailureType, run);
            if (streak >= run)
            {
                return string.Create(CultureInfo.InvariantCulture, $"the latest {streak} executed were {label} >= {run} consecutive");
            }
        }

        return null;
    }

    /// <summary>The executed statuses of the executions that ended at or after <paramref name="since"/>, newest first.</summary>
    private async Task<List<ExecutionStatus>> ReadEndedAsync(string jobId, DateTimeOffset since, CancellationToken cancellationToken)
    {
        var statuses = new List<ExecutionStatus>();
        string? token = null;
        do
        {
            var page = await ended.ListEndedExecutionsAsync(jobId, since, PageSize, token, cancellationToken);
            statuses.AddRange(page.Items.Where(item => item.EndedAt >= since && item.Status.IsExecuted()).Select(item => item.Status));
            token = page.NextPageToken;
        }
        while (token is not null);

        return statuses;
    }

    /// <summary>How many of the latest executed executions in a row are failures, counting no further than <paramref name="run"/>.</summary>
    private async Task<int> StreakAsync(string jobId, FailureType type, int run, CancellationToken cancellationToken)
    {
        var streak = 0;
        string? token = null;
        do
        {
            var page = await ended.ListEndedExecutionsAsync(jobId, endedAtOrAfter: null, Math.Min(PageSize, run + 1), token, cancellationToken);
            foreach (var status in page.Items.Select(item => item.Status).Where(Executed.IsExecuted))
            {
                if (!type.Counts(status))
                {
                    return streak;
                }

                if (++streak >= run)
                {
                    return streak;
                }
            }

            token = page.NextPageToken;
        }
        while (token is not null);

        return streak;
    }

    private static int Streak(IReadOnlyList<ExecutionStatus> newestFirst, FailureType type, int run) =>
        newestFirst.TakeWhile(status => type.Counts(status)).Take(run).Count();
}
