using JobsFunctions.Domain.Executions;
using JobsFunctions.Domain.Operations;
using JobsFunctions.Domain.Recording;

namespace JobsFunctions.Domain.Sweeping;

/// <summary>
/// Brings the store up to what IoT says about one job's open executions. Pages ListJobExecutionsForJob for QUEUED and
/// IN_PROGRESS (250 a page) and records each summary through <see cref="StatusRecorder"/> (an unchanged execution is a
/// duplicate: no write, and no read beyond the store's own list of the job's open executions); an execution the store
/// holds as open that IoT no longer lists as open is described once and recorded, which repairs a missed terminal
/// event. The repair needs the whole listing in one run; a job whose listing spans runs is repaired by the describe
/// before each timeout action. A listing IoT refuses (other than throttling) fails the job but ends only the
/// reconciliation: the job is still judged on what the store holds.
/// </summary>
public sealed class JobReconciliation(IJobsControl jobs, StatusRecorder recorder, TimeProvider clock)
{
    /// <summary>The IoT list operations' maximum page.</summary>
    public const int PageSize = 250;

    private static readonly ExecutionStatus[] OpenStatuses = [ExecutionStatus.Queued, ExecutionStatus.InProgress];

    /// <summary>
    /// Reconciles <paramref name="jobId"/>, keeping <paramref name="open"/> (the store's open executions) current.
    /// Returns where to resume when the run must stop inside the listing, else null.
    /// </summary>
    internal async Task<SweepCursor?> ReconcileAsync(string jobId, Dictionary<string, ExecutionRecord> open, SweepCursor? resume, SweepTally tally)
    {
        var wholeListing = resume is not { ListingStatus: not null };
        var listedOpen = new HashSet<string>(StringComparer.Ordinal);
        var storeOpen = open.Keys.ToList();
        foreach (var status in OpenStatuses.SkipWhile(status => resume?.ListingStatus is { } at && status != at))
        {
            var token = resume?.ListingStatus == status ? resume.IotToken : null;
            do
            {
                if (tally.OutOfBudget)
                {
                    return SweepCursor.InJob(jobId, SweepCursor.JobPhase.Reconcile, status, token);
                }

                var page = await jobs.ListJobExecutionsForJobAsync(jobId, status, PageSize, token, tally.Token);
                if (!page.IsSuccess)
                {
                    return tally.Failed(jobId, page.Error) ? SweepCursor.InJob(jobId, SweepCursor.JobPhase.Reconcile, status, token) : null;
                }

                foreach (var summary in page.Value.Items)
                {
                    listedOpen.Add(summary.ThingName);
                    var observations = Snapshots.Of(jobId, summary);
                    if (observations.Count > 0)
                    {
                        Keep(open, await RecordAsync(observations, open.GetValueOrDefault(summary.ThingName), tally));
                    }
                }

                token = page.Value.NextPageToken;
            }
            while (token is not null);
        }

        if (!wholeListing)
        {
            return null;
        }

        foreach (var thingName in storeOpen.Where(thing => !listedOpen.Contains(thing)))
        {
            if (tally.OutOfBudget)
            {
                return SweepCursor.InJob(jobId, SweepCursor.JobPhase.Act);
            }

            var described = await jobs.DescribeJobExecutionAsync(jobId, thingName, null, tally.Token);
            if (described.IsSuccess)
            {
                Keep(open, await RecordAsync(Snapshots.Of(described.Value, clock.GetUtcNow()), open.GetValueOrDefault(thingName), tally));
            }
            else if (tally.Failed(jobId, described.Error))
            {
                return SweepCursor.InJob(jobId, SweepCursor.JobPhase.Act);
            }
        }

        return null;
    }

    /// <summary>Records what IoT said, counting a change of state.</summary>
    internal async Task<ExecutionRecording> RecordAsync(IReadOnlyList<ExecutionObservation> observations, ExecutionRecord? known, SweepTally tally)
    {
        var recording = await recorder.RecordAsync(observations, known, tally.Token);
        if (recording.Outcome == RecordOutcome.Recorded)
        {
            tally.ReconciledChanges++;
        }

        return recording;
    }

    /// <summary>Keeps the job's open executions as recorded now: a recording that ended the execution drops it.</summary>
    private static void Keep(Dictionary<string, ExecutionRecord> open, ExecutionRecording recording)
    {
        if (recording.Record.IsTerminal)
        {
            open.Remove(recording.Record.ThingName);
        }
        else
        {
            open[recording.Record.ThingName] = recording.Record;
        }
    }
}
