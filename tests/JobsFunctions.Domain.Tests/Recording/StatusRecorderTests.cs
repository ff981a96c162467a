using JobsFunctions.Domain.Executions;
using JobsFunctions.Domain.Jobs;
using JobsFunctions.Domain.Recording;
using JobsFunctions.TestSupport;
using Microsoft.Extensions.Time.Testing;
using static JobsFunctions.Domain.Tests.Observe;

namespace JobsFunctions.Domain.Tests.Recording;

public sealed class StatusRecorderTests
{
    private readonly InMemoryRecordStore _store = new();
    private readonly FakeTimeProvider _clock = new(T0.AddHours(1));
    private readonly StatusRecorder _recorder;

    public StatusRecorderTests() => _recorder = new StatusRecorder(_store, _clock);

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_first_observation_is_recorded_and_the_stored_record_handed_back()
    {
        var result = await _recorder.RecordAsync(Snapshot(ExecutionStatus.Queued, "s-1", 0, version: 1), Cancel);

        Assert.Equal(RecordOutcome.Recorded, result.Outcome);
        var stored = Assert.Single(_store.Executions);
        Assert.Equal(stored.Revision, result.Record.Revision);
        Assert.Equal(1, stored.Revision);
        Assert.Equal(ExecutionStatus.Queued, stored.Status);
        Assert.Equal(T0.AddHours(1), Assert.Single(stored.Ledger).RecordedAt);
        Assert.Equal(1, (await _store.GetCountsAsync(JobId, Cancel))[ExecutionStatus.Queued]);
    }

    [Fact]
    public async Task An_event_delivered_twice_is_written_once()
    {
        await _recorder.RecordAsync(Event(ExecutionStatus.Succeeded, "evt-1", 10), Cancel);
        _clock.Advance(TimeSpan.FromMinutes(5));

        var again = await _recorder.RecordAsync(Event(ExecutionStatus.Succeeded, "evt-1", 10), Cancel);

        Assert.Equal(RecordOutcome.Duplicate, again.Outcome);
        Assert.Equal(1, _store.ExecutionWrites);
        Assert.Equal(T0.AddHours(1), Assert.Single(again.Record.Ledger).RecordedAt);
        Assert.Equal(1, (await _store.GetCountsAsync(JobId, Cancel)).Total);
    }

    [Fact]
    public async Task An_event_about_an_execution_the_store_has_not_seen_is_one_write_and_no_read()
    {
        var result = await _recorder.RecordAsync(Event(ExecutionStatus.Succeeded, "evt-1", 10), Cancel);

        Assert.Equal(RecordOutcome.Recorded, result.Outcome);
        Assert.Equal(0, _store.ExecutionReads);
        Assert.Equal(1, _store.ExecutionWrites);
        Assert.Equal(0, _store.ExecutionConflicts);
        Assert.Equal(1, (await _store.GetCountsAsync(JobId, Cancel))[ExecutionStatus.Succeeded]);
    }

    [Fact]
    public async Task An_event_about_an_execution_already_recorded_reads_it_after_the_refused_write_and_keeps_both()
    {
        await _recorder.RecordAsync(Update(ExecutionStatus.InProgress, "u-1", 5, version: 2), Cancel);
        var readsBefore = _store.ExecutionReads;

        var result = await _recorder.RecordAsync(Event(ExecutionStatus.Failed, "evt-1", 10), Cancel);

        Assert.Equal(RecordOutcome.Recorded, result.Outcome);
        Assert.Equal(1, _store.ExecutionConflicts);
        Assert.Equal(1, _store.ExecutionReads - readsBefore);
        var stored = Assert.Single(_store.Executions);
        Assert.Equal(ExecutionStatus.Failed, stored.Status);
        Assert.Equal(["u-1", "evt-1"], stored.Ledger.Select(entry => entry.ObservationId));
        var counts = await _store.GetCountsAsync(JobId, Cancel);
        Assert.Equal(0, counts[ExecutionStatus.InProgress]);
        Assert.Equal(1, counts[ExecutionStatus.Failed]);
    }

    [Fact]
    public async Task A_snapshot_is_decided_against_the_stored_record_read_first()
    {
        await _recorder.RecordAsync(Snapshot(ExecutionStatus.Queued, "s-1", 0, version: 1), Cancel);

        Assert.Equal(1, _store.ExecutionReads);
        Assert.Equal(0, _store.ExecutionConflicts);
    }

    [Fact]
    public async Task A_stale_snapshot_behind_a_terminal_event_is_written_to_the_ledger_only()
    {
        await _recorder.RecordAsync(Event(ExecutionStatus.Succeeded, "evt-1", 10), Cancel);

        var late = await _recorder.RecordAsync(Snapshot(ExecutionStatus.InProgress, "s-1", 5, version: 2), Cancel);

        Assert.Equal(RecordOutcome.LedgerOnly, late.Outcome);
        Assert.Equal(2, _store.ExecutionWrites);
        var stored = Assert.Single(_store.Executions);
        Assert.Equal(ExecutionStatus.Succeeded, stored.Status);
        Assert.Equal(["s-1", "evt-1"], stored.Ledger.Select(entry => entry.ObservationId));
        var counts = await _store.GetCountsAsync(JobId, Cancel);
        Assert.Equal(1, counts[ExecutionStatus.Succeeded]);
        Assert.Equal(1, counts.Total);
    }

    [Fact]
    public async Task A_concurrent_write_between_read_and_save_is_retried_and_both_observations_are_kept()
    {
        var concurrent = new StatusRecorder(_store, _clock);
        var interfered = false;
        _store.BeforeExecutionSave = async (_, cancellationToken) =>
        {
            if (!interfered)
            {
                interfered = true;
                await concurrent.RecordAsync(Snapshot(ExecutionStatus.InProgress, "s-2", 5, version: 2), cancellationToken);
            }
        };

        var result = await _recorder.RecordAsync(Event(ExecutionStatus.Succeeded, "evt-1", 10), Cancel);

        Assert.Equal(RecordOutcome.Recorded, result.Outcome);
        Assert.Equal(1, _store.ExecutionConflicts);
        var stored = Assert.Single(_store.Executions);
        Assert.Equal(ExecutionStatus.Succeeded, stored.Status);
        Assert.Equal(2, stored.Revision);
        Assert.Equal(["s-2", "evt-1"], stored.Ledger.Select(entry => entry.ObservationId));
        var counts = await _store.GetCountsAsync(JobId, Cancel);
        Assert.Equal(0, counts[ExecutionStatus.InProgress]);
        Assert.Equal(1, counts[ExecutionStatus.Succeeded]);
    }

    [Fact]
    public async Task When_a_concurrent_writer_stored_the_same_event_first_the_retry_writes_nothing()
    {
        var concurrent = new StatusRecorder(_store, _clock);
        var interfered = false;
        _store.BeforeExecutionSave = async (_, cancellationToken) =>
        {
            if (!interfered)
            {
                interfered = true;
                await concurrent.RecordAsync(Event(ExecutionStatus.Failed, "evt-1", 10), cancellationToken);
            }
        };

        var result = await _recorder.RecordAsync(Event(ExecutionStatus.Failed, "evt-1", 10), Cancel);

        Assert.Equal(RecordOutcome.Duplicate, result.Outcome);
        Assert.Equal(1, _store.ExecutionWrites);
        Assert.Equal(1, (await _store.GetCountsAsync(JobId, Cancel))[ExecutionStatus.Failed]);
    }

    [Fact]
    public async Task A_record_that_changes_under_every_attempt_ends_in_a_ConcurrentWriteException()
    {
        var concurrent = new StatusRecorder(_store, _clock);
        var version = 1;
        _store.BeforeExecutionSave = async (_, cancellationToken) =>
        {
            version++;
            await concurrent.RecordAsync(Update(ExecutionStatus.InProgress, $"u-{version}", version, version), cancellationToken);
        };

        await Assert.ThrowsAsync<ConcurrentWriteException>(() => _recorder.RecordAsync(Event(ExecutionStatus.Succeeded, "evt-1", 100), Cancel));

        Assert.Equal(StatusRecorder.MaxAttempts, _store.ExecutionConflicts);
        var stored = Assert.Single(_store.Executions);
        Assert.Equal(["u-2", $"u-{StatusRecorder.MaxAttempts + 1}"], stored.Ledger.Select(entry => entry.ObservationId));
        Assert.False(stored.HasObserved("evt-1"));
        Assert.Equal(ExecutionStatus.InProgress, stored.Status);
        Assert.Equal(1, (await _store.GetCountsAsync(JobId, Cancel)).Total);
    }

    [Fact]
    public async Task Writers_racing_on_one_execution_leave_every_transition_and_the_first_and_last_sighting_of_each_status_in_its_ledger()
    {
        ExecutionObservation[] observations =
        [
            Snapshot(ExecutionStatus.Queued, "s-1", 0, version: 1),
            Update(ExecutionStatus.InProgress, "u-2", 10, version: 2),
            Snapshot(ExecutionStatus.InProgress, "s-2", 11, version: 2),
            Update(ExecutionStatus.InProgress, "u-3", 20, version: 3),
            Snapshot(ExecutionStatus.InProgress, "s-3", 21, version: 3),
            Event(ExecutionStatus.Succeeded, "evt-1", 30),
            Snapshot(ExecutionStatus.Succeeded, "s-4", 31, version: 4),
            Event(ExecutionStatus.Succeeded, "evt-1", 30),
        ];

        await Task.WhenAll(observations.Select(observation => Task.Run(() => _recorder.RecordAsync(observation, Cancel), Cancel)));

        var stored = Assert.Single(_store.Executions);
        Assert.Equal(ExecutionStatus.Succeeded, stored.Status);
        Assert.Equal(4, stored.VersionNumber);
        Assert.Equal(["s-1", "u-2", "s-3", "evt-1", "s-4"], stored.Ledger.Select(entry => entry.ObservationId));
        var counts = await _store.GetCountsAsync(JobId, Cancel);
        Assert.Equal(1, counts[ExecutionStatus.Succeeded]);
        Assert.Equal(1, counts.Total);
    }

    [Fact]
    public async Task A_canceled_invocation_writes_nothing()
    {
        using var canceled = new CancellationTokenSource();
        await canceled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => _recorder.RecordAsync(Event(ExecutionStatus.Failed, "evt-1", 10), canceled.Token));

        Assert.Empty(_store.Executions);
    }

    [Fact]
    public async Task A_job_event_is_recorded_once_and_a_late_snapshot_only_joins_its_history()
    {
        var first = await _recorder.RecordAsync(Job(JobStatus.Completed, "evt-1", 30), Cancel);
        var again = await _recorder.RecordAsync(Job(JobStatus.Completed, "evt-1", 30), Cancel);
        var late = await _recorder.RecordAsync(Job(JobStatus.InProgress, "snap-1", 10), Cancel);

        Assert.Equal(RecordOutcome.Recorded, first.Outcome);
        Assert.Equal(RecordOutcome.Duplicate, again.Outcome);
        Assert.Equal(RecordOutcome.LedgerOnly, late.Outcome);
        Assert.Equal(2, _store.JobWrites);
        var stored = Assert.Single(_store.Jobs);
        Assert.Equal(JobStatus.Completed, stored.Status);
        Assert.Equal(2, stored.Revision);
        Assert.Equal(late.Record.Revision, stored.Revision);
    }

    [Fact]
    public async Task A_concurrent_job_write_is_retried_and_both_events_are_kept()
    {
        var concurrent = new StatusRecorder(_store, _clock);
        var interfered = false;
        _store.BeforeJobSave = async (_, cancellationToken) =>
        {
            if (!interfered)
            {
                interfered = true;
                await concurrent.RecordAsync(Job(JobStatus.CancellationInProgress, "evt-1", 10, comment: "bad build"), cancellationToken);
            }
        };

        var result = await _recorder.RecordAsync(Job(JobStatus.Canceled, "evt-2", 12), Cancel);

        Assert.Equal(RecordOutcome.Recorded, result.Outcome);
        Assert.Equal(1, _store.JobConflicts);
        var stored = Assert.Single(_store.Jobs);
        Assert.Equal(JobStatus.Canceled, stored.Status);
        Assert.Equal("bad build", stored.Comment);
        Assert.Equal(["evt-1", "evt-2"], stored.History.Select(seen => seen.ObservationId));
    }

    [Fact]
    public async Task A_job_that_changes_under_every_attempt_ends_in_a_ConcurrentWriteException()
    {
        var concurrent = new StatusRecorder(_store, _clock);
        var round = 0;
        _store.BeforeJobSave = async (_, cancellationToken) =>
        {
            round++;
            await concurrent.RecordAsync(Job(JobStatus.InProgress, $"snap-{round}", round), cancellationToken);
        };

        await Assert.ThrowsAsync<ConcurrentWriteException>(() => _recorder.RecordAsync(Job(JobStatus.Deleted, "evt-9", 100), Cancel));

        Assert.Equal(StatusRecorder.MaxAttempts, _store.JobConflicts);
        var stored = Assert.Single(_store.Jobs);
        Assert.Equal(JobStatus.InProgress, stored.Status);
        Assert.Equal(StatusRecorder.MaxAttempts, stored.History.Count);
    }
}
