using JobsFunctions.Domain.Executions;
using JobsFunctions.Domain.Operations;
using JobsFunctions.Domain.Recording;
using JobsFunctions.TestSupport;
using Microsoft.Extensions.Time.Testing;
using static JobsFunctions.Domain.Tests.Observe;

namespace JobsFunctions.Domain.Tests.Recording;

public sealed class SnapshotsTests
{
    private readonly InMemoryRecordStore _store = new();
    private readonly StatusRecorder _recorder;

    public SnapshotsTests() => _recorder = new StatusRecorder(_store, new FakeTimeProvider(T0.AddHours(1)));

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_summary_tells_when_the_attempt_was_queued_started_and_last_changed()
    {
        var summary = new ExecutionSummary(ThingName, ExecutionStatus.InProgress, 2, 0, At(0), At(60), At(90));

        var recorded = await _recorder.RecordAsync(Snapshots.Of(JobId, summary), known: null, Cancel);

        Assert.Equal(RecordOutcome.Recorded, recorded.Outcome);
        Assert.Equal(ExecutionStatus.InProgress, recorded.Record.Status);
        Assert.Equal(2, recorded.Record.ExecutionNumber);
        Assert.Equal(new ExecutionTimes(At(0), At(60), At(90)), ExecutionTimes.Of(recorded.Record));
        Assert.All(recorded.Record.Ledger, entry => Assert.False(entry.DetailsKnown));
        Assert.Equal(1, _store.ExecutionWrites);
    }

    [Fact]
    public async Task The_same_summary_read_again_is_a_duplicate_that_writes_nothing()
    {
        var summary = new ExecutionSummary(ThingName, ExecutionStatus.Queued, 1, null, At(0), null, At(0));
        var first = await _recorder.RecordAsync(Snapshots.Of(JobId, summary), known: null, Cancel);

        var again = await _recorder.RecordAsync(Snapshots.Of(JobId, summary), first.Record, Cancel);

        Assert.Equal(RecordOutcome.Duplicate, again.Outcome);
        Assert.Equal(1, _store.ExecutionWrites);
        Assert.Single(first.Record.Ledger);
    }

    [Fact]
    public async Task A_summary_never_wipes_the_details_a_device_reported()
    {
        await _recorder.RecordAsync(Update(ExecutionStatus.InProgress, "op-1", 60, version: 2, details: Details(("progress", "40"))), Cancel);

        var recorded = await _recorder.RecordAsync(
            Snapshots.Of(JobId, new ExecutionSummary(ThingName, ExecutionStatus.InProgress, 1, null, At(0), At(60), At(120))), known: null, Cancel);

        Assert.Equal("40", recorded.Record.StatusDetails["progress"]);
        Assert.Equal(2, recorded.Record.VersionNumber);
        Assert.Equal(At(120), ExecutionTimes.Of(recorded.Record).LastChangedAt);
    }

    [Fact]
    public async Task A_description_carries_its_details_and_version_at_its_last_update()
    {
        var described = new JobExecutionDescription(JobId, ThingName, ExecutionStatus.Failed, Details(("code", "E7")), 4, 1,
            QueuedAt: At(0), StartedAt: At(10), LastUpdatedAt: At(50));

        var recorded = await _recorder.RecordAsync(Snapshots.Of(described, At(99)), known: null, Cancel);

        Assert.Equal(ExecutionStatus.Failed, recorded.Record.Status);
        Assert.Equal("E7", recorded.Record.StatusDetails["code"]);
        Assert.Equal(4, recorded.Record.VersionNumber);
        Assert.Equal(At(50), recorded.Record.LastChangedAt);
        Assert.Equal(3, recorded.Record.Ledger.Count);
    }
}
