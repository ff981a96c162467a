using JobsFunctions.Domain.Operations;
using JobsFunctions.Domain.Policies;

namespace JobsFunctions.Domain.Sweeping;

/// <summary>
/// How the sweeper runs. <paramref name="DefaultPolicy"/> applies to every IN_PROGRESS job without a policy of its own
/// (null = none). The lease is held for the run's budget plus <paramref name="LeaseMargin"/>, so a run that dies
/// mid-way frees it soon after its budget would have ended. A dry-run decision is audited once, then again only when
/// it still stands after <paramref name="DryRunRepeatAfter"/> (default 30 days), so the trail grows with distinct
/// decisions and time, never with the number of runs.
/// </summary>
public sealed record SweeperOptions(JobPolicy? DefaultPolicy = null, TimeSpan? LeaseMargin = null, TimeSpan? DryRunRepeatAfter = null)
{
    public TimeSpan LeaseMarginOrDefault => LeaseMargin ?? TimeSpan.FromMinutes(1);

    public TimeSpan DryRunRepeatAfterOrDefault => DryRunRepeatAfter ?? TimeSpan.FromDays(30);
}

/// <summary>
/// One scheduled run: its id (the invocation's request id; it names the lease owner and every action's audit entry)
/// and the time by which it stops starting new work (well before the invocation deadline, which the run's
/// cancellation token carries). What is left is resumed by the next run.
/// </summary>
/// <param name="JudgedAt">
/// The instant policies are judged at: the schedule's time when the invocation carries one (on AWS it is the same
/// instant, give or take the delivery delay, which only makes a run act a little later, never earlier), else now.
/// It keeps a run's judgement on the clock IoT's own timestamps come from, as on a local stack whose IoT runs on a
/// faster clock.
/// </param>
public sealed record SweepRun(string RunId, DateTimeOffset StopBy, DateTimeOffset? JudgedAt = null);

/// <summary>
/// Something a run could not do: sweep one job (<paramref name="JobId"/> set), or read a list of jobs to sweep
/// (<paramref name="JobId"/> null; <paramref name="Detail"/> names the list). <paramref name="ErrorCode"/> is the
/// error's stable code, or the exception's type name for an unexpected failure.
/// </summary>
public sealed record SweepFailure(string? JobId, string ErrorCode, string Detail);

/// <summary>What one run did, for the log lines and the metrics (EMF).</summary>
/// <param name="LeaseTaken">False when another run held the lease: this run did nothing else.</param>
/// <param name="Events">The account's job event switches, or null when they could not be read (<see cref="EventsCheckFailed"/>).</param>
/// <param name="Finished">True only when the run went through every job and swept each one; false when it stopped on its budget or on throttling (the next resumes) or when a job or a list of jobs failed.</param>
/// <param name="Actions">CancelJob, CancelJobExecution and UpdateJobExecution calls AWS accepted.</param>
/// <param name="DryRunActions">Dry-run decisions audited by this run (a decision already audited is not counted again).</param>
/// <param name="Skips">Actions refused because the execution had moved (version conflict, invalid transition).</param>
/// <param name="ExecutionsExamined">Open executions judged against a policy's timeouts.</param>
/// <param name="ReconciledChanges">Recorded changes of state learned from IoT's listings and descriptions.</param>
/// <param name="IotCalls">Answers and failures from AWS IoT, counted at the client: every attempt, retries included.</param>
/// <param name="Throttles">Throttled answers from AWS IoT, counted at the client, including ones the client then retried.</param>
/// <param name="JobsFailed">Jobs the run could not sweep, plus lists of jobs it could not read (each stands for at least one job).</param>
/// <param name="Failures">The failures behind <paramref name="JobsFailed"/>, at most <see cref="MaxFailuresKept"/> of them (one per job).</param>
public sealed record SweepReport(
    string RunId,
    bool LeaseTaken,
    JobEventSwitches? Events,
    bool Finished,
    int JobsSwept,
    int Actions,
    int DryRunActions,
    int Skips,
    int ExecutionsExamined,
    int ReconciledChanges,
    long IotCalls,
    long Throttles,
    int JobsFailed,
    IReadOnlyList<SweepFailure> Failures,
    TimeSpan Duration)
{
    /// <summary>A bound on the failures a report (and so a run's log) carries; <see cref="JobsFailed"/> stays exact.</summary>
    public const int MaxFailuresKept = 50;

    /// <summary>Job or job-execution events are off: the recorder hears nothing, which the handler logs as an ERROR.</summary>
    public bool EventsOff => Events is { JobEvents: false } or { JobExecutionEvents: false };

    /// <summary>The run took the lease but DescribeEventConfigurations failed: whether events are on is not known.</summary>
    public bool EventsCheckFailed => LeaseTaken && Events is null;
}
