using JobsFunctions.Domain.Errors;
using JobsFunctions.Domain.Operations;
using JobsFunctions.Domain.Policies;
using JobsFunctions.Domain.Recording;
using JobsFunctions.Domain.Sweeping;
using JobsFunctions.TestSupport;
using JobsFunctions.TestSupport.Operations;
using Microsoft.Extensions.Time.Testing;

namespace JobsFunctions.Domain.Tests.Policies;

public sealed class PolicyServiceTests
{
    private const string JobId = "fw-2026-11";

    private static readonly PolicyDocument Timeouts = new(TimeoutConfig: new PolicyTimeoutConfig(QueuedTimeoutInMinutes: 60, Action: "CANCEL"));

    private static readonly OperatorContext Context = new("req-1", "PUT /jobs/{jobId}/policy",
        new Caller("arn:aws:iam::111122223333:user/alice"), Reason: "queued devices never start");

    private readonly RacedPolicyStore _store = new(new InMemoryPolicyStore());
    private readonly InMemoryAuditLog _audit = new();
    private readonly InMemoryRecordStore _records = new();
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 23, 9, 0, 0, TimeSpan.Zero));
    private readonly PolicyService _service;

    public PolicyServiceTests() => _service = new PolicyService(_store, _audit, Sweepers.Planner(_records, _records), _clock);

    private CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_first_policy_of_a_job_is_revision_1_stamped_with_the_caller_and_the_time()
    {
        var stored = (await _service.PutAsync(JobId, Timeouts, null, Context, Token)).Value;

        Assert.Equal((JobId, 1L, _clock.GetUtcNow(), "arn:aws:iam::111122223333:user/alice"),
            (stored.JobId, stored.Revision, stored.UpdatedAt, stored.UpdatedBy));
        Assert.Equal(new PolicyTimeouts(QueuedTimeoutInMinutes: 60), stored.Policy.Timeouts);
        Assert.Equal((1L, stored.Policy.Timeouts), ((await _store.FindAsync(JobId, Token))!.Revision, (await _store.FindAsync(JobId, Token))!.Policy.Timeouts));
    }

    [Fact]
    public async Task Each_replace_moves_the_revision_on_by_one()
    {
        await _service.PutAsync(JobId, Timeouts, null, Context, Token);
        var second = await _service.PutAsync(JobId, Timeouts with { DryRun = true }, null, Context, Token);

        Assert.Equal(2, second.Value.Revision);
        Assert.True((await _store.FindAsync(JobId, Token))!.Policy.DryRun);
    }

    [Fact]
    public async Task A_replace_whose_If_Match_names_the_current_revision_succeeds()
    {
        await _service.PutAsync(JobId, Timeouts, null, Context, Token);

        var replaced = await _service.PutAsync(JobId, Timeouts, RevisionMatch.Of(1), Context, Token);

        Assert.Equal(2, replaced.Value.Revision);
    }

    [Fact]
    public async Task A_replace_whose_If_Match_is_stale_fails_its_precondition_and_changes_nothing()
    {
        await _service.PutAsync(JobId, Timeouts, null, Context, Token);
        await _service.PutAsync(JobId, Timeouts, null, Context, Token);

        var stale = await _service.PutAsync(JobId, Timeouts with { DryRun = true }, RevisionMatch.Of(1), Context, Token);

        Assert.Equal((ErrorKind.PreconditionFailed, "preconditionFailed.policy.revision"), (stale.Error?.Kind, stale.Error?.Code));
        Assert.Contains("\"2\"", stale.Error!.Message, StringComparison.Ordinal);
        Assert.Equal((2L, false), ((await _store.FindAsync(JobId, Token))!.Revision, (await _store.FindAsync(JobId, Token))!.Policy.DryRun));
    }

    [Fact]
    public async Task If_Match_on_a_job_without_a_policy_fails_its_precondition_even_as_a_wildcard()
    {
        Assert.Equal(ErrorKind.PreconditionFailed, (await _service.PutAsync(JobId, Timeouts, RevisionMatch.Any, Context, Token)).Error?.Kind);
        Assert.Null(await _store.FindAsync(JobId, Token));
    }

    [Fact]
    public async Task A_writer_that_gets_in_between_the_read_and_the_write_fails_a_conditional_replace()
    {
        await _service.PutAsync(JobId, Timeouts, null, Context, Token);
        _store.BeforeNextWrite = () => _store.TryPutAsync(
            new StoredPolicy(JobId, new JobPolicy(false, [], null), 2, _clock.GetUtcNow(), "bob"), 1, Token).GetAwaiter().GetResult();

        var raced = await _service.PutAsync(JobId, Timeouts, RevisionMatch.Of(1), Context, Token);

        Assert.Equal(ErrorKind.PreconditionFailed, raced.Error?.Kind);
        Assert.Equal("bob", (await _store.FindAsync(JobId, Token))!.UpdatedBy);
    }

    [Fact]
    public async Task An_unconditional_replace_that_is_raced_reads_again_and_stores_the_next_revision()
    {
        await _service.PutAsync(JobId, Timeouts, null, Context, Token);
        _store.BeforeNextWrite = () => _store.TryPutAsync(
            new StoredPolicy(JobId, new JobPolicy(false, [], null), 2, _clock.GetUtcNow(), "bob"), 1, Token).GetAwaiter().GetResult();

        var replaced = await _service.PutAsync(JobId, Timeouts, null, Context, Token);

        Assert.Equal(3, replaced.Value.Revision);
    }

    [Fact]
    public async Task An_invalid_document_is_refused_before_the_store_is_read_and_the_refusal_is_audited()
    {
        var invalid = Timeouts with { TimeoutConfig = new PolicyTimeoutConfig(QueuedTimeoutInMinutes: 0, Action: "CANCEL") };

        var result = await _service.PutAsync(JobId, invalid, null, Context, Token);

        Assert.Equal("timeoutConfig.queuedTimeoutInMinutes", result.Error?.Field);
        Assert.Null(await _store.FindAsync(JobId, Token));
        var entry = Assert.Single(_audit.Entries);
        Assert.Equal(("validation.timeoutConfig.queuedTimeoutInMinutes.tooSmall", "0"), (entry.Outcome, entry.Parameters["timeoutConfig.queuedTimeoutInMinutes"]));
    }

    [Fact]
    public async Task An_invalid_job_id_is_refused_and_names_no_trail_to_write()
    {
        var result = await _service.PutAsync("job with spaces", Timeouts, null, Context, Token);

        Assert.Equal("validation.jobId.pattern", result.Error?.Code);
        Assert.Empty(_audit.Entries);
    }

    [Fact]
    public async Task A_replace_is_audited_with_who_why_the_document_and_the_revision()
    {
        await _service.PutAsync(JobId, Timeouts, null, Context, Token);
        await _service.PutAsync(JobId, Timeouts, RevisionMatch.Of(1), Context, Token);

        var entry = _audit.Entries[^1];
        Assert.Equal((PolicyService.PutOperation, AuditEntry.Succeeded, "queued devices never start"), (entry.Operation, entry.Outcome, entry.Reason));
        Assert.Equal(("2", "\"1\"", "60", "CANCEL"),
            (entry.Parameters["revision"], entry.Parameters["ifMatch"], entry.Parameters["timeoutConfig.queuedTimeoutInMinutes"], entry.Parameters["timeoutConfig.action"]));
        Assert.Equal("arn:aws:iam::111122223333:user/alice", entry.Caller.UserArn);
    }

    [Fact]
    public async Task Get_answers_the_stored_policy_or_not_found()
    {
        Assert.Equal("notFound.policy", (await _service.GetAsync(JobId, Token)).Error?.Code);
        await _service.PutAsync(JobId, Timeouts, null, Context, Token);

        Assert.Equal(1, (await _service.GetAsync(JobId, Token)).Value.Revision);
    }

    [Fact]
    public async Task Delete_removes_the_policy_and_is_audited_with_the_revision_it_removed()
    {
        await _service.PutAsync(JobId, Timeouts, null, Context, Token);

        var deleted = await _service.DeleteAsync(JobId, RevisionMatch.Of(1), Context, Token);

        Assert.True(deleted.IsSuccess);
        Assert.Null(await _store.FindAsync(JobId, Token));
        var entry = _audit.Entries[^1];
        Assert.Equal((PolicyService.DeleteOperation, "1", AuditEntry.Succeeded), (entry.Operation, entry.Parameters["revision"], entry.Outcome));
    }

    [Fact]
    public async Task Delete_with_a_stale_If_Match_keeps_the_policy_and_delete_of_nothing_is_not_found()
    {
        await _service.PutAsync(JobId, Timeouts, null, Context, Token);
        await _service.PutAsync(JobId, Timeouts, null, Context, Token);

        Assert.Equal(ErrorKind.PreconditionFailed, (await _service.DeleteAsync(JobId, RevisionMatch.Of(1), Context, Token)).Error?.Kind);
        Assert.NotNull(await _store.FindAsync(JobId, Token));
        Assert.Equal("notFound.policy", (await _service.DeleteAsync("other-job", null, Context, Token)).Error?.Code);
        Assert.Equal("notFound.policy", _audit.Entries[^1].Outcome);
    }

    [Fact]
    public void A_revision_match_shows_itself_as_the_If_Match_header_it_came_from()
    {
        Assert.Equal("\"1\",\"3\"", RevisionMatch.Of(3, 1).ToString());
        Assert.Equal("*", RevisionMatch.Any.ToString());
    }

    /// <summary>A policy store in which another writer can be made to get in just before the next conditional write.</summary>
    private sealed class RacedPolicyStore(IPolicyStore inner) : IPolicyStore
    {
        public Action? BeforeNextWrite { get; set; }

        public Task<StoredPolicy?> FindAsync(string jobId, CancellationToken cancellationToken) => inner.FindAsync(jobId, cancellationToken);

        public Task<Page<StoredPolicy>> ListAsync(int limit, string? pageToken, CancellationToken cancellationToken) =>
            inner.ListAsync(limit, pageToken, cancellationToken);

        public Task<bool> TryPutAsync(StoredPolicy next, long? expectedRevision, CancellationToken cancellationToken)
        {
            Interlope();
            return inner.TryPutAsync(next, expectedRevision, cancellationToken);
        }

        public Task<bool> TryDeleteAsync(string jobId, long? expectedRevision, CancellationToken cancellationToken)
        {
            Interlope();
            return inner.TryDeleteAsync(jobId, expectedRevision, cancellationToken);
        }

        private void Interlope()
        {
            var interloper = BeforeNextWrite;
            BeforeNextWrite = null;
            interloper?.Invoke();
        }
    }
}
