using JobsFunctions.Domain.Executions;
using JobsFunctions.Domain.Jobs;
using JobsFunctions.Domain.Recording;
using Xunit;

namespace JobsFunctions.TestSupport;

/// <summary>
/// What every record store must do, whatever holds the data: derive a test class, return an empty store from
/// <see cref="NewStoreAsync"/> (each test gets its own), and the in-memory fake and the real store are held to the
/// same rules.
/// </summary>
public abstract class RecordStoreContract<TStore>
    where TStore : IRecordStore, IRecordQueries, IEndedAttemptQueries
{
    private static readonly DateTimeOffset T0 = new(2025, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    protected abstract ValueTask<TStore> NewStoreAsync();

    [Fact]
    public async Task A_new_execution_is_stored_at_revision_1_together_with_its_counter()
    {
        var store = await NewStoreAsync();

        var saved = await store.TrySaveExecutionAsync(Execution("job-1", "thing-1", ExecutionStatus.Queued, 0), new CounterChange(null, ExecutionStatus.Queued), Cancel);

        Assert.True(saved);
        var found = await store.FindExecutionAsync("job-1", "thing-1", Cancel);
        Assert.NotNull(found);
        Assert.Equal(1, found.Revision);
        Assert.Equal(ExecutionStatus.Queued, found.Status);
        Assert.Equal(1, (await store.GetCountsAsync("job-1", Cancel))[ExecutionStatus.Queued]);
    }

    [Fact]
    public async Task The_stored_execution_reads_back_with_its_details_and_whole_ledger()
    {
        var store = await NewStoreAsync();
        var first = Execution("job-1", "thing:1", ExecutionStatus.Queued, 0);
        var decision = (RecordingDecision.Record)ExecutionRules.Apply(
            first,
            new ExecutionObservation("job-1", "thing:1", ExecutionStatus.InProgress, new Dictionary<string, string> { ["step"] = "download", ["progress"] = "40 %" },
                ObservationSource.OperatorUpdate, "op-2", T0.AddMinutes(1), 2, 1),
            T0.AddMinutes(2));

        Assert.True(await store.TrySaveExecutionAsync(decision.Next, decision.CounterChange, Cancel));

        var found = await store.FindExecutionAsync("job-1", "thing:1", Cancel);
        Assert.NotNull(found);
        Assert.Equal(ExecutionStatus.InProgress, found.Status);
        Assert.Equal("download", found.StatusDetails["step"]);
        Assert.Equal("40 %", found.StatusDetails["progress"]);
        Assert.Equal(2, found.VersionNumber);
        Assert.Equal(1, found.ExecutionNumber);
        Assert.Equal(T0.AddMinutes(1), found.LastChangedAt);
        Assert.Equal(["job-1/thing:1/Queued", "op-2"], found.Ledger.Select(entry => entry.ObservationId));
        var latest = found.Ledger[^1];
        Assert.Equal(ObservationSource.OperatorUpdate, latest.Source);
        Assert.Equal(T0.AddMinutes(2), latest.RecordedAt);
        Assert.Equal("40 %", latest.StatusDetails["progress"]);
    }

    [Fact]
    public async Task A_ledger_entry_whose_details_were_unknown_reads_back_unknown_and_keeps_the_details_reported_before()
    {
        var store = await NewStoreAsync();
        var reported = (RecordingDecision.Record)ExecutionRules.Apply(
            null,
            new ExecutionObservation("job-1", "thing-1", ExecutionStatus.InProgress, new Dictionary<string, string> { ["progress"] = "40" },
                ObservationSource.OperatorUpdate, "op-2", T0.AddMinutes(1), 2, 1),
            T0.AddMinutes(1));
        Assert.True(await store.TrySaveExecutionAsync(reported.Next, reported.CounterChange, Cancel));
        var summary = (RecordingDecision.Record)ExecutionRules.Apply(
            await store.FindExecutionAsync("job-1", "thing-1", Cancel),
            new ExecutionObservation("job-1", "thing-1", ExecutionStatus.InProgress, new Dictionary<string, string>(),
                ObservationSource.Snapshot, "list-1", T0.AddMinutes(5), ExecutionNumber: 1, DetailsKnown: false),
            T0.AddMinutes(6));

        Assert.True(await store.TrySaveExecutionAsync(summary.Next, summary.CounterChange, Cancel));

        var found = await store.FindExecutionAsync("job-1", "thing-1", Cancel);
        Assert.NotNull(found);
        Assert.Equal([true, false], found.Ledger.Select(entry => entry.DetailsKnown));
        Assert.Equal("40", found.StatusDetails["progress"]);
    }

    [Fact]
    public async Task A_heartbeating_execution_keeps_a_ledger_of_its_first_and_latest_heartbeat_with_details_only_where_they_count()
    {
        var store = await NewStoreAsync();
        var recorder = new StatusRecorder(store, TimeProvider.System);
        var outcomes = new List<RecordOutcome>();
        for (var minute = 0; minute < 30; minute++)
        {
            var heartbeat = new ExecutionObservation("job-1", "thing-1", ExecutionStatus.InProgress, new Dictionary<string, string> { ["progress"] = $"{minute}" },
                ObservationSource.Snapshot, $"describe-{minute}", T0.AddMinutes(minute), minute + 2, 1);
            outcomes.Add((await recorder.RecordAsync([heartbeat], known: null, Cancel)).Outcome);
        }

        var again = await recorder.RecordAsync([new ExecutionObservation("job-1", "thing-1", ExecutionStatus.InProgress,
            new Dictionary<string, string> { ["progress"] = "7" }, ObservationSource.Snapshot, "describe-7", T0.AddMinutes(7), 9, 1)], known: null, Cancel);

        var found = await store.FindExecutionAsync("job-1", "thing-1", Cancel);
        Assert.NotNull(found);
        Assert.Equal(30, found.Revision);
        Assert.Equal(RecordOutcome.Duplicate, again.Outcome);
        Assert.Equal(["describe-0 {}", "describe-29 {progress=29}"], found.Ledger.Select(entry =>
            $"{entry.ObservationId} {{{string.Join(", ", entry.StatusDetails.Select(pair => $"{pair.Key}={pair.Value}"))}}}"));
        Assert.Equal(("29", 31L, T0.AddMinutes(29)), (found.StatusDetails["progress"], found.VersionNumber, found.LastChangedAt));
        Assert.Equal(1, (await store.GetCountsAsync("job-1", Cancel))[ExecutionStatus.InProgress]);
    }

    [Fact]
    public async Task A_save_at_the_stored_revision_replaces_the_record_and_moves_the_counter()
    {
        var store = await NewStoreAsync();
        await CreateAsync(store, Execution("job-1", "thing-1", ExecutionStatus.Queued, 0));
        var read = await store.FindExecutionAsync("job-1", "thing-1", Cancel);

        var saved = await store.TrySaveExecutionAsync(read! with { Status = ExecutionStatus.InProgress }, new CounterChange(ExecutionStatus.Queued, ExecutionStatus.InProgress), Cancel);

        Assert.True(saved);
        Assert.Equal(2, (await store.FindExecutionAsync("job-1", "thing-1", Cancel))!.Revision);
        var counts = await store.GetCountsAsync("job-1", Cancel);
        Assert.Equal(0, counts[ExecutionStatus.Queued]);
        Assert.Equal(1, counts[ExecutionStatus.InProgress]);
    }

    [Fact]
    public async Task A_save_from_a_stale_read_is_refused_and_changes_neither_record_nor_counters()
    {
        var store = await NewStoreAsync();
        await CreateAsync(store, Execution("job-1", "thing-1", ExecutionStatus.Queued, 0));
        var staleRead = (await store.FindExecutionAsync("job-1", "thing-1", Cancel))!;
        Assert.True(await store.TrySaveExecutionAsync(staleRead with { Status = ExecutionStatus.InProgress }, new CounterChange(ExecutionStatus.Queued, ExecutionStatus.InProgress), Cancel));

        var saved = await store.TrySaveExecutionAsync(staleRead with { Status = ExecutionStatus.Canceled }, new CounterChange(ExecutionStatus.Queued, ExecutionStatus.Canceled), Cancel);

        Assert.False(saved);
        var found = await store.FindExecutionAsync("job-1", "thing-1", Cancel);
        Assert.Equal(ExecutionStatus.InProgress, found!.Status);
        Assert.Equal(2, found.Revision);
        var counts = await store.GetCountsAsync("job-1", Cancel);
        Assert.Equal(1, counts[ExecutionStatus.InProgress]);
        Assert.Equal(0, counts[ExecutionStatus.Canceled]);
        Assert.Equal(1, counts.Total);
    }

    [Fact]
    public async Task Creating_an_execution_that_already_exists_is_refused()
    {
        var store = await NewStoreAsync();
        await CreateAsync(store, Execution("job-1", "thing-1", ExecutionStatus.Queued, 0));

        var saved = await store.TrySaveExecutionAsync(Execution("job-1", "thing-1", ExecutionStatus.Succeeded, 1), new CounterChange(null, ExecutionStatus.Succeeded), Cancel);

        Assert.False(saved);
        Assert.Equal(ExecutionStatus.Queued, (await store.FindExecutionAsync("job-1", "thing-1", Cancel))!.Status);
        Assert.Equal(1, (await store.GetCountsAsync("job-1", Cancel)).Total);
    }

    [Fact]
    public async Task A_save_without_a_counter_change_leaves_the_counters_alone()
    {
        var store = await NewStoreAsync();
        await CreateAsync(store, Execution("job-1", "thing-1", ExecutionStatus.InProgress, 0));
        var read = (await store.FindExecutionAsync("job-1", "thing-1", Cancel))!;

        Assert.True(await store.TrySaveExecutionAsync(read with { VersionNumber = 7 }, null, Cancel));

        var counts = await store.GetCountsAsync("job-1", Cancel);
        Assert.Equal(1, counts[ExecutionStatus.InProgress]);
        Assert.Equal(1, counts.Total);
    }

    [Fact]
    public async Task Counters_are_kept_per_job_and_an_unknown_job_counts_zero()
    {
        var store = await NewStoreAsync();
        await CreateAsync(store, Execution("job-1", "thing-1", ExecutionStatus.Queued, 0));
        await CreateAsync(store, Execution("job-1", "thing-2", ExecutionStatus.Queued, 0));
        await CreateAsync(store, Execution("job-2", "thing-1", ExecutionStatus.Succeeded, 0));

        var first = await store.GetCountsAsync("job-1", Cancel);
        var second = await store.GetCountsAsync("job-2", Cancel);
        var unknown = await store.GetCountsAsync("job-3", Cancel);

        Assert.Equal(2, first[ExecutionStatus.Queued]);
        Assert.Equal(2, first.Total);
        Assert.Equal(1, second[ExecutionStatus.Succeeded]);
        Assert.Equal(1, second.Total);
        Assert.All(ExecutionStatuses.All, status => Assert.Equal(0, unknown[status]));
    }

    [Fact]
    public async Task Finding_what_was_never_stored_returns_null()
    {
        var store = await NewStoreAsync();
        await CreateAsync(store, Execution("job-1", "thing-1", ExecutionStatus.Queued, 0));

        Assert.Null(await store.FindExecutionAsync("job-1", "thing-2", Cancel));
        Assert.Null(await store.FindExecutionAsync("job-2", "thing-1", Cancel));
        Assert.Null(await store.FindJobAsync("job-1", Cancel));
    }

    [Fact]
    public async Task Executions_of_a_job_are_listed_by_thing_name_page_by_page()
    {
        var store = await NewStoreAsync();
        foreach (var thing in new[] { "thing-e", "thing-b", "thing-d", "thing-a", "thing-c" })
        {
            await CreateAsync(store, Execution("job-1", thing, ExecutionStatus.Queued, 0));
        }

        await CreateAsync(store, Execution("job-2", "thing-a", ExecutionStatus.Queued, 0));

        var pages = await AllPagesAsync((limit, token) => store.ListExecutionsOfJobAsync("job-1", null, limit, token, Cancel), 2);

        Assert.Equal([["thing-a", "thing-b"], ["thing-c", "thing-d"], ["thing-e"]], pages.Select(page => page.Select(record => record.ThingName).ToArray()));
        Assert.All(pages.SelectMany(page => page), record => Assert.Equal("job-1", record.JobId));
    }

    [Fact]
    public async Task Executions_of_a_job_can_be_listed_in_one_status_only()
    {
        var store = await NewStoreAsync();
        await CreateAsync(store, Execution("job-1", "thing-a", ExecutionStatus.Failed, 0));
        await CreateAsync(store, Execution("job-1", "thing-b", ExecutionStatus.Succeeded, 0));
        await CreateAsync(store, Execution("job-1", "thing-c", ExecutionStatus.Failed, 0));
        await CreateAsync(store, Execution("job-2", "thing-d", ExecutionStatus.Failed, 0));

        var pages = await AllPagesAsync((limit, token) => store.ListExecutionsOfJobAsync("job-1", ExecutionStatus.Failed, limit, token, Cancel), 1);

        Assert.Equal(["thing-a", "thing-c"], pages.SelectMany(page => page).Select(record => record.ThingName));
    }

    [Fact]
    public async Task Executions_of_a_thing_are_listed_by_job_id_page_by_page()
    {
        var store = await NewStoreAsync();
        foreach (var job in new[] { "job-c", "job-a", "job-b" })
        {
            await CreateAsync(store, Execution(job, "thing:1", ExecutionStatus.Queued, 0));
        }

        await CreateAsync(store, Execution("job-a", "thing:2", ExecutionStatus.Queued, 0));

        var pages = await AllPagesAsync((limit, token) => store.ListExecutionsOfThingAsync("thing:1", limit, token, Cancel), 2);

        Assert.Equal([["job-a", "job-b"], ["job-c"]], pages.Select(page => page.Select(record => record.JobId).ToArray()));
    }

    [Fact]
    public async Task The_last_page_carries_no_token_even_when_it_is_full()
    {
        var store = await NewStoreAsync();
        await CreateAsync(store, Execution("job-1", "thing-a", ExecutionStatus.Queued, 0));
        await CreateAsync(store, Execution("job-1", "thing-b", ExecutionStatus.Queued, 0));

        var page = await store.ListExecutionsOfJobAsync("job-1", null, 2, null, Cancel);

        Assert.Equal(2, page.Items.Count);
        Assert.Null(page.NextPageToken);
    }

    [Fact]
    public async Task A_new_job_is_stored_at_revision_1_and_a_stale_save_of_it_is_refused()
    {
        var store = await NewStoreAsync();
        var created = Job("job-1", JobStatus.InProgress, "snapshot-1");
        Assert.True(await store.TrySaveJobAsync(created, Cancel));
        var read = (await store.FindJobAsync("job-1", Cancel))!;
        Assert.Equal(1, read.Revision);
        Assert.True(await store.TrySaveJobAsync(read with { Status = JobStatus.CancellationInProgress }, Cancel));

        var stale = await store.TrySaveJobAsync(read with { Status = JobStatus.Completed }, Cancel);
        var again = await store.TrySaveJobAsync(created, Cancel);

        Assert.False(stale);
        Assert.False(again);
        var found = (await store.FindJobAsync("job-1", Cancel))!;
        Assert.Equal(JobStatus.CancellationInProgress, found.Status);
        Assert.Equal(2, found.Revision);
        Assert.Equal(["snapshot-1"], found.History.Select(seen => seen.ObservationId));
    }

    [Fact]
    public async Task Ended_minutes_are_listed_newest_first_from_the_minute_the_window_starts_in()
    {
        var store = await NewStoreAsync();
        await CreateAsync(store, Execution("job-1", "before-window", ExecutionStatus.Failed, 9));
        await CreateAsync(store, Execution("job-1", "at-start", ExecutionStatus.Failed, 10));
        await CreateAsync(store, Execution("job-1", "inside", ExecutionStatus.Succeeded, 12));
        await CreateAsync(store, Execution("job-1", "inside-too", ExecutionStatus.Rejected, 12));
        await CreateAsync(store, Execution("job-1", "newest", ExecutionStatus.TimedOut, 15));
        await CreateAsync(store, Execution("job-1", "still-open", ExecutionStatus.InProgress, 13));
        await CreateAsync(store, Execution("job-1", "canceled", ExecutionStatus.Canceled, 14));
        await CreateAsync(store, Execution("job-2", "other-job", ExecutionStatus.Failed, 14));

        var windowed = await AllMinutesAsync(store, "job-1", T0.AddMinutes(10).AddSeconds(30), limit: 10);

        Assert.Equal(
            [
                (T0.AddMinutes(15), "TIMED_OUT=1"),
                (T0.AddMinutes(12), "REJECTED=1 SUCCEEDED=1"),
                (T0.AddMinutes(10), "FAILED=1"),
            ],
            windowed);
        Assert.Equal(4, (await AllMinutesAsync(store, "job-1", T0, limit: 10)).Count);
    }

    [Fact]
    public async Task Ended_minutes_page_newest_first_without_overlap()
    {
        var store = await NewStoreAsync();
        for (var minute = 1; minute <= 7; minute++)
        {
            await CreateAsync(store, Execution("job-1", $"thing-{minute}", minute % 2 == 0 ? ExecutionStatus.Succeeded : ExecutionStatus.Failed, minute));
        }

        var pages = 0;
        var seen = new List<DateTimeOffset>();
        string? token = null;
        do
        {
            var page = await store.ListEndedMinutesAsync("job-1", T0, 3, token, Cancel);
            Assert.InRange(page.Items.Count, 0, 3);
            seen.AddRange(page.Items.Select(bucket => bucket.Minute));
            token = page.NextPageToken;
            pages++;
        }
        while (token is not null);

        Assert.Equal(Enumerable.Range(1, 7).Reverse().Select(minute => T0.AddMinutes(minute)), seen);
        Assert.InRange(pages, 3, 4);
    }

    [Fact]
    public async Task An_attempt_ends_in_the_minute_IoT_reported_the_terminal_change_not_when_it_was_recorded()
    {
        var store = await NewStoreAsync();
        var queued = Execution("job-1", "thing-1", ExecutionStatus.Queued, 0);
        await CreateAsync(store, queued);
        var read = (await store.FindExecutionAsync("job-1", "thing-1", Cancel))!;
        var failed = (RecordingDecision.Record)ExecutionRules.Apply(
            read,
            new ExecutionObservation("job-1", "thing-1", ExecutionStatus.Failed, new Dictionary<string, string>(), ObservationSource.Event, "evt-1", T0.AddMinutes(3).AddSeconds(59), null, null),
            T0.AddMinutes(30));

        Assert.True(await store.TrySaveExecutionAsync(failed.Next, failed.CounterChange, Cancel));

        Assert.Equal([(T0.AddMinutes(3), "FAILED=1")], await AllMinutesAsync(store, "job-1", T0, limit: 10));
        Assert.Equal(1, (await store.GetEndedAttemptCountsAsync("job-1", Cancel))[ExecutionStatus.Failed]);
    }

    [Fact]
    public async Task A_retry_that_queues_a_failed_execution_again_keeps_its_failure_counted()
    {
        var store = await NewStoreAsync();
        await CreateAsync(store, Execution("job-1", "thing-1", ExecutionStatus.Failed, 2));
        var read = (await store.FindExecutionAsync("job-1", "thing-1", Cancel))!;
        var retry = (RecordingDecision.Record)ExecutionRules.Apply(
            read,
            new ExecutionObservation("job-1", "thing-1", ExecutionStatus.Queued, new Dictionary<string, string>(), ObservationSource.Snapshot, "retry-2", T0.AddMinutes(3), 1, 2),
            T0.AddMinutes(4));
        Assert.False(retry.Next.IsTerminal);

        Assert.True(await store.TrySaveExecutionAsync(retry.Next, retry.CounterChange, Cancel));

        Assert.Equal(1, (await store.GetCountsAsync("job-1", Cancel))[ExecutionStatus.Queued]);
        Assert.Equal(0, (await store.GetCountsAsync("job-1", Cancel))[ExecutionStatus.Failed]);
        Assert.Equal(1, (await store.GetEndedAttemptCountsAsync("job-1", Cancel))[ExecutionStatus.Failed]);
        Assert.Equal([(T0.AddMinutes(2), "FAILED=1")], await AllMinutesAsync(store, "job-1", T0, limit: 10));
    }

    [Theory]
    [InlineData("in order")]
    [InlineData("reversed")]
    [InlineData("shuffled with duplicates")]
    public async Task Every_attempt_of_a_retried_execution_is_counted_once_whatever_the_order_and_repetition(string arrival)
    {
        var store = await NewStoreAsync();
        var recorder = new StatusRecorder(store, TimeProvider.System);
        // Attempt 1 fails, AWS retries it; attempt 2 times out, AWS retries again; attempt 3 succeeds. The failure
        // events carry no executionNumber; the sweeper's snapshots of each retry do.
        ExecutionObservation[] attempts =
        [
            Seen(ExecutionStatus.Queued, "s-1", minute: 0, version: 1, execution: 1),
            Seen(ExecutionStatus.InProgress, "s-2", minute: 1, version: 2, execution: 1),
            Seen(ExecutionStatus.Failed, "evt-1", minute: 2),
            Seen(ExecutionStatus.Queued, "s-3", minute: 3, version: 1, execution: 2),
            Seen(ExecutionStatus.TimedOut, "evt-2", minute: 5),
            Seen(ExecutionStatus.Queued, "s-4", minute: 6, version: 1, execution: 3),
            Seen(ExecutionStatus.Succeeded, "evt-3", minute: 8),
        ];
        var random = new Random(7);
        IEnumerable<ExecutionObservation> order = arrival switch
        {
            "in order" => attempts,
            "reversed" => attempts.Reverse(),
            _ => attempts.Concat(attempts.Where((_, index) => index % 2 == 0)).OrderBy(_ => random.Next()).ToList(),
        };

        foreach (var observation in order)
        {
            await recorder.RecordAsync(observation, Cancel);
        }

        var ended = await store.GetEndedAttemptCountsAsync("job-1", Cancel);
        Assert.Equal((1, 1, 1), (ended[ExecutionStatus.Failed], ended[ExecutionStatus.TimedOut], ended[ExecutionStatus.Succeeded]));
        Assert.Equal(3, ended.Total);
        Assert.Equal(1, (await store.GetCountsAsync("job-1", Cancel))[ExecutionStatus.Succeeded]);
        Assert.Equal(1, (await store.GetCountsAsync("job-1", Cancel)).Total);
        Assert.Equal(
            [(T0.AddMinutes(8), "SUCCEEDED=1"), (T0.AddMinutes(5), "TIMED_OUT=1"), (T0.AddMinutes(2), "FAILED=1")],
            await AllMinutesAsync(store, "job-1", T0, limit: 1));

        static ExecutionObservation Seen(ExecutionStatus status, string id, int minute, long? version = null, long? execution = null) =>
            new("job-1", "thing-1", status, new Dictionary<string, string>(), execution is null ? ObservationSource.Event : ObservationSource.Snapshot,
                id, T0.AddMinutes(minute), version, execution);
    }

    [Theory]
    [InlineData("ended-of-another-job")]
    [InlineData("list-of-the-job")]
    [InlineData("not a token!")]
    public async Task A_page_token_of_another_list_is_refused(string kind)
    {
        var store = await NewStoreAsync();
        foreach (var (thing, minute) in new[] { ("a", 1), ("b", 2), ("c", 3) })
        {
            await CreateAsync(store, Execution("job-1", thing, ExecutionStatus.Failed, minute));
            await CreateAsync(store, Execution("job-2", thing, ExecutionStatus.Failed, minute));
        }

        var token = kind switch
        {
            "ended-of-another-job" => (await store.ListEndedMinutesAsync("job-2", T0, 1, null, Cancel)).NextPageToken!,
            "list-of-the-job" => (await store.ListExecutionsOfJobAsync("job-1", null, 1, null, Cancel)).NextPageToken!,
            _ => kind,
        };

        await Assert.ThrowsAsync<InvalidPageTokenException>(() => store.ListEndedMinutesAsync("job-1", T0, 1, token, Cancel));
        if (kind != "list-of-the-job")
        {
            await Assert.ThrowsAsync<InvalidPageTokenException>(() => store.ListExecutionsOfJobAsync("job-1", null, 1, token, Cancel));
        }
    }

    [Fact]
    public async Task Every_job_with_a_record_is_listed_once_newest_first_page_by_page()
    {
        var store = await NewStoreAsync();
        await CreateAsync(store, Execution("job-old", "thing-1", ExecutionStatus.Queued, 1));
        await CreateAsync(store, Execution("job-old", "thing-2", ExecutionStatus.Failed, 2));
        Assert.True(await store.TrySaveJobAsync(Job("job-events-only", JobStatus.Completed, "event-1"), Cancel));
        await CreateAsync(store, Execution("job-new", "thing-1", ExecutionStatus.Succeeded, 3));
        await CreateAsync(store, Execution("job-old", "thing-3", ExecutionStatus.Queued, 4));

        var first = await store.ListJobsAsync(2, null, Cancel);
        var second = await store.ListJobsAsync(2, first.NextPageToken, Cancel);

        Assert.Equal(["job-new", "job-events-only"], first.Items.Select(job => job.JobId));
        Assert.Equal(["job-old"], second.Items.Select(job => job.JobId));
        Assert.Null(second.NextPageToken);
        Assert.True(first.Items[0].FirstRecordedAt >= first.Items[1].FirstRecordedAt);
        Assert.True(first.Items[1].FirstRecordedAt >= second.Items[0].FirstRecordedAt);
    }

    [Fact]
    public async Task A_refused_save_of_a_new_job_still_lists_it_at_most_once()
    {
        var store = await NewStoreAsync();
        await CreateAsync(store, Execution("job-1", "thing-1", ExecutionStatus.Queued, 1));

        Assert.False(await store.TrySaveExecutionAsync(Execution("job-1", "thing-1", ExecutionStatus.Queued, 1), new CounterChange(null, ExecutionStatus.Queued), Cancel));

        Assert.Equal(["job-1"], (await store.ListJobsAsync(10, null, Cancel)).Items.Select(job => job.JobId));
        await Assert.ThrowsAsync<InvalidPageTokenException>(() => store.ListJobsAsync(1, "not a token!", Cancel));
    }

    /// <summary>A record as resolved from one snapshot of it, never stored (revision 0).</summary>
    protected static ExecutionRecord Execution(string jobId, string thingName, ExecutionStatus status, int changedAtMinute) =>
        ExecutionRules.Resolve(
            jobId,
            thingName,
            [new LedgerEntry($"{jobId}/{thingName}/{status}", status, new Dictionary<string, string>(), ObservationSource.Snapshot,
                T0.AddMinutes(changedAtMinute), 1, 1, T0.AddMinutes(changedAtMinute))],
            0);

    protected static JobRecord Job(string jobId, JobStatus status, string observationId) =>
        JobRules.Resolve(jobId, [new JobObservation(jobId, status, observationId, T0, Description: "firmware 2.1")], 0);

    private static async Task CreateAsync(TStore store, ExecutionRecord record) =>
        Assert.True(await store.TrySaveExecutionAsync(record, new CounterChange(null, record.Status) { Ended = EndedAttempts.Between(null, record.Ledger) }, Cancel));

    /// <summary>
    /// Every ended minute from <paramref name="since"/> on, newest first, the buckets of one minute (a store may keep
    /// one per counter shard) added up and shown as their non-zero counts.
    /// </summary>
    private static async Task<List<(DateTimeOffset Minute, string Counts)>> AllMinutesAsync(TStore store, string jobId, DateTimeOffset since, int limit)
    {
        var buckets = new List<EndedMinute>();
        string? token = null;
        do
        {
            var page = await store.ListEndedMinutesAsync(jobId, since, limit, token, Cancel);
            buckets.AddRange(page.Items);
            token = page.NextPageToken;
        }
        while (token is not null);

        return [.. buckets
            .GroupBy(bucket => bucket.Minute)
            .Select(minute => (minute.Key, string.Join(" ", ExecutionStatuses.All
                .Select(status => (Status: status.ToWire(), Count: minute.Sum(bucket => bucket.Counts[status])))
                .Where(count => count.Count != 0)
                .OrderBy(count => count.Status, StringComparer.Ordinal)
                .Select(count => $"{count.Status}={count.Count}"))))];
    }

    private static async Task<List<IReadOnlyList<ExecutionRecord>>> AllPagesAsync(Func<int, string?, Task<Page<ExecutionRecord>>> list, int limit)
    {
        var pages = new List<IReadOnlyList<ExecutionRecord>>();
        string? token = null;
        do
        {
            var page = await list(limit, token);
            Assert.InRange(page.Items.Count, 1, limit);
            pages.Add(page.Items);
            token = page.NextPageToken;
        }
        while (token is not null);

        return pages;
    }
}
