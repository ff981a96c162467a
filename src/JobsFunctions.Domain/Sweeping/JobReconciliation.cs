using JobsFunctions.Domain.Executions;
using JobsFunctions.Domain.Operations;
using JobsFunctions.Domain.Recording;

namespace JobsFunctions.Domain.Sweeping;

/// <summary>
/// Brings the store up to what IoT says about one job's open executions. Pages ListJobExecutionsForJob for QUEUED and
/// IN_PROGRESS (250 a page) and records each summary through <see cref="StatusRecorder"/> (an unchanged execution is a
/// duplicate: no write, and no read beyond the store's own list of the job's open executions); an execution the store
/// holds as open that IoT no longer lists as open is described once and recorded, which repairs a missed terminal
/// event. A listing that spans runs (a big job, a run's budget, throttling) keeps the thing names it has listed so far
/// when a run stops inside it (<see cref="ISweepState.KeepListedAsync"/>, in chunks, under the listing's id in the
/// cursor), and the run that ends it reads them back, so a big job is repaired as a small one is. Kept names only
/// spare describes: one lost or unread costs a describe, never a wrong record, so a chunk that cannot be kept fails
/// the job in the run's report and the listing goes on without the repair at its end. A listing IoT refuses (other
/// than throttling) fails the job but ends only the reconciliation: the job is still judged on what the store holds.
/// </summary>
public sealed class JobReconciliation(IJobsControl jobs, StatusRecorder recorder, ISweepState state, TimeProvider clock)
{
    /// <summary>The IoT list operations' maximum page.</summary>
    public const int PageSize = 250;

    /// <summary>
    /// The most thing names one kept chunk holds: 1,000 names of at most 128 bytes are 128 KB, inside DynamoDB's 400 KB
    /// item.
    /// </summary>
    public const int ListedChunkSize = 1000;

    /// <summary>
    /// How long kept names are held: far beyond any listing (one run's budget lists tens of thousands of executions),
    /// so they bound the store's kept listings to what the last two days started.
    /// </summary>
    public static readonly TimeSpan ListedKeptFor = TimeSpan.FromDays(2);

    private static readonly ExecutionStatus[] OpenStatuses = [ExecutionStatus.Queued, ExecutionStatus.InProgress];

    /// <summary>
    /// Reconciles <paramref name="jobId"/>, keeping <paramref name="open"/> (the store's open executions) current.
    /// Returns where to resume when the run must stop inside the listing or the repair, else null.
    /// </summary>
    internal async Task<SweepCursor?> ReconcileAsync(string jobId, Dictionary<string, ExecutionRecord> open, SweepCursor? resume, SweepTally tally)
    {
        var storeOpen = open.Keys.ToList();
        var listing = new Listing(jobId, resume);
        if (resume?.Phase != SweepCursor.JobPhase.Repair)
        {
            foreach (var status in OpenStatuses.SkipWhile(status => resume?.ListingStatus is { } at && status != at))
            {
                var token = resume?.ListingStatus == status ? resume.IotToken : null;
                do
                {
                    if (tally.OutOfBudget)
                    {
                        return await StopAsync(listing, SweepCursor.JobPhase.Reconcile, status, token, tally);
                    }

                    var page = await jobs.ListJobExecutionsForJobAsync(jobId, status, PageSize, token, tally.Token);
                    if (!page.IsSuccess)
                    {
                        return tally.Failed(jobId, page.Error) ? await StopAsync(listing, SweepCursor.JobPhase.Reconcile, status, token, tally) : null;
                    }

                    foreach (var summary in page.Value.Items)
                    {
                        listing.SeenNow.Add(summary.ThingName);
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
        }

        if (listing.Id is null)
        {
            return null;
        }

        var seenBefore = listing.KeptChunks > 0 ? await state.ReadListedAsync(jobId, listing.Id, tally.Token) : new HashSet<string>();
        foreach (var thingName in storeOpen.Where(thing => !listing.SeenNow.Contains(thing) && !seenBefore.Contains(thing)))
        {
            if (tally.OutOfBudget)
            {
                return await StopAsync(listing, SweepCursor.JobPhase.Repair, null, null, tally);
            }

            var described = await jobs.DescribeJobExecutionAsync(jobId, thingName, null, tally.Token);
            if (described.IsSuccess)
            {
                Keep(open, await RecordAsync(Snapshots.Of(described.Value, clock.GetUtcNow()), open.GetValueOrDefault(thingName), tally));
                listing.SeenNow.Add(thingName);
            }
            else if (tally.Failed(jobId, described.Error))
            {
                return await StopAsync(listing, SweepCursor.JobPhase.Repair, null, null, tally);
            }
        }

        return null;
    }

    /// <summary>
    /// The cursor of a run that stops inside the listing or the repair, after keeping what this run saw (listed or
    /// described) in chunks after those kept before. When a chunk cannot be kept, a listing goes on without an id, so
    /// its end repairs nothing, and a repair gives way to the job's actions.
    /// </summary>
    private async Task<SweepCursor> StopAsync(Listing listing, SweepCursor.JobPhase phase, ExecutionStatus? status, string? token, SweepTally tally)
    {
        var id = listing.Id;
        var kept = listing.KeptChunks;
        if (id is not null && listing.SeenNow.Count > 0)
        {
            try
            {
                var expiresAt = clock.GetUtcNow() + ListedKeptFor;
                foreach (var chunk in listing.SeenNow.Order(StringComparer.Ordinal).Chunk(ListedChunkSize))
                {
                    await state.KeepListedAsync(listing.JobId, id, kept, chunk, expiresAt, tally.Token);
                    kept++;
                }
            }
            catch (Exception exception) when (!tally.IsDeadline(exception))
            {
                tally.Failed(listing.JobId, exception);
                if (phase == SweepCursor.JobPhase.Repair)
                {
                    return SweepCursor.InJob(listing.JobId, SweepCursor.JobPhase.Act);
                }

                (id, kept) = (null, 0);
            }
        }

        return SweepCursor.InJob(listing.JobId, phase, status, token, id, kept);
    }

    /// <summary>
    /// One listing of a job's open executions: its id (a new one for a new listing; none when resumed from a cursor
    /// that kept nothing: one written before listings were kept, or whose chunk could not be kept), how many chunks
    /// earlier runs kept, and the thing names this run has seen.
    /// </summary>
    private sealed class Listing
    {
        public Listing(string jobId, SweepCursor? resume)
        {
            JobId = jobId;
            var resumed = resume is { ListingStatus: not null } or { Phase: SweepCursor.JobPhase.Repair };
            Id = resumed ? resume!.Listing : Guid.NewGuid().ToString("N");
            KeptChunks = resumed ? resume!.ListedChunks : 0;
        }

        public string JobId { get; }

        public string? Id { get; }

        public int KeptChunks { get; }

        public HashSet<string> SeenNow { get; } = new(StringComparer.Ordinal);
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
