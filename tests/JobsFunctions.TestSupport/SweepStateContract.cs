using JobsFunctions.Domain.Sweeping;
using Xunit;

namespace JobsFunctions.TestSupport;

/// <summary>What every sweep-state store must do; the in-memory fake and the DynamoDB store are held to the same rules.</summary>
public abstract class SweepStateContract<TState>
    where TState : ISweepState
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    protected abstract ValueTask<TState> NewStateAsync();

    [Fact]
    public async Task The_lease_goes_to_one_taker_until_it_expires()
    {
        var state = await NewStateAsync();

        var first = await state.TryAcquireLeaseAsync("run-1", T0, Minute, Cancel);
        var whileHeld = await state.TryAcquireLeaseAsync("run-2", T0.AddSeconds(59), Minute, Cancel);
        var atExpiry = await state.TryAcquireLeaseAsync("run-3", T0.AddMinutes(1), Minute, Cancel);

        Assert.Equal(new SweepLease("run-1", T0, T0.AddMinutes(1)), first);
        Assert.Null(whileHeld);
        Assert.Equal(new SweepLease("run-3", T0.AddMinutes(1), T0.AddMinutes(2)), atExpiry);
    }

    [Fact]
    public async Task Of_many_concurrent_takers_exactly_one_gets_the_lease()
    {
        var state = await NewStateAsync();

        var leases = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => state.TryAcquireLeaseAsync($"run-{i}", T0, Minute, Cancel)));

        Assert.Single(leases, lease => lease is not null);
    }

    [Fact]
    public async Task A_released_lease_can_be_taken_again_at_once()
    {
        var state = await NewStateAsync();
        var lease = (await state.TryAcquireLeaseAsync("run-1", T0, Minute, Cancel))!;

        await state.ReleaseLeaseAsync(lease, Cancel);

        Assert.NotNull(await state.TryAcquireLeaseAsync("run-2", T0.AddSeconds(1), Minute, Cancel));
    }

    [Fact]
    public async Task A_run_whose_lease_expired_and_was_taken_over_cannot_release_its_successors()
    {
        var state = await NewStateAsync();
        var expired = (await state.TryAcquireLeaseAsync("run-1", T0, Minute, Cancel))!;
        var successor = (await state.TryAcquireLeaseAsync("run-2", T0.AddMinutes(2), Minute, Cancel))!;

        await state.ReleaseLeaseAsync(expired, Cancel);

        Assert.Null(await state.TryAcquireLeaseAsync("run-3", T0.AddMinutes(2).AddSeconds(1), Minute, Cancel));
        await state.ReleaseLeaseAsync(successor, Cancel);
        Assert.NotNull(await state.TryAcquireLeaseAsync("run-3", T0.AddMinutes(2).AddSeconds(2), Minute, Cancel));
    }

    [Fact]
    public async Task The_same_owner_taking_the_lease_twice_holds_only_the_second()
    {
        var state = await NewStateAsync();
        var first = (await state.TryAcquireLeaseAsync("run-1", T0, Minute, Cancel))!;
        var second = (await state.TryAcquireLeaseAsync("run-1", T0.AddMinutes(1), Minute, Cancel))!;

        await state.ReleaseLeaseAsync(first, Cancel);

        Assert.Null(await state.TryAcquireLeaseAsync("run-2", T0.AddMinutes(1).AddSeconds(1), Minute, Cancel));
        await state.ReleaseLeaseAsync(second, Cancel);
        Assert.NotNull(await state.TryAcquireLeaseAsync("run-2", T0.AddMinutes(1).AddSeconds(2), Minute, Cancel));
    }

    [Fact]
    public async Task Cursors_are_stored_by_name_replaced_and_removed()
    {
        var state = await NewStateAsync();

        await state.SetCursorAsync("jobs", "token-1", Cancel);
        await state.SetCursorAsync("executions:fw-1", "tok/+=", Cancel);
        await state.SetCursorAsync("jobs", "token-2", Cancel);
        await state.SetCursorAsync("executions:fw-1", null, Cancel);
        await state.SetCursorAsync("never-set", null, Cancel);

        Assert.Equal("token-2", await state.GetCursorAsync("jobs", Cancel));
        Assert.Null(await state.GetCursorAsync("executions:fw-1", Cancel));
        Assert.Null(await state.GetCursorAsync("never-set", Cancel));
    }

    [Fact]
    public async Task Of_many_concurrent_markers_exactly_one_sets_a_mark_and_it_holds_until_it_expires()
    {
        var state = await NewStateAsync();

        var set = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => state.TryMarkAsync("dryRun|fw-1|pump-1", T0, T0.AddDays(30), Cancel)));
        var laterRun = await state.TryMarkAsync("dryRun|fw-1|pump-1", T0.AddDays(29), T0.AddDays(59), Cancel);
        var other = await state.TryMarkAsync("dryRun|fw-1|pump-2", T0, T0.AddDays(30), Cancel);
        var afterExpiry = await state.TryMarkAsync("dryRun|fw-1|pump-1", T0.AddDays(30), T0.AddDays(60), Cancel);

        Assert.Single(set, taken => taken);
        Assert.False(laterRun);
        Assert.True(other);
        Assert.True(afterExpiry);
    }

    [Fact]
    public async Task A_removed_mark_can_be_set_again()
    {
        var state = await NewStateAsync();
        await state.TryMarkAsync("dryRun|fw-1|-", T0, T0.AddDays(30), Cancel);

        await state.UnmarkAsync("dryRun|fw-1|-", Cancel);
        await state.UnmarkAsync("never-set", Cancel);

        Assert.True(await state.TryMarkAsync("dryRun|fw-1|-", T0.AddMinutes(1), T0.AddDays(30), Cancel));
    }

    [Fact]
    public async Task Names_kept_for_a_listing_come_back_whole_and_apart_from_other_listings_and_jobs()
    {
        var state = await NewStateAsync();
        var first = Enumerable.Range(0, JobReconciliation.ListedChunkSize).Select(i => $"pump-{i:D4}").ToArray();
        var second = new[] { "valve-1", "valve-2" };

        await state.KeepListedAsync("fw-1", "1765152000000", 0, first, T0.AddDays(2), Cancel);
        await state.KeepListedAsync("fw-1", "1765152000000", 1, second, T0.AddDays(2), Cancel);
        await state.KeepListedAsync("fw-1", "1765152000001", 0, ["other-listing"], T0.AddDays(2), Cancel);
        await state.KeepListedAsync("fw-10", "1765152000000", 0, ["other-job"], T0.AddDays(2), Cancel);

        var kept = await state.ReadListedAsync("fw-1", "1765152000000", Cancel);

        Assert.Equal(first.Concat(second).Order(StringComparer.Ordinal), kept.Order(StringComparer.Ordinal));
        Assert.Empty(await state.ReadListedAsync("fw-2", "1765152000000", Cancel));
    }

    [Fact]
    public async Task A_chunk_kept_again_replaces_what_it_held()
    {
        var state = await NewStateAsync();
        await state.KeepListedAsync("fw-1", "1765152000000", 0, ["pump-1", "pump-2"], T0.AddDays(2), Cancel);

        await state.KeepListedAsync("fw-1", "1765152000000", 0, ["pump-3"], T0.AddDays(2), Cancel);

        Assert.Equal(["pump-3"], await state.ReadListedAsync("fw-1", "1765152000000", Cancel));
    }

    [Fact]
    public async Task A_chunk_over_its_bound_is_refused()
    {
        var state = await NewStateAsync();
        var tooMany = Enumerable.Range(0, JobReconciliation.ListedChunkSize + 1).Select(i => $"pump-{i}").ToArray();

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => state.KeepListedAsync("fw-1", "1", 0, tooMany, T0.AddDays(2), Cancel));
    }
}
