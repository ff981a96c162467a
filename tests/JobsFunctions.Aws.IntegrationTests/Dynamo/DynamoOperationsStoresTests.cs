using Amazon.DynamoDBv2;
using JobsFunctions.Aws.Dynamo;
using JobsFunctions.Domain.Errors;
using JobsFunctions.Domain.Executions;
using JobsFunctions.Domain.Operations;
using JobsFunctions.Domain.Recording;
using JobsFunctions.Local.Stack;
using JobsFunctions.TestSupport;

namespace JobsFunctions.Aws.IntegrationTests.Dynamo;

/// <summary>The audit trail and idempotency keys in the records table, through the real SDK against moto.</summary>
public sealed class DynamoOperationsStoresTests(MotoServer moto) : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 22, 12, 0, 0, TimeSpan.Zero);
    private readonly AmazonDynamoDBClient _dynamo = LocalDynamo.CreateClient(moto.Endpoint);
    private DynamoAuditLog _audit = null!;
    private DynamoIdempotencyStore _keys = null!;
    private StoreOptions _options = null!;

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _options = new StoreOptions(await TemplateTable.CreateAsync(_dynamo, RepositoryPaths.Template), 4, null);
        _audit = new DynamoAuditLog(_dynamo, _options, retention: null);
        _keys = new DynamoIdempotencyStore(_dynamo, _options);
    }

    public ValueTask DisposeAsync()
    {
        _dynamo.Dispose();
        return ValueTask.CompletedTask;
    }

    [Fact]
    public async Task A_jobs_audit_trail_reads_back_newest_first_page_by_page_with_who_what_and_why()
    {
        for (var i = 0; i < 5; i++)
        {
            await _audit.AppendAsync(Entry($"r-{i}", T0.AddMinutes(i)), Cancel);
        }

        await _audit.AppendAsync(Entry("other-job", T0, jobId: "fw-2"), Cancel);
        var first = await _audit.ListForJobAsync("fw-1", 3, null, Cancel);
        var second = await _audit.ListForJobAsync("fw-1", 3, first.NextPageToken, Cancel);

        Assert.Equal(["r-4", "r-3", "r-2"], first.Items.Select(entry => entry.RequestId));
        Assert.Equal(["r-1", "r-0"], second.Items.Select(entry => entry.RequestId));
        Assert.Null(second.NextPageToken);
        var entry = first.Items[0];
        Assert.Equal("arn:aws:iam::111122223333:user/alice", entry.Caller.UserArn);
        Assert.Equal("rollback after checksum failures", entry.Reason);
        Assert.Equal("12.5", entry.Parameters["abortConfig.criteriaList[0].thresholdPercentage"]);
        Assert.Equal(ExecutionStatus.InProgress, entry.Before!.Status);
        Assert.Equal(ExecutionStatus.Canceled, entry.After!.Status);
    }

    [Fact]
    public async Task A_page_token_of_another_jobs_trail_is_refused_as_not_issued_for_this_one()
    {
        for (var i = 0; i < 3; i++)
        {
            await _audit.AppendAsync(Entry($"r-{i}", T0.AddMinutes(i), jobId: "fw-2"), Cancel);
        }

        await _audit.AppendAsync(Entry("r-9", T0), Cancel);
        var otherJobs = await _audit.ListForJobAsync("fw-2", 1, null, Cancel);

        await Assert.ThrowsAsync<InvalidPageTokenException>(() => _audit.ListForJobAsync("fw-1", 1, otherJobs.NextPageToken, Cancel));
    }

    /// <summary>
    /// A refused request is audited with what it asked for, and a body may carry far more than any valid request
    /// (a file pasted as a description, thousands of statusDetails): the entry must still fit in one item.
    /// </summary>
    [Fact]
    public async Task An_oversized_refused_request_is_still_audited_within_the_item_size_limit()
    {
        var parameters = Enumerable.Range(0, 20_000).ToDictionary(i => $"statusDetails.k{i:D5}", _ => "value");
        parameters["description"] = new string('d', 500_000);
        var entry = Entry("r-big", T0) with { Parameters = parameters, Outcome = "validation.description.tooLong" };

        await _audit.AppendAsync(entry, Cancel);

        var stored = Assert.Single((await _audit.ListForJobAsync("fw-1", 10, null, Cancel)).Items);
        Assert.Equal("validation.description.tooLong", stored.Outcome);
        Assert.StartsWith("dddd", stored.Parameters["description"], StringComparison.Ordinal);
        Assert.InRange(stored.Parameters["description"].Length, 1000, 10_000);
        Assert.InRange(stored.Parameters.Count, 100, 19_999);
        Assert.EndsWith("more parameters not kept", stored.Parameters["…"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Appending_the_same_request_twice_keeps_the_first_entry()
    {
        await _audit.AppendAsync(Entry("r-1", T0), Cancel);
        await _audit.AppendAsync(Entry("r-1", T0) with { Outcome = "conflict.version" }, Cancel);

        var page = await _audit.ListForJobAsync("fw-1", 10, null, Cancel);

        Assert.Equal(AuditEntry.Succeeded, Assert.Single(page.Items).Outcome);
    }

    [Fact]
    public async Task With_a_retention_an_entry_expires_that_long_after_it_was_written_through_the_tables_ttl_attribute()
    {
        var kept = new DynamoAuditLog(_dynamo, _options, TimeSpan.FromDays(365));

        await kept.AppendAsync(Entry("r-kept", T0), Cancel);
        await _audit.AppendAsync(Entry("r-forever", T0.AddMinutes(1)), Cancel);

        var items = (await _dynamo.QueryAsync(new Amazon.DynamoDBv2.Model.QueryRequest
        {
            TableName = _options.TableName,
            KeyConditionExpression = "PK = :pk AND begins_with(SK, :audit)",
            ExpressionAttributeValues = new() { [":pk"] = new() { S = "JOB#fw-1" }, [":audit"] = new() { S = "AUDIT#" } },
        }, Cancel)).Items;
        var ttl = (await _dynamo.DescribeTimeToLiveAsync(_options.TableName, Cancel)).TimeToLiveDescription.AttributeName;
        Assert.Equal("expiresAt", ttl);
        Assert.Equal(2, items.Count);
        Assert.Equal(T0.AddDays(365).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture), items[0][ttl].N);
        Assert.False(items[1].ContainsKey(ttl));
        Assert.Equal(["r-forever", "r-kept"], (await _audit.ListForJobAsync("fw-1", 10, null, Cancel)).Items.Select(entry => entry.RequestId));
    }

    [Fact]
    public async Task A_claimed_key_is_returned_to_a_second_claimant_until_its_lease_ends()
    {
        var claim = Claim("req-1", T0);

        Assert.Null(await _keys.TryClaimAsync(claim, Cancel));
        var during = await _keys.TryClaimAsync(Claim("req-2", T0.AddSeconds(30)), Cancel);
        var after = await _keys.TryClaimAsync(Claim("req-3", T0.AddMinutes(2)), Cancel);

        Assert.Equal("req-1", during!.RequestId);
        Assert.Null(during.Response);
        Assert.Null(after);
    }

    [Fact]
    public async Task A_completed_key_replays_its_stored_answer_until_it_expires()
    {
        var claim = Claim("req-1", T0);
        await _keys.TryClaimAsync(claim, Cancel);
        var answer = new StoredResponse(null, new ExecutionUpdate(new ExecutionState(ExecutionStatus.InProgress, new Dictionary<string, string> { ["step"] = "2" }, 3), "{\"op\":\"reboot\"}"));
        await _keys.CompleteAsync(claim with { Response = answer }, Cancel);

        var replay = await _keys.TryClaimAsync(Claim("req-2", T0.AddHours(1)), Cancel);
        var afterExpiry = await _keys.TryClaimAsync(Claim("req-3", T0.AddDays(2)), Cancel);

        Assert.Equal(3, replay!.Response!.ExecutionUpdate!.ExecutionState!.VersionNumber);
        Assert.Equal("2", replay.Response.ExecutionUpdate.ExecutionState.StatusDetails["step"]);
        Assert.Equal("{\"op\":\"reboot\"}", replay.Response.ExecutionUpdate.JobDocument);
        Assert.Null(afterExpiry);
    }

    [Fact]
    public async Task A_stored_error_answer_keeps_its_kind_code_and_current_state()
    {
        var claim = Claim("req-1", T0);
        await _keys.TryClaimAsync(claim, Cancel);
        var conflict = Error.Conflict("conflict.version", "expectedVersion 2 is stale", new ExecutionState(ExecutionStatus.InProgress, new Dictionary<string, string>(), 5));
        await _keys.CompleteAsync(claim with { Response = new StoredResponse(conflict) }, Cancel);

        var replay = await _keys.TryClaimAsync(Claim("req-2", T0.AddMinutes(5)), Cancel);

        Assert.Equal(ErrorKind.Conflict, replay!.Response!.Error!.Kind);
        Assert.Equal("conflict.version", replay.Response.Error.Code);
        Assert.Equal(5, replay.Response.Error.CurrentState!.VersionNumber);
    }

    [Fact]
    public async Task A_released_claim_frees_the_key_but_a_foreign_release_does_not()
    {
        var claim = Claim("req-1", T0);
        await _keys.TryClaimAsync(claim, Cancel);

        await _keys.ReleaseAsync(Claim("someone-else", T0), Cancel);
        var stillHeld = await _keys.TryClaimAsync(Claim("req-2", T0.AddSeconds(1)), Cancel);
        await _keys.ReleaseAsync(claim, Cancel);
        var free = await _keys.TryClaimAsync(Claim("req-3", T0.AddSeconds(2)), Cancel);

        Assert.Equal("req-1", stillHeld!.RequestId);
        Assert.Null(free);
    }

    private static IdempotencyEntry Claim(string requestId, DateTimeOffset at) =>
        new("arn:aws:iam::111122223333:user/alice", "key-1", "fp-1", requestId, at, at.AddMinutes(1), at.AddDays(1));

    private static AuditEntry Entry(string requestId, DateTimeOffset at, string jobId = "fw-1") => new(
        jobId,
        "sensor:42",
        requestId,
        at,
        new Caller(UserArn: "arn:aws:iam::111122223333:user/alice", AccountId: "111122223333"),
        "CancelJobExecution",
        "PUT /things/{thingName}/jobs/{jobId}/cancel",
        new Dictionary<string, string> { ["abortConfig.criteriaList[0].thresholdPercentage"] = "12.5" },
        "rollback after checksum failures",
        AuditEntry.Succeeded,
        new ExecutionState(ExecutionStatus.InProgress, new Dictionary<string, string>(), 2),
        new ExecutionState(ExecutionStatus.Canceled, new Dictionary<string, string>(), null));
}
