using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using JobsFunctions.Aws.Dynamo;
using JobsFunctions.Domain.Executions;
using JobsFunctions.Domain.Jobs;
using JobsFunctions.Domain.Recording;
using JobsFunctions.Local.Stack;
using JobsFunctions.TestSupport;

namespace JobsFunctions.Aws.IntegrationTests.Dynamo;

/// <summary>The store through the real AWS SDK against a moto server, on a table made from template.yaml.</summary>
public sealed class DynamoRecordStoreTests(MotoServer moto) : IAsyncLifetime
{
    private static readonly DateTimeOffset Start = new(2026, 11, 22, 10, 0, 0, TimeSpan.Zero);
    private readonly AmazonDynamoDBClient _dynamo = LocalDynamo.CreateClient(moto.Endpoint);
    private DynamoRecordStore _store = null!;
    private StatusRecorder _recorder = null!;
    private string _table = null!;

    public async ValueTask InitializeAsync()
    {
        _table = await TemplateTable.CreateAsync(_dynamo, RepositoryPaths.Template);
        _store = new DynamoRecordStore(_dynamo, new StoreOptions(_table, CounterShards: 4, LedgerRetention: TimeSpan.FromDays(30)));
        _recorder = new StatusRecorder(_store, TimeProvider.System);
    }

    public ValueTask DisposeAsync()
    {
        _dynamo.Dispose();
        return ValueTask.CompletedTask;
    }

    [Fact]
    public async Task A_terminal_event_records_the_execution_its_ledger_and_the_job_counter()
    {
        var outcome = await _recorder.RecordAsync(Event("e-1", "fw-1", "sensor:42", ExecutionStatus.Succeeded, 5), TestContext.Current.CancellationToken);

        Assert.Equal(RecordOutcome.Recorded, outcome.Outcome);
        var stored = await _store.FindExecutionAsync("fw-1", "sensor:42", TestContext.Current.CancellationToken);
        Assert.NotNull(stored);
        Assert.Equal(ExecutionStatus.Succeeded, stored.Status);
        Assert.Equal("download", stored.StatusDetails["step"]);
        Assert.Equal("e-1", Assert.Single(stored.Ledger).ObservationId);
        var counts = await _store.GetCountsAsync("fw-1", TestContext.Current.CancellationToken);
        Assert.Equal(1, counts[ExecutionStatus.Succeeded]);
        Assert.Equal(1, counts.Total);
    }

    [Fact]
    public async Task A_duplicate_event_changes_nothing_and_costs_no_write()
    {
        await _recorder.RecordAsync(Event("e-1", "fw-1", "t1", ExecutionStatus.Failed, 5), TestContext.Current.CancellationToken);
        var before = await RawItemAsync("JOB#fw-1", "EXEC#t1");

        var again = await _recorder.RecordAsync(Event("e-1", "fw-1", "t1", ExecutionStatus.Failed, 5), TestContext.Current.CancellationToken);

        Assert.Equal(RecordOutcome.Duplicate, again.Outcome);
        Assert.Equal(before["rev"].N, (await RawItemAsync("JOB#fw-1", "EXEC#t1"))["rev"].N);
        Assert.Equal(1, (await _store.GetCountsAsync("fw-1", TestContext.Current.CancellationToken))[ExecutionStatus.Failed]);
    }

    [Fact]
    public async Task A_status_change_moves_the_counter_from_the_old_status_to_the_new_one()
    {
        await _recorder.RecordAsync(Snapshot("s-1", "fw-1", "t1", ExecutionStatus.InProgress, 1, version: 2), TestContext.Current.CancellationToken);
        await _recorder.RecordAsync(Event("e-9", "fw-1", "t1", ExecutionStatus.TimedOut, 10), TestContext.Current.CancellationToken);

        var counts = await _store.GetCountsAsync("fw-1", TestContext.Current.CancellationToken);
        Assert.Equal(0, counts[ExecutionStatus.InProgress]);
        Assert.Equal(1, counts[ExecutionStatus.TimedOut]);
    }

    [Fact]
    public async Task Counters_stay_right_when_the_number_of_counter_shards_changes_between_writes()
    {
        var ct = TestContext.Current.CancellationToken;
        var things = Enumerable.Range(0, 12).Select(i => $"thing-{i}").ToList();
        foreach (var thing in things)
        {
            await _recorder.RecordAsync(Snapshot($"s-{thing}", "fw-1", thing, ExecutionStatus.InProgress, 1, version: 2), ct);
        }

        foreach (var shards in new[] { 16, 1 })
        {
            var resharded = new StatusRecorder(new DynamoRecordStore(_dynamo, new StoreOptions(_table, shards, LedgerRetention: null)), TimeProvider.System);
            foreach (var thing in things.Take(shards == 16 ? 6 : 12))
            {
                await resharded.RecordAsync(Event($"e-{shards}-{thing}", "fw-1", thing, shards == 16 ? ExecutionStatus.Failed : ExecutionStatus.Succeeded, shards == 16 ? 20 : 30), ct);
            }
        }

        var counts = await _store.GetCountsAsync("fw-1", ct);
        Assert.Equal(0, counts[ExecutionStatus.InProgress]);
        Assert.Equal(0, counts[ExecutionStatus.Failed]);
        Assert.Equal(12, counts[ExecutionStatus.Succeeded]);
        Assert.Equal(12, counts.Total);
    }

    [Fact]
    public async Task A_late_non_terminal_snapshot_joins_the_ledger_but_does_not_undo_a_terminal_status()
    {
        await _recorder.RecordAsync(Event("e-1", "fw-1", "t1", ExecutionStatus.Succeeded, 10), TestContext.Current.CancellationToken);

        var late = await _recorder.RecordAsync(Snapshot("s-1", "fw-1", "t1", ExecutionStatus.InProgress, 5, version: 2), TestContext.Current.CancellationToken);

        Assert.Equal(RecordOutcome.LedgerOnly, late.Outcome);
        var stored = await _store.FindExecutionAsync("fw-1", "t1", TestContext.Current.CancellationToken);
        Assert.Equal(ExecutionStatus.Succeeded, stored!.Status);
        Assert.Equal(["s-1", "e-1"], stored.Ledger.Select(entry => entry.ObservationId));
        Assert.Equal(1, (await _store.GetCountsAsync("fw-1", TestContext.Current.CancellationToken)).Total);
    }

    [Fact]
    public async Task A_save_based_on_a_stale_revision_is_refused_and_leaves_the_item_alone()
    {
        await _recorder.RecordAsync(Event("e-1", "fw-1", "t1", ExecutionStatus.Failed, 5), TestContext.Current.CancellationToken);
        var stale = (await _store.FindExecutionAsync("fw-1", "t1", TestContext.Current.CancellationToken))!;
        await _recorder.RecordAsync(Snapshot("s-2", "fw-1", "t1", ExecutionStatus.Queued, 20, version: 1, execution: 2), TestContext.Current.CancellationToken);

        var saved = await _store.TrySaveExecutionAsync(stale with { Status = ExecutionStatus.Rejected }, new CounterChange(ExecutionStatus.Failed, ExecutionStatus.Rejected), TestContext.Current.CancellationToken);

        Assert.False(saved);
        var counts = await _store.GetCountsAsync("fw-1", TestContext.Current.CancellationToken);
        Assert.Equal(0, counts[ExecutionStatus.Rejected]);
        Assert.Equal(1, counts[ExecutionStatus.Queued]);
    }

    [Fact]
    public async Task Finished_executions_get_an_expiry_and_open_ones_do_not()
    {
        await _recorder.RecordAsync(Event("e-1", "fw-1", "done", ExecutionStatus.Succeeded, 5), TestContext.Current.CancellationToken);
        await _recorder.RecordAsync(Snapshot("s-1", "fw-1", "open", ExecutionStatus.InProgress, 5, version: 2), TestContext.Current.CancellationToken);

        var done = await RawItemAsync("JOB#fw-1", "EXEC#done");
        var open = await RawItemAsync("JOB#fw-1", "EXEC#open");

        Assert.Equal((Start.AddSeconds(5) + TimeSpan.FromDays(30)).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture), done["expiresAt"].N);
        Assert.False(open.ContainsKey("expiresAt"));
    }

    [Fact]
    public async Task Executions_are_listed_by_job_by_status_and_by_thing_with_paging()
    {
        var ct = TestContext.Current.CancellationToken;
        for (var i = 0; i < 5; i++)
        {
            await _recorder.RecordAsync(Event($"e-{i}", "fw-1", $"thing-{i}", ExecutionStatus.Succeeded, i), ct);
        }

        await _recorder.RecordAsync(Snapshot("s-old", "fw-1", "slow-1", ExecutionStatus.InProgress, 100, version: 2), ct);
        await _recorder.RecordAsync(Snapshot("s-new", "fw-1", "slow-2", ExecutionStatus.InProgress, 900, version: 2), ct);
        await _recorder.RecordAsync(Event("e-other", "fw-2", "thing-0", ExecutionStatus.Rejected, 3), ct);

        var all = await ReadAllAsync((token, c) => _store.ListExecutionsOfJobAsync("fw-1", null, 2, token, c));
        var succeeded = await ReadAllAsync((token, c) => _store.ListExecutionsOfJobAsync("fw-1", ExecutionStatus.Succeeded, 2, token, c));
        var ofThing = await ReadAllAsync((token, c) => _store.ListExecutionsOfThingAsync("thing-0", 1, token, c));

        Assert.Equal(7, all.Count);
        Assert.Equal(Enumerable.Range(0, 5).Select(i => $"thing-{i}"), succeeded.Select(record => record.ThingName).Order());
        Assert.Equal(["fw-1", "fw-2"], ofThing.Select(record => record.JobId).Order());
    }

    [Fact]
    public async Task Sixty_updates_with_the_largest_details_AWS_allows_leave_an_item_within_the_stated_bound()
    {
        var ct = TestContext.Current.CancellationToken;
        // Ten details of 1,024 characters: about 11 KB per update; before compaction 60 of them passed 400 KB.
        for (var recorded = 0; recorded < 60; recorded++)
        {
            var bulky = Enumerable.Range(0, 10).ToDictionary(i => $"k{i}", i => new string((char)('a' + ((i + recorded) % 26)), 1024));
            await _recorder.RecordAsync(new ExecutionObservation("fw-1", "t1", ExecutionStatus.InProgress, bulky, ObservationSource.OperatorUpdate,
                $"u-{recorded}", Start.AddSeconds(recorded), recorded + 2, 1), ct);
        }

        var stored = await _store.FindExecutionAsync("fw-1", "t1", ct);

        Assert.Equal(["u-0", "u-59"], stored!.Ledger.Select(entry => entry.ObservationId));
        Assert.InRange(DynamoItemSize.Bytes(await RawItemAsync("JOB#fw-1", "EXEC#t1")), 1, 2 * 11_000 + 2_000);
    }

    [Fact]
    public async Task An_observation_beyond_AWS_limits_that_would_overflow_the_item_is_refused_clearly_and_writes_nothing()
    {
        var ct = TestContext.Current.CancellationToken;
        await _recorder.RecordAsync(Snapshot("s-1", "fw-1", "t1", ExecutionStatus.InProgress, 1, version: 2), ct);
        var before = await RawItemAsync("JOB#fw-1", "EXEC#t1");
        // Ten values of 41,000 characters: forty times what AWS accepts, so only a bug upstream could send it.
        var oversized = Enumerable.Range(0, 10).ToDictionary(i => $"k{i}", i => new string((char)('a' + i), 41_000));
        var terminal = Event("e-final", "fw-1", "t1", ExecutionStatus.Succeeded, 1000) with { StatusDetails = oversized };

        var refused = await Assert.ThrowsAsync<RecordTooLargeException>(() => _recorder.RecordAsync(terminal, ct));

        Assert.Contains("fw-1/t1", refused.Message, StringComparison.Ordinal);
        Assert.Equal(before["rev"].N, (await RawItemAsync("JOB#fw-1", "EXEC#t1"))["rev"].N);
        var counts = await _store.GetCountsAsync("fw-1", ct);
        Assert.Equal(1, counts[ExecutionStatus.InProgress]);
        Assert.Equal(0, counts[ExecutionStatus.Succeeded]);
    }

    [Fact]
    public async Task A_page_token_of_another_list_is_refused_instead_of_restarting_or_failing_in_dynamodb()
    {
        var ct = TestContext.Current.CancellationToken;
        for (var i = 0; i < 3; i++)
        {
            await _recorder.RecordAsync(Snapshot($"s-{i}", "fw-1", $"thing-{i}", ExecutionStatus.InProgress, i, version: 2), ct);
            await _recorder.RecordAsync(Event($"e-{i}", "fw-2", $"thing-{i}", ExecutionStatus.Failed, i), ct);
        }

        var ofJob1 = (await _store.ListExecutionsOfJobAsync("fw-1", null, 1, null, ct)).NextPageToken;
        var failedOfJob2 = (await _store.ListExecutionsOfJobAsync("fw-2", ExecutionStatus.Failed, 1, null, ct)).NextPageToken;
        Assert.NotNull(ofJob1);
        Assert.NotNull(failedOfJob2);

        await Assert.ThrowsAsync<InvalidPageTokenException>(() => _store.ListExecutionsOfJobAsync("fw-1", null, 1, failedOfJob2, ct));
        await Assert.ThrowsAsync<InvalidPageTokenException>(() => _store.ListExecutionsOfJobAsync("fw-2", null, 1, ofJob1, ct));
        await Assert.ThrowsAsync<InvalidPageTokenException>(() => _store.ListExecutionsOfJobAsync("fw-1", ExecutionStatus.Failed, 1, failedOfJob2, ct));
        await Assert.ThrowsAsync<InvalidPageTokenException>(() => _store.ListExecutionsOfJobAsync("fw-2", ExecutionStatus.Succeeded, 1, failedOfJob2, ct));
        await Assert.ThrowsAsync<InvalidPageTokenException>(() => _store.ListExecutionsOfThingAsync("thing-0", 1, ofJob1, ct));
        Assert.Single((await _store.ListExecutionsOfJobAsync("fw-1", null, 1, ofJob1, ct)).Items);
    }

    [Fact]
    public async Task Job_events_in_any_order_leave_the_job_canceled_with_its_comment()
    {
        var ct = TestContext.Current.CancellationToken;
        await _recorder.RecordAsync(new JobObservation("fw-1", JobStatus.Canceled, "j-2", Start.AddSeconds(20)), ct);
        await _recorder.RecordAsync(new JobObservation("fw-1", JobStatus.CancellationInProgress, "j-1", Start.AddSeconds(10), Comment: "bad image"), ct);
        await _recorder.RecordAsync(new JobObservation("fw-1", JobStatus.CancellationInProgress, "j-1", Start.AddSeconds(10), Comment: "bad image"), ct);

        var job = await _store.FindJobAsync("fw-1", ct);

        Assert.Equal(JobStatus.Canceled, job!.Status);
        Assert.Equal("bad image", job.Comment);
        Assert.Equal(2, job.History.Count);
    }

    private async Task<List<ExecutionRecord>> ReadAllAsync(Func<string?, CancellationToken, Task<Page<ExecutionRecord>>> read)
    {
        var all = new List<ExecutionRecord>();
        string? token = null;
        do
        {
            var page = await read(token, TestContext.Current.CancellationToken);
            all.AddRange(page.Items);
            token = page.NextPageToken;
        }
        while (token is not null);
        return all;
    }

    private async Task<Dictionary<string, AttributeValue>> RawItemAsync(string pk, string sk) =>
        (await _dynamo.GetItemAsync(new GetItemRequest(_table, new() { ["PK"] = new AttributeValue(pk), ["SK"] = new AttributeValue(sk) }), TestContext.Current.CancellationToken)).Item;

    private static ExecutionObservation Event(string id, string job, string thing, ExecutionStatus status, int second) =>
        new(job, thing, status, new Dictionary<string, string> { ["step"] = "download" }, ObservationSource.Event, id, Start.AddSeconds(second));

    private static ExecutionObservation Snapshot(string id, string job, string thing, ExecutionStatus status, int second, long version, long execution = 1) =>
        new(job, thing, status, new Dictionary<string, string>(), ObservationSource.Snapshot, id, Start.AddSeconds(second), version, execution);
}
