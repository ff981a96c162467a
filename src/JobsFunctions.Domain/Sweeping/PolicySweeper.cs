using JobsFunctions.Domain.Jobs;
using JobsFunctions.Domain.Operations;
using JobsFunctions.Domain.Policies;
using JobsFunctions.Domain.Recording;

namespace JobsFunctions.Domain.Sweeping;

/// <summary>
/// Applies job policies on a schedule. A run:
/// <list type="number">
/// <item>Takes the lease (one conditional write) or does nothing: two overlapping runs never act twice. The lease is
/// given back when the run ends, failed or not.</item>
/// <item>Checks once that the account's job and job-execution events are on (DescribeEventConfigurations); a check
/// that itself fails is reported as such, never as "on".</item>
/// <item>Sweeps the jobs with a policy of their own, then, when a default policy is configured, the IN_PROGRESS jobs
/// (ListJobs) without one; a job being canceled, completed or deleted is passed over.</item>
/// <item>Per job: <see cref="JobReconciliation"/> (IoT's listing into the store), <see cref="PolicyPlanner"/> (what
/// the policy calls for), <see cref="PolicyEnforcement"/> (acting, or auditing a dry run).</item>
/// <item>Isolates jobs: any failure while sweeping one (an AWS refusal, a store error, an oversized record, a bug) is
/// kept in the report with the job and its error code, and the run goes on with the next job. Only the run's own
/// deadline and throttling (the account's, not the job's) stop a run inside a job.</item>
/// <item>Stops starting new work at <see cref="SweepRun.StopBy"/> (or when AWS keeps throttling) and stores a cursor,
/// so the next run resumes at the same job, phase and IoT page. A failed job never holds the cursor: it is passed over,
/// and tried again when a later run's pass reaches it (after the jobs ahead of the cursor).</item>
/// </list>
/// </summary>
public sealed class PolicySweeper(
    IJobsControl jobs,
    IRecordStore records,
    IPolicyStore policies,
    ISweepState state,
    PolicyPlanner planner,
    JobReconciliation reconciliation,
    PolicyEnforcement enforcement,
    IJobsCallMeter meter,
    TimeProvider clock,
    SweeperOptions options)
{
    /// <summary>The page of jobs (policies, ListJobs) a run reads at a time.</summary>
    public const int PageSize = 250;

    public async Task<SweepReport> RunAsync(SweepRun run, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        var startedAt = clock.GetUtcNow();
        var callsBefore = meter.Read();
        var budget = run.StopBy > startedAt ? run.StopBy - startedAt : TimeSpan.Zero;
        var lease = await state.TryAcquireLeaseAsync(run.RunId, startedAt, budget + options.LeaseMarginOrDefault, cancellationToken);
        var tally = new SweepTally(run, clock, cancellationToken);
        if (lease is null)
        {
            return tally.Report(leaseTaken: false, events: null, passCompleted: false, meter.Read() - callsBefore, clock.GetUtcNow() - startedAt);
        }

        try
        {
            var events = await CheckEventsAsync(tally);
            var cursor = SweepCursor.Decode(await state.GetCursorAsync(SweepCursor.Name, cancellationToken));
            var stoppedAt = await SweepJobsAsync(cursor, tally);
            // Not with the run's token: a run stopped by its deadline must still say where the next one resumes.
            await state.SetCursorAsync(SweepCursor.Name, stoppedAt?.Encode(), CancellationToken.None);
            return tally.Report(leaseTaken: true, events, passCompleted: stoppedAt is null, meter.Read() - callsBefore, clock.GetUtcNow() - startedAt);
        }
        finally
        {
            await state.ReleaseLeaseAsync(lease, CancellationToken.None);
        }
    }

    /// <summary>
    /// The account's event switches, or null when the check itself failed (refused, throttled, thrown, or cut by the
    /// deadline): reported as a failed check, and the run goes on to the jobs, which the check does not guard.
    /// </summary>
    private async Task<JobEventSwitches?> CheckEventsAsync(SweepTally tally)
    {
        try
        {
            var events = await jobs.DescribeEventConfigurationsAsync(tally.Token);
            return events.IsSuccess ? events.Value : null;
        }
        catch (Exception)
        {
            return null;
        }
    }

    /// <summary>Returns where the run stopped, or null when it went through every job.</summary>
    private async Task<SweepCursor?> SweepJobsAsync(SweepCursor? cursor, SweepTally tally)
    {
        var resume = cursor;
        if (resume is null or { List: SweepCursor.JobList.OwnPolicies })
        {
            var listToken = resume?.ListToken;
            do
            {
                Page<StoredPolicy> page;
                try
                {
                    page = await policies.ListAsync(PageSize, listToken, tally.Token);
                }
                catch (Exception exception) when (!tally.IsDeadline(exception))
                {
                    // The rest of this list cannot be read: say so, and go on to the jobs under the default policy.
                    tally.ListFailed("job policies", exception.GetType().Name, exception.Message);
                    break;
                }

                foreach (var stored in page.Items.Where(item => resume?.JobId is not { } at || string.CompareOrdinal(item.JobId, at) >= 0))
                {
                    var at = resume?.JobId == stored.JobId ? resume : null;
                    resume = null;
                    if (await SweepJobAsync(stored.JobId, stored.Policy, PolicyPlanner.Label(stored.Revision), stored.Revision, at, tally) is { } stop)
                    {
                        return stop with { List = SweepCursor.JobList.OwnPolicies, ListToken = listToken };
                    }
                }

                resume = null;
                listToken = page.NextPageToken;
            }
            while (listToken is not null);

            resume = null;
        }

        return options.DefaultPolicy is { } fallback ? await SweepDefaultPolicyJobsAsync(fallback, resume, tally) : null;
    }

    private async Task<SweepCursor?> SweepDefaultPolicyJobsAsync(JobPolicy fallback, SweepCursor? resume, SweepTally tally)
    {
        var jobsToken = resume?.ListToken;
        do
        {
            var here = new SweepCursor(SweepCursor.JobList.DefaultPolicy, jobsToken, null, SweepCursor.JobPhase.Reconcile, null, null);
            if (tally.OutOfBudget)
            {
                return here;
            }

            var listed = await jobs.ListJobsAsync(JobStatus.InProgress, PageSize, jobsToken, tally.Token);
            if (!listed.IsSuccess)
            {
                if (SweepTally.MustStop(listed.Error))
                {
                    return here;
                }

                // Not this job's or that one's: the run could not learn which jobs to sweep. The next run starts over.
                tally.ListFailed("ListJobs", listed.Error.Code, listed.Error.Message);
                return null;
            }

            var page = listed.Value.Items;
            // ListJobs has no documented order: resume at the job if this page still holds it, else take the whole page.
            var from = resume?.JobId is { } resumeAt && page.ToList().FindIndex(job => job.JobId == resumeAt) is var index and >= 0 ? index : 0;
            foreach (var job in page.Skip(from))
            {
                var at = resume?.JobId == job.JobId ? resume : null;
                resume = null;
                if (await HasOwnPolicyAsync(job.JobId, tally))
                {
                    continue; // swept under its own policy
                }

                if (await SweepJobAsync(job.JobId, fallback, PolicyPlanner.DefaultPolicyLabel, 0, at, tally) is { } stop)
                {
                    return stop with { List = SweepCursor.JobList.DefaultPolicy, ListToken = jobsToken };
                }
            }

            resume = null;
            jobsToken = listed.Value.NextPageToken;
        }
        while (jobsToken is not null);

        return null;
    }

    /// <summary>True when the job has a policy of its own; a store that cannot say fails the job (it is not swept under the default).</summary>
    private async Task<bool> HasOwnPolicyAsync(string jobId, SweepTally tally)
    {
        try
        {
            return await policies.FindAsync(jobId, tally.Token) is not null;
        }
        catch (Exception exception) when (!tally.IsDeadline(exception))
        {
            tally.Failed(jobId, exception);
            return true;
        }
    }

    /// <summary>
    /// The job boundary: sweeps one job and returns where to resume when the run must stop inside it (its budget,
    /// throttling), or null when the run goes on with the next job, whether this one was swept or failed.
    /// </summary>
    private async Task<SweepCursor?> SweepJobAsync(string jobId, JobPolicy policy, string label, long revision, SweepCursor? resume, SweepTally tally)
    {
        try
        {
            return await SweepOneJobAsync(jobId, policy, label, revision, resume, tally);
        }
        catch (Exception exception) when (tally.IsDeadline(exception))
        {
            // Stopped by the run's own deadline: not the job's failure. The next run resumes it where this one entered it.
            return resume ?? SweepCursor.InJob(jobId, SweepCursor.JobPhase.Reconcile);
        }
        catch (Exception exception)
        {
            tally.Failed(jobId, exception);
            return null;
        }
    }

    private async Task<SweepCursor?> SweepOneJobAsync(string jobId, JobPolicy policy, string label, long revision, SweepCursor? resume, SweepTally tally)
    {
        if (tally.OutOfBudget)
        {
            return SweepCursor.InJob(
                jobId, resume?.Phase ?? SweepCursor.JobPhase.Reconcile, resume?.ListingStatus, resume?.IotToken, resume?.Listing, resume?.ListedChunks ?? 0);
        }

        if (await records.FindJobAsync(jobId, tally.Token) is { } job && job.Status.Stage() >= JobStatus.CancellationInProgress.Stage())
        {
            return null;
        }

        tally.JobsSwept++;
        var open = await planner.ListOpenAsync(jobId, tally.Token);
        if ((resume?.Phase ?? SweepCursor.JobPhase.Reconcile) != SweepCursor.JobPhase.Act
            && await reconciliation.ReconcileAsync(jobId, open, resume, tally) is { } stopped)
        {
            return stopped;
        }

        var stop = SweepCursor.InJob(jobId, SweepCursor.JobPhase.Act);
        if (tally.OutOfBudget)
        {
            return stop;
        }

        var plan = await planner.PlanAsync(jobId, policy, label, open.Values, tally.JudgedAt, tally.Token);
        tally.ExecutionsExamined += policy.Timeouts is null || plan.Abort is not null ? 0 : open.Count;
        if (plan.Abort is { } abort)
        {
            return await enforcement.AbortAsync(abort, policy, revision, tally) ? stop : null;
        }

        foreach (var timeout in plan.Timeouts)
        {
            if (tally.OutOfBudget || await enforcement.TimeOutAsync(timeout, policy, label, revision, reconciliation, tally))
            {
                return stop;
            }
        }

        return null;
    }
}
