using JobsFunctions.Domain.Executions;
using JobsFunctions.Domain.Jobs;

namespace JobsFunctions.Domain.Recording;

/// <summary>How recording one observation ended.</summary>
public enum RecordOutcome
{
    /// <summary>The current state changed.</summary>
    Recorded,

    /// <summary>The observation changed the ledger but not the current state (it was stale, or a heartbeat of the same state).</summary>
    LedgerOnly,

    /// <summary>Seen before, or a sighting the compacted ledger drops at once: nothing was written.</summary>
    Duplicate,
}

public sealed record ExecutionRecording(RecordOutcome Outcome, ExecutionRecord Record);

public sealed record JobRecording(RecordOutcome Outcome, JobRecord Record);

/// <summary>
/// The one entry point through which every status observation reaches the store — events, snapshots, operator
/// updates and sweeper actions alike. Reads the record, applies the rules, writes conditionally; on a concurrent
/// write it reads again and re-applies, so two writers never lose each other's observations. An IoT Jobs event skips
/// the first read (see <see cref="RecordAsync(ExecutionObservation, CancellationToken)"/>).
/// </summary>
public sealed class StatusRecorder(IRecordStore store, TimeProvider clock)
{
    /// <summary>Concurrent writers to one execution are rare (duplicates of one event); a handful of rounds settles them.</summary>
    public const int MaxAttempts = 10;

    /// <summary>
    /// Records one observation. An IoT Jobs event is first decided as the execution's first word, without reading:
    /// IoT publishes an execution's terminal status only
    /// (https://docs.aws.amazon.com/iot/latest/developerguide/events-jobs.html), so when its event arrives the store
    /// usually has no record of it, and the read would only say so. That write is conditional on the record not
    /// existing; when it does exist (a redelivery, or a snapshot or an operator update came first) the write is refused
    /// and the next round reads, as after any concurrent write. An event thus costs one write instead of a read and a
    /// write, and a redelivered one a refused write more than before.
    /// </summary>
    public Task<ExecutionRecording> RecordAsync(ExecutionObservation observation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(observation);
        return RecordAsync([observation], known: null, presumeNew: observation.Source == ObservationSource.Event, cancellationToken);
    }

    /// <summary>
    /// Records several observations of one execution (what one snapshot tells) in one write, or none when every one
    /// is already in the ledger (or dropped by its compaction). <paramref name="known"/> is the record as the caller just
    /// read it: when given, the first round decides against it instead of reading again (the stored ledger holds the
    /// same observations and maybe more, and a sighting compaction drops against fewer it drops against more, so what
    /// is a duplicate of it is a duplicate of the stored one; a write against it is conditional on its revision like
    /// any other).
    /// </summary>
    public Task<ExecutionRecording> RecordAsync(
        IReadOnlyList<ExecutionObservation> observations, ExecutionRecord? known, CancellationToken cancellationToken) =>
        RecordAsync(observations, known, presumeNew: false, cancellationToken);

    /// <param name="presumeNew">With no <paramref name="known"/> record, decide the first round as if the store had none.</param>
    private async Task<ExecutionRecording> RecordAsync(
        IReadOnlyList<ExecutionObservation> observations, ExecutionRecord? known, bool presumeNew, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(observations);
        var first = observations.Count > 0 ? observations[0] : throw new ArgumentException("Nothing to record.", nameof(observations));
        for (var attempt = 1; attempt <= MaxAttempts; attempt++)
        {
            var current = attempt == 1 && (known is not null || presumeNew)
                ? known
                : await store.FindExecutionAsync(first.JobId, first.ThingName, cancellationToken);
            switch (ExecutionRules.Apply(current, observations, clock.GetUtcNow()))
            {
                case RecordingDecision.Duplicate duplicate:
                    return new ExecutionRecording(RecordOutcome.Duplicate, duplicate.Current);
                case RecordingDecision.Record record when await store.TrySaveExecutionAsync(record.Next, record.CounterChange, cancellationToken):
                    return new ExecutionRecording(
                        record.StateChanged ? RecordOutcome.Recorded : RecordOutcome.LedgerOnly,
                        record.Next with { Revision = record.Next.Revision + 1 });
            }
        }

        throw new ConcurrentWriteException($"execution {first.JobId}/{first.ThingName}", MaxAttempts);
    }

    public async Task<JobRecording> RecordAsync(JobObservation observation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(observation);
        for (var attempt = 1; attempt <= MaxAttempts; attempt++)
        {
            var current = await store.FindJobAsync(observation.JobId, cancellationToken);
            switch (JobRules.Apply(current, observation))
            {
                case JobRecordingDecision.Duplicate duplicate:
                    return new JobRecording(RecordOutcome.Duplicate, duplicate.Current);
                case JobRecordingDecision.Record record when await store.TrySaveJobAsync(record.Next, cancellationToken):
                    return new JobRecording(
                        record.StatusChanged ? RecordOutcome.Recorded : RecordOutcome.LedgerOnly,
                        record.Next with { Revision = record.Next.Revision + 1 });
            }
        }

        throw new ConcurrentWriteException($"job {observation.JobId}", MaxAttempts);
    }
}

/// <summary>Thrown when a record kept changing under us: unexpected, so the invocation fails and Lambda retries it.</summary>
public sealed class ConcurrentWriteException(string what, int attempts)
    : Exception($"The {what} changed concurrently on each of {attempts} attempts; giving up so the invocation is retried.");
