using JobsFunctions.Local.Runtime;

namespace JobsFunctions.Local.Soak;

/// <summary>The sweeper's runs over a soak, summed as they come (constant size whatever the soak's length).</summary>
/// <param name="Answered">Runs that posted a response and wrote their report line.</param>
/// <param name="FirstFailure">What the first run that did not answer said, if one did not.</param>
/// <param name="RefusedReported">Runs whose JobErrors was at least 1 and whose ERROR lines named the refused job.</param>
/// <param name="OthersSwept">Runs in which every other job's listing was answered and no ERROR line named it.</param>
/// <param name="FirstUnswept">The first run that missed another job, and which.</param>
/// <param name="OtherJobErrors">ERROR lines naming a job other than the refused one (a fault that outlasted the client's retries).</param>
/// <param name="CallsReported">The sum of the runs' IotCalls metric; <paramref name="CallsCounted"/> what the emulator answered during the runs.</param>
/// <param name="RunsCountedApart">Runs whose IotCalls or Throttles differed from the emulator's count for that run.</param>
/// <param name="MissingMetrics">Metrics the contract names that a report line lacked, with how many runs lacked each.</param>
public sealed record SoakTotals(
    long Runs,
    long Answered,
    string? FirstFailure,
    long RefusedReported,
    long OthersSwept,
    string? FirstUnswept,
    long OtherJobErrors,
    long JobErrors,
    long CallsReported,
    long CallsCounted,
    long ThrottlesReported,
    long ThrottlesCounted,
    long RunsCountedApart,
    long EventsCheckFailed,
    IReadOnlyDictionary<string, long> MissingMetrics,
    TimeSpan SweepTime,
    TimeSpan LongestSweep);

/// <summary>Sums what each sweeper run did and said against what the emulator saw.</summary>
public sealed class SoakTally
{
    /// <summary>The metrics the soak reads from each run's report line (the agreed sweeper contract).</summary>
    public static readonly IReadOnlyList<string> ContractMetrics = ["IotCalls", "Throttles", "JobErrors", "EventsCheckFailed"];

    private readonly Dictionary<string, long> _missing = new(StringComparer.Ordinal);
    private long _runs;
    private long _answered;
    private string? _firstFailure;
    private long _refusedReported;
    private long _othersSwept;
    private string? _firstUnswept;
    private long _otherJobErrors;
    private long _jobErrors;
    private long _callsReported;
    private long _callsCounted;
    private long _throttlesReported;
    private long _throttlesCounted;
    private long _countedApart;
    private long _eventsCheckFailed;
    private TimeSpan _sweepTime;
    private TimeSpan _longest;

    public long Runs => _runs;

    public long Answered => _answered;

    internal void Observe(InvocationResult result, SweepRunLog? log, EmulatorWindow window, TimeSpan duration)
    {
        _runs++;
        _sweepTime += duration;
        _longest = duration > _longest ? duration : _longest;
        _callsCounted += window.Answered;
        _throttlesCounted += window.Throttled;
        if (log is null)
        {
            _firstFailure ??= result.Outcome == InvocationOutcome.Response
                ? $"run {_runs}: answered but wrote no report line"
                : $"run {_runs}: {result.Outcome} {result.ErrorSummary}";
            _countedApart++;
            return;
        }

        _answered++;
        foreach (var metric in ContractMetrics.Where(metric => !log.Has(metric)))
        {
            _missing[metric] = _missing.GetValueOrDefault(metric) + 1;
        }

        var jobErrors = log.Metric("JobErrors");
        _jobErrors += jobErrors;
        _eventsCheckFailed += log.Metric("EventsCheckFailed");
        _refusedReported += jobErrors >= 1 && log.ErrorJobs.ContainsKey(SoakFleet.RefusedJob) ? 1 : 0;
        _otherJobErrors += log.ErrorJobs.Keys.Count(job => job != SoakFleet.RefusedJob);

        var unswept = SoakFleet.SweptEveryRun.Where(job => window.Listings.GetValueOrDefault(job) < 1 || log.ErrorJobs.ContainsKey(job)).ToList();
        if (unswept.Count == 0)
        {
            _othersSwept++;
        }
        else
        {
            _firstUnswept ??= $"run {_runs} ({log.Outcome}): {string.Join(", ", unswept)}";
        }

        var calls = log.Metric("IotCalls");
        var throttles = log.Metric("Throttles");
        _callsReported += calls;
        _throttlesReported += throttles;
        _countedApart += calls != window.Answered || throttles != window.Throttled ? 1 : 0;
    }

    public SoakTotals Snapshot() => new(
        _runs, _answered, _firstFailure, _refusedReported, _othersSwept, _firstUnswept, _otherJobErrors, _jobErrors,
        _callsReported, _callsCounted, _throttlesReported, _throttlesCounted, _countedApart, _eventsCheckFailed,
        new Dictionary<string, long>(_missing, StringComparer.Ordinal), _sweepTime, _longest);
}
