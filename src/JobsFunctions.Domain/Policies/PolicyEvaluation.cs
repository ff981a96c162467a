using System.Globalization;
using JobsFunctions.Domain.Executions;
using JobsFunctions.Domain.Recording;

namespace JobsFunctions.Domain.Policies;

/// <summary>
/// What the abort criteria count: <em>attempts</em>, not executions. An attempt is <em>executed</em> once it reached a
/// terminal status that says how running the job went on its device: SUCCEEDED, FAILED, REJECTED or TIMED_OUT
/// (<see cref="ExecutionStatuses.IsExecuted"/>). CANCELED and REMOVED are not executed: nobody learned how the job fares on
/// that device (canceled by an operator, the job or a policy's CANCEL timeout; removed because the thing left the
/// target), and counting them would dilute the failure rate. QUEUED and IN_PROGRESS are not executed yet. A failure is
/// an executed attempt whose status the criterion's failureType names: FAILED, REJECTED or TIMED_OUT, and ALL for any
/// of the three. An execution AWS retried (jobExecutionsRetryConfig, which a policy's FAIL timeout relies on) counts
/// every attempt: its failure stays counted when the retry queues it again, and the retry's own end counts too, so a
/// job whose devices fail and are retried trips at least as early as AWS's abortConfig, which counts each attempt's
/// failure.
/// </summary>
public static class Executed
{
    public static bool Counts(this FailureType type, ExecutionStatus status) => type switch
    {
        FailureType.Failed => status == ExecutionStatus.Failed,
        FailureType.Rejected => status == ExecutionStatus.Rejected,
        FailureType.TimedOut => status == ExecutionStatus.TimedOut,
        FailureType.All => status.IsFailure(),
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
/// Judges a job's abort criteria on the ended-attempt counters the recorder keeps (<see cref="IEndedAttemptQueries"/>).
/// Without a window a criterion counts every attempt of the job (one read of the counter shards, whatever the job's
/// size); with <c>windowInMinutes</c> it counts the attempts that ended in the minutes from the one holding
/// <c>now - window</c> to now (so up to a minute more than the window, never less), read as at most window + 1
/// minute buckets per counter shard, however many executions ended in them.
/// <list type="bullet">
/// <item><c>minNumberOfExecutedThings</c> is a floor, as in AWS's abortConfig ("at least"): a criterion is not judged
/// until at least that many attempts (in the window, when it has one) are executed; without it, at least one.</item>
/// <item>Each threshold set is its own trip wire, and reaching it trips the criterion (<c>&gt;=</c>): the failure
/// percentage of executed, the failure count, or the latest N executed attempts all being failures.</item>
/// <item>Consecutive failures are judged by the minute, newest first: a minute's failures extend the run when nothing
/// else executed ended in it, and a minute in which anything else ended (its order within the minute unknown) ends the
/// run without adding to it. CANCELED and REMOVED neither count nor break the run. The run looks back at most
/// <see cref="PolicyRules.MinutesMax"/> minutes (the longest window), and reads at most N + 1 buckets and the rest of
/// the minute it stops in (a bucket per counter shard): every bucket read adds a failure or ends the run.</item>
/// <item>The first criterion that trips, in list order, is the decision.</item>
/// </list>
/// </summary>
public sealed class AbortEvaluation(IEndedAttemptQueries attempts)
{
    /// <summary>The page size of minute reads (the IoT list operations' maximum too).</summary>
    public const int PageSize = 250;

    /// <summary>How far back any criterion looks: the longest window, and the consecutive-failure run.</summary>
    public static readonly TimeSpan LongestLookBack = TimeSpan.FromMinutes(PolicyRules.MinutesMax);

    /// <summary>
    /// How long a store must keep a minute's counts: the longest look back and a day, since DynamoDB deletes an
    /// expired item up to a few days late and a read bounded by time never relies on the deletion.
    /// </summary>
    public static readonly TimeSpan EndedMinutesKept = LongestLookBack + TimeSpan.FromDays(1);

    public async Task<AbortDecision?> EvaluateAsync(
        string jobId, IReadOnlyList<AbortCriterion> criteria, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(criteria);
        StatusCounts? whole = null;
        var windows = new Dictionary<int, List<EndedMinute>>();
        for (var index = 0; index < criteria.Count; index++)
        {
            var criterion = criteria[index];
            List<EndedMinute>? window = null;
            StatusCounts counts;
            if (criterion.WindowInMinutes is { } minutes)
            {
                if (!windows.TryGetValue(minutes, out window))
                {
                    window = await ReadMinutesAsync(jobId, now.AddMinutes(-minutes), cancellationToken);
                    windows[minutes] = window;
                }

                counts = Sum(window);
            }
            else
            {
                counts = whole ??= await attempts.GetEndedAttemptCountsAsync(jobId, cancellationToken);
            }

            var executed = ExecutedIn(counts);
            var failures = FailuresIn(counts, criterion.FailureType);
            if (executed < Math.Max(1, criterion.MinNumberOfExecutedThings ?? 1))
            {
                continue;
            }

            var figures = await TrippedAsync(jobId, criterion, executed, failures, window, now, cancellationToken);
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
        string jobId, AbortCriterion criterion, long executed, long failures, List<EndedMinute>? window, DateTimeOffset now,
        CancellationToken cancellationToken)
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
                ? await StreakAsync(jobId, criterion.FailureType, run, now, cancellationToken)
                : new Streak(criterion.FailureType, run).Over(window);
            if (streak >= run)
            {
                return string.Create(CultureInfo.InvariantCulture, $"the latest {streak} executed were {label} >= {run} consecutive");
            }
        }

        return null;
    }

    /// <summary>Every minute bucket from the minute of <paramref name="since"/> on, newest first.</summary>
    private async Task<List<EndedMinute>> ReadMinutesAsync(string jobId, DateTimeOffset since, CancellationToken cancellationToken)
    {
        var minutes = new List<EndedMinute>();
        string? token = null;
        do
        {
            var page = await attempts.ListEndedMinutesAsync(jobId, since, PageSize, token, cancellationToken);
            minutes.AddRange(page.Items);
            token = page.NextPageToken;
        }
        while (token is not null);

        return minutes;
    }

    /// <summary>The run of the job's latest executed attempts, read newest first until it is decided.</summary>
    private async Task<long> StreakAsync(string jobId, FailureType type, int run, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var streak = new Streak(type, run);
        string? token = null;
        do
        {
            // Every bucket read adds a failure or ends the run, so a page of what is still missing (and one more, to
            // see the last minute complete) reads nothing the run does not need.
            var limit = (int)Math.Clamp(run - streak.Length + 1, 1, PageSize);
            var page = await attempts.ListEndedMinutesAsync(jobId, now - LongestLookBack, limit, token, cancellationToken);
            foreach (var minute in page.Items)
            {
                if (streak.Add(minute))
                {
                    return streak.Length;
                }
            }

            token = page.NextPageToken;
        }
        while (token is not null);

        return streak.Finish();
    }

    private static StatusCounts Sum(IEnumerable<EndedMinute> minutes)
    {
        var sum = new StatusCounts();
        foreach (var minute in minutes)
        {
            foreach (var status in ExecutionStatuses.All)
            {
                sum.Add(status, minute.Counts[status]);
            }
        }

        return sum;
    }

    private static long ExecutedIn(StatusCounts counts) =>
        ExecutionStatuses.All.Where(ExecutionStatuses.IsExecuted).Sum(status => counts[status]);

    private static long FailuresIn(StatusCounts counts, FailureType type) =>
        ExecutionStatuses.All.Where(status => type.Counts(status)).Sum(status => counts[status]);

    /// <summary>
    /// A run of failures over minute buckets fed newest first; a minute spread over shards arrives as adjacent
    /// buckets, so a minute is judged once the next one starts.
    /// </summary>
    private sealed class Streak(FailureType type, int run)
    {
        private DateTimeOffset? _minute;
        private long _executed;
        private long _failures;
        private bool _ended;

        public long Length { get; private set; }

        /// <summary>Takes the next bucket; true once the run is decided (broken, or long enough).</summary>
        public bool Add(EndedMinute bucket)
        {
            if (_minute is { } current && current != bucket.Minute && Judge())
            {
                return true;
            }

            _minute = bucket.Minute;
            _executed += ExecutedIn(bucket.Counts);
            _failures += FailuresIn(bucket.Counts, type);
            return false;
        }

        public long Finish()
        {
            Judge();
            return Length;
        }

        public long Over(IEnumerable<EndedMinute> newestFirst)
        {
            foreach (var bucket in newestFirst)
            {
                if (Add(bucket))
                {
                    return Length;
                }
            }

            return Finish();
        }

        private bool Judge()
        {
            if (!_ended && _executed > 0)
            {
                if (_failures < _executed)
                {
                    _ended = true;
                }
                else
                {
                    Length += _failures;
                }
            }

            _executed = 0;
            _failures = 0;
            return _ended || Length >= run;
        }
    }
}
