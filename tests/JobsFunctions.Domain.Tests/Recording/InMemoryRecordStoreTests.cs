using JobsFunctions.Domain.Executions;
using JobsFunctions.Domain.Jobs;
using JobsFunctions.Domain.Recording;
using JobsFunctions.TestSupport;

namespace JobsFunctions.Domain.Tests.Recording;

/// <summary>The fake is held to the same contract as the real store, plus the test hooks only it has.</summary>
public sealed class InMemoryRecordStoreTests : RecordStoreContract<InMemoryRecordStore>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    protected override ValueTask<InMemoryRecordStore> NewStoreAsync() => ValueTask.FromResult(new InMemoryRecordStore());

    [Fact]
    public async Task Writes_and_refused_writes_are_counted()
    {
        var store = new InMemoryRecordStore();
        var record = Execution("job-1", "thing-1", ExecutionStatus.Queued, 0);

        Assert.True(await store.TrySaveExecutionAsync(record, new CounterChange(null, ExecutionStatus.Queued), Cancel));
        Assert.False(await store.TrySaveExecutionAsync(record, new CounterChange(null, ExecutionStatus.Queued), Cancel));
        Assert.True(await store.TrySaveJobAsync(Job("job-1", JobStatus.InProgress, "snap-1"), Cancel));

        Assert.Equal(1, store.ExecutionWrites);
        Assert.Equal(1, store.ExecutionConflicts);
        Assert.Equal(1, store.JobWrites);
        Assert.Equal(0, store.JobConflicts);
    }

    [Fact]
    public async Task A_write_made_inside_the_hook_lands_before_the_intercepted_one_and_is_not_intercepted_itself()
    {
        var store = new InMemoryRecordStore();
        var interceptions = 0;
        store.BeforeExecutionSave = async (next, cancellationToken) =>
        {
            interceptions++;
            var other = Execution(next.JobId, next.ThingName, ExecutionStatus.InProgress, 1);
            Assert.True(await store.TrySaveExecutionAsync(other, new CounterChange(null, ExecutionStatus.InProgress), cancellationToken));
        };

        var saved = await store.TrySaveExecutionAsync(Execution("job-1", "thing-1", ExecutionStatus.Queued, 0), new CounterChange(null, ExecutionStatus.Queued), Cancel);

        Assert.False(saved);
        Assert.Equal(1, interceptions);
        Assert.Equal(ExecutionStatus.InProgress, Assert.Single(store.Executions).Status);
        Assert.Equal(1, store.ExecutionConflicts);
    }

    [Fact]
    public async Task Changing_a_saved_dictionary_afterwards_does_not_change_what_is_stored()
    {
        var store = new InMemoryRecordStore();
        var details = new Dictionary<string, string> { ["step"] = "download" };
        var record = Execution("job-1", "thing-1", ExecutionStatus.Queued, 0) with { StatusDetails = details };
        Assert.True(await store.TrySaveExecutionAsync(record, null, Cancel));

        details["step"] = "tampered";

        Assert.Equal("download", (await store.FindExecutionAsync("job-1", "thing-1", Cancel))!.StatusDetails["step"]);
    }

    [Theory]
    [InlineData("not base64!")]
    [InlineData("dGhpbmcAam9iLTE=")]
    public async Task A_page_token_that_is_not_one_of_this_lists_tokens_is_refused(string token)
    {
        var store = new InMemoryRecordStore();

        await Assert.ThrowsAsync<InvalidPageTokenException>(() => store.ListExecutionsOfJobAsync("job-1", null, 10, token, Cancel));
    }

    [Fact]
    public async Task A_limit_below_one_is_refused()
    {
        var store = new InMemoryRecordStore();

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => store.ListExecutionsOfThingAsync("thing-1", 0, null, Cancel));
    }

    [Fact]
    public async Task Counts_handed_out_are_a_snapshot_that_later_writes_do_not_change()
    {
        var store = new InMemoryRecordStore();
        Assert.True(await store.TrySaveExecutionAsync(Execution("job-1", "thing-1", ExecutionStatus.Queued, 0), new CounterChange(null, ExecutionStatus.Queued), Cancel));
        var before = await store.GetCountsAsync("job-1", Cancel);

        Assert.True(await store.TrySaveExecutionAsync(Execution("job-1", "thing-2", ExecutionStatus.Queued, 0), new CounterChange(null, ExecutionStatus.Queued), Cancel));

        Assert.Equal(1, before[ExecutionStatus.Queued]);
        Assert.Equal(["job-1"], store.CountedJobIds);
    }
}
