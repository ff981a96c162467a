using JobsFunctions.Domain.Policies;
using JobsFunctions.Domain.Recording;
using Xunit;

namespace JobsFunctions.TestSupport;

/// <summary>What every policy store must do; the in-memory fake and the DynamoDB store are held to the same rules.</summary>
public abstract class PolicyStoreContract<TStore>
    where TStore : IPolicyStore
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    protected abstract ValueTask<TStore> NewStoreAsync();

    /// <summary>Every member set, awkward values included (a percentage with two decimals, zero, a large window).</summary>
    private static readonly JobPolicy FullPolicy = new(
        DryRun: true,
        [
            new AbortCriterion(FailureType.Failed, Force: true, ThresholdPercentage: 8.57m, MinNumberOfExecutedThings: 50, WindowInMinutes: 15),
            new AbortCriterion(FailureType.TimedOut, ThresholdCount: 25),
            new AbortCriterion(FailureType.All, ThresholdPercentage: 100m, ConsecutiveFailures: 5, WindowInMinutes: 525600),
            new AbortCriterion(FailureType.Rejected, ThresholdPercentage: 0.01m, MinNumberOfExecutedThings: 0),
        ],
        new PolicyTimeouts(QueuedTimeoutInMinutes: 1440, InProgressTimeoutInMinutes: 120, NoProgressTimeoutInMinutes: 30, TimeoutAction.Fail));

    [Fact]
    public async Task A_policy_reads_back_member_for_member()
    {
        var store = await NewStoreAsync();
        var stored = new StoredPolicy("fw-1", FullPolicy, 1, T0, "arn:aws:iam::123456789012:user/ops");

        Assert.True(await store.TryPutAsync(stored, 0, Cancel));

        var found = (await store.FindAsync("fw-1", Cancel))!;
        Assert.Equal((stored.JobId, stored.Revision, stored.UpdatedAt, stored.UpdatedBy), (found.JobId, found.Revision, found.UpdatedAt, found.UpdatedBy));
        Assert.Equal(FullPolicy.DryRun, found.Policy.DryRun);
        Assert.Equal(FullPolicy.AbortCriteria, found.Policy.AbortCriteria);
        Assert.Equal(FullPolicy.Timeouts, found.Policy.Timeouts);
    }

    [Fact]
    public async Task A_policy_without_timeouts_or_criteria_reads_back_as_such()
    {
        var store = await NewStoreAsync();
        var bare = new StoredPolicy("fw-1", new JobPolicy(false, [], null), 1, T0, "ops");

        Assert.True(await store.TryPutAsync(bare, 0, Cancel));

        var found = (await store.FindAsync("fw-1", Cancel))!;
        Assert.False(found.Policy.DryRun);
        Assert.Empty(found.Policy.AbortCriteria);
        Assert.Null(found.Policy.Timeouts);
    }

    [Fact]
    public async Task A_put_is_refused_unless_the_stored_revision_is_the_expected_one()
    {
        var store = await NewStoreAsync();
        var first = new StoredPolicy("fw-1", FullPolicy, 1, T0, "ops");
        Assert.True(await store.TryPutAsync(first, 0, Cancel));

        var createAgain = await store.TryPutAsync(first, 0, Cancel);
        var stale = await store.TryPutAsync(first with { Revision = 2 }, 5, Cancel);
        var current = await store.TryPutAsync(first with { Revision = 2, UpdatedBy = "second" }, 1, Cancel);
        var unconditional = await store.TryPutAsync(first with { Revision = 3, UpdatedBy = "third" }, null, Cancel);

        Assert.Equal((false, false, true, true), (createAgain, stale, current, unconditional));
        var found = (await store.FindAsync("fw-1", Cancel))!;
        Assert.Equal((3L, "third"), (found.Revision, found.UpdatedBy));
    }

    [Fact]
    public async Task A_put_expecting_a_revision_of_an_absent_policy_is_refused()
    {
        var store = await NewStoreAsync();

        Assert.False(await store.TryPutAsync(new StoredPolicy("fw-1", FullPolicy, 2, T0, "ops"), 1, Cancel));
        Assert.Null(await store.FindAsync("fw-1", Cancel));
    }

    [Fact]
    public async Task A_delete_needs_the_policy_at_the_expected_revision_or_any_when_none_is_expected()
    {
        var store = await NewStoreAsync();
        Assert.True(await store.TryPutAsync(new StoredPolicy("fw-1", FullPolicy, 4, T0, "ops"), 0, Cancel));
        Assert.True(await store.TryPutAsync(new StoredPolicy("fw-2", FullPolicy, 1, T0, "ops"), 0, Cancel));

        Assert.False(await store.TryDeleteAsync("fw-1", 3, Cancel));
        Assert.True(await store.TryDeleteAsync("fw-1", 4, Cancel));
        Assert.False(await store.TryDeleteAsync("fw-1", null, Cancel));
        Assert.True(await store.TryDeleteAsync("fw-2", null, Cancel));
        Assert.False(await store.TryDeleteAsync("never", null, Cancel));

        Assert.Null(await store.FindAsync("fw-1", Cancel));
        Assert.Empty((await store.ListAsync(10, null, Cancel)).Items);
    }

    [Fact]
    public async Task Jobs_with_a_policy_are_listed_by_job_id_page_by_page()
    {
        var store = await NewStoreAsync();
        foreach (var job in new[] { "job-c", "job-a", "job-e", "job-b", "job-d" })
        {
            Assert.True(await store.TryPutAsync(new StoredPolicy(job, FullPolicy, 1, T0, "ops"), 0, Cancel));
        }

        var seen = new List<string[]>();
        string? token = null;
        do
        {
            var page = await store.ListAsync(2, token, Cancel);
            seen.Add([.. page.Items.Select(policy => policy.JobId)]);
            token = page.NextPageToken;
        }
        while (token is not null);

        Assert.Equal([["job-a", "job-b"], ["job-c", "job-d"], ["job-e"]], seen);
    }

    [Fact]
    public async Task A_page_token_that_this_list_did_not_issue_is_refused()
    {
        var store = await NewStoreAsync();

        await Assert.ThrowsAsync<InvalidPageTokenException>(() => store.ListAsync(2, "not a token!", Cancel));
    }
}
