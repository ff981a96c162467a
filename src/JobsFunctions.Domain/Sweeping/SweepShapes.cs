using System.Text;
using JobsFunctions.Domain.Executions;
using JobsFunctions.Domain.Operations;
using JobsFunctions.Domain.Policies;

namespace JobsFunctions.Domain.Sweeping;

/// <summary>
/// How the sweeper runs. <paramref name="DefaultPolicy"/> applies to every IN_PROGRESS job without a policy of its own
/// (null = none). The lease is held for the run's budget plus <paramref name="LeaseMargin"/>, so a run that dies
/// mid-way frees it soon after its budget would have ended.
/// </summary>
public sealed record SweeperOptions(JobPolicy? DefaultPolicy = null, TimeSpan? LeaseMargin = null)
{
    public TimeSpan LeaseMarginOrDefault => LeaseMargin ?? TimeSpan.FromMinutes(1);
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

/// <summary>What one run did, for the log line and the metrics (EMF).</summary>
/// <param name="LeaseTaken">False when another run held the lease: this run did nothing else.</param>
/// <param name="Events">The account's job event switches, or null when they could not be read.</param>
/// <param name="Finished">True when the run went through every job (the next starts over); false when it stopped on its budget or on throttling and the next resumes.</param>
/// <param name="Actions">CancelJob, CancelJobExecution and UpdateJobExecution calls AWS accepted.</param>
/// <param name="DryRunActions">Actions a dry-run policy recorded instead of taking.</param>
/// <param name="Skips">Actions refused because the execution had moved (version conflict, invalid transition).</param>
/// <param name="ExecutionsExamined">Open executions judged against a policy's timeouts.</param>
/// <param name="ReconciledChanges">Recorded changes of state learned from IoT's listings and descriptions.</param>
/// <param name="IotCalls">Calls made to AWS IoT Jobs (each counted once, whatever the adapter's own retries).</param>
/// <param name="Throttles">Calls AWS answered throttled after the adapter's own retries.</param>
/// <param name="Errors">Other expected failures, as <c>jobId: code</c>.</param>
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
    int IotCalls,
    int Throttles,
    IReadOnlyList<string> Errors,
    TimeSpan Duration)
{
    /// <summary>Job or job-execution events are off: the recorder hears nothing, which the handler logs as an ERROR.</summary>
    public bool EventsOff => Events is { JobEvents: false } or { JobExecutionEvents: false };
}

/// <summary>What a policy would do (preview) or did (audit): abort the job, or cancel or fail one execution.</summary>
public enum PlannedActionKind
{
    CancelJob,
    CancelExecution,
    FailExecution,
}

/// <summary>
/// One action a policy calls for, and why. For an execution, <paramref name="Status"/> and
/// <paramref name="VersionNumber"/> are as recorded (a run describes the execution again before acting).
/// <paramref name="Reason"/> names the policy, the criterion or timeout, and the figures.
/// </summary>
public sealed record PlannedAction(
    PlannedActionKind Kind,
    string JobId,
    string? ThingName,
    bool Force,
    string Reason,
    ExecutionStatus? Status = null,
    long? VersionNumber = null);

/// <summary>
/// Where a run stopped, so the next resumes there: which list of jobs (own policies, then IN_PROGRESS jobs under the
/// default policy) and the page token of the page holding the job, the job, its phase, and within reconciliation the
/// status being listed and IoT's page token.
/// </summary>
internal sealed record SweepCursor(
    SweepCursor.JobList List,
    string? ListToken,
    string? JobId,
    SweepCursor.JobPhase Phase,
    ExecutionStatus? ListingStatus,
    string? IotToken)
{
    public const string Name = "policy-sweeper";

    public enum JobList
    {
        OwnPolicies,
        DefaultPolicy,
    }

    public enum JobPhase
    {
        Reconcile,
        Act,
    }

    public string Encode() => string.Join('|', new[]
    {
        List.ToString(), ListToken, JobId, Phase.ToString(), ListingStatus?.ToWire(), IotToken,
    }.Select(field => field is null ? "-" : "+" + Convert.ToBase64String(Encoding.UTF8.GetBytes(field))));

    /// <summary>Null when there is no cursor or it cannot be read (then the sweep starts over, which is safe).</summary>
    public static SweepCursor? Decode(string? text)
    {
        var fields = text?.Split('|');
        if (fields is not { Length: 6 })
        {
            return null;
        }

        try
        {
            var values = fields.Select(field => field == "-" ? null : Encoding.UTF8.GetString(Convert.FromBase64String(field[1..]))).ToArray();
            ExecutionStatus? status = null;
            if (values[4] is { } wire)
            {
                status = ExecutionStatuses.TryParse(wire, out var parsed) ? parsed : throw new FormatException();
            }

            return new SweepCursor(Enum.Parse<JobList>(values[0]!), values[1], values[2], Enum.Parse<JobPhase>(values[3]!), status, values[5]);
        }
        catch (Exception exception) when (exception is FormatException or ArgumentException)
        {
            return null;
        }
    }
}
