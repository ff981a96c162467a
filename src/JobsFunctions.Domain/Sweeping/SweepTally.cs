using System.Globalization;
using JobsFunctions.Domain.Errors;
using JobsFunctions.Domain.Operations;

namespace JobsFunctions.Domain.Sweeping;

/// <summary>A run's budget and its figures, shared by the run's parts (one run at a time: not thread-safe).</summary>
internal sealed class SweepTally(SweepRun run, TimeProvider clock, CancellationToken token)
{
    /// <summary>Longest failure detail kept: enough for any error sentence, and a bound on the run's log line.</summary>
    private const int MaxDetailLength = 500;

    private readonly Dictionary<string, SweepFailure> _failedJobs = new(StringComparer.Ordinal);
    private readonly List<SweepFailure> _failedLists = [];
    private int _actionSequence;

    public CancellationToken Token => token;

    public bool OutOfBudget => token.IsCancellationRequested || clock.GetUtcNow() >= run.StopBy;

    public DateTimeOffset JudgedAt => run.JudgedAt ?? clock.GetUtcNow();

    public int JobsSwept { get; set; }

    public int Actions { get; set; }

    public int DryRunActions { get; set; }

    public int Skips { get; set; }

    public int ExecutionsExamined { get; set; }

    public int ReconciledChanges { get; set; }

    public int JobsFailed => _failedJobs.Count + _failedLists.Count;

    /// <summary>Unique per action within the run, and readable in the audit trail.</summary>
    public string RequestId(string jobId, string? thingName) => string.Create(CultureInfo.InvariantCulture,
        $"{run.RunId}:{++_actionSequence}:{jobId}{(thingName is null ? "" : "/" + thingName)}");

    /// <summary>Throttling is the account's, not the job's: the run stops and the next resumes where it stopped.</summary>
    public static bool MustStop(Error error) => error.Kind == ErrorKind.Throttled;

    /// <summary>
    /// Notes an expected failure of a call made for <paramref name="jobId"/>; true when the run must stop (throttled,
    /// or the call was cut by the run's own deadline, which the adapter answers as "unavailable"). Anything else fails
    /// the job (counted once per job, the first failure kept) and the run goes on.
    /// </summary>
    public bool Failed(string jobId, Error error)
    {
        if (MustStop(error) || token.IsCancellationRequested)
        {
            return true;
        }

        _failedJobs.TryAdd(jobId, new SweepFailure(jobId, error.Code, Cut(error.Message)));
        return false;
    }

    /// <summary>An unexpected failure while sweeping the job: a store error, an oversized record, a bug.</summary>
    public void Failed(string jobId, Exception exception) =>
        _failedJobs.TryAdd(jobId, new SweepFailure(jobId, exception.GetType().Name, Cut(exception.Message)));

    /// <summary>A list of jobs that could not be read; it stands for at least one job the run could not sweep.</summary>
    public void ListFailed(string list, string errorCode, string message) =>
        _failedLists.Add(new SweepFailure(null, errorCode, Cut($"{list}: {message}")));

    /// <summary>True when the run's own deadline cancelled what <paramref name="exception"/> interrupted: not a failure of the job.</summary>
    public bool IsDeadline(Exception exception) => exception is OperationCanceledException && token.IsCancellationRequested;

    public SweepReport Report(bool leaseTaken, JobEventSwitches? events, bool passCompleted, JobsCallCounts calls, TimeSpan duration) => new(
        run.RunId, leaseTaken, events, passCompleted && JobsFailed == 0, JobsSwept, Actions, DryRunActions, Skips, ExecutionsExamined,
        ReconciledChanges, calls.Calls, calls.Throttles, JobsFailed,
        [.. _failedLists.Concat(_failedJobs.Values).Take(SweepReport.MaxFailuresKept)], duration);

    private static string Cut(string text) => text.Length <= MaxDetailLength ? text : string.Concat(text.AsSpan(0, MaxDetailLength), "…");
}
