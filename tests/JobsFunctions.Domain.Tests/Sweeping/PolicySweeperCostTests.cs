using System.Globalization;
using JobsFunctions.Domain.Executions;
using JobsFunctions.Domain.Jobs;
using JobsFunctions.Domain.Operations;
using JobsFunctions.Domain.Policies;
using JobsFunctions.Domain.Recording;
using JobsFunctions.Domain.Sweeping;
using JobsFunctions.TestSupport;
using JobsFunctions.TestSupport.Operations;
using Microsoft.Extensions.Time.Testing;

namespace JobsFunctions.Domain.Tests.Sweeping;

/// <summary>What a sweep reads grows with the open executions, not with the job.</summary>
public sealed class PolicySweeperCostTests
{
    private const string JobId = "fleet-100k";

    private static readonly DateTimeOffset Now = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_sweep_of_a_job_of_100000_executions_of_which_100_are_stale_reads_about_one_item_per_open_execution()
    {
        var clock = new FakeTimeProvider(Now);
        var store = new InMemoryRecordStore();
        var recorder = new StatusRecorder(store, clock);
        var iot = new FakeJobsControl(clock);
        for (var i = 0; i < 99_900; i++)
        {
            await recorder.RecordAsync(new ExecutionObservation(JobId, string.Create(CultureInfo.InvariantCulture, $"done-{i:D5}"), ExecutionStatus.Succeeded,
                new Dictionary<string, string>(), ObservationSource.Event, $"evt-{i}", Now.AddHours(-5)), Cancel);
        }

        for (var i = 0; i < 100; i++)
        {
            var thing = string.Create(CultureInfo.InvariantCulture, $"stuck-{i:D3}");
            iot.AddExecution(JobId, thing, ExecutionStatus.InProgress, 2, queuedAt: Now.AddHours(-4), startedAt: Now.AddHours(-3), lastUpdatedAt: Now.AddHours(-3));
            await recorder.RecordAsync(Snapshots.Of(JobId, new ExecutionSummary(thing, ExecutionStatus.InProgress, 1, null, Now.AddHours(-4), Now.AddHours(-3), Now.AddHours(-3))),
                known: null, Cancel);
        }

        var policies = new InMemoryPolicyStore();
        await policies.TryPutAsync(new StoredPolicy(JobId, new JobPolicy(false,
            [new AbortCriterion(FailureType.All, ThresholdPercentage: 10m, MinNumberOfExecutedThings: 100)],
            new PolicyTimeouts(InProgressTimeoutInMinutes: 120)), 1, Now.AddDays(-1), "ops"), null, Cancel);
        var counted = new CountingRecords(store);
        var sweeper = Sweepers.Create(iot, counted, policies, new InMemorySweepState(), new InMemoryAuditLog(), iot, clock);

        var report = await sweeper.RunAsync(new SweepRun("run-1", Now.AddSeconds(50)), Cancel);

        Assert.Equal(100, report.Actions);
        Assert.Equal(100, iot.CancelCalls.Count);
        Assert.Equal(1 + 2 + 100 + 100, report.IotCalls);
        Assert.InRange(counted.ItemsRead, 100, 300);
        Assert.Equal(100, (await store.GetCountsAsync(JobId, Cancel))[ExecutionStatus.Canceled]);
    }

    [Fact]
    public async Task A_preview_page_of_a_job_of_never_started_executions_reads_each_open_execution_once_and_answers_100()
    {
        var clock = new FakeTimeProvider(Now);
        var store = new InMemoryRecordStore();
        var recorder = new StatusRecorder(store, clock);
        // 5,000 keeps the in-memory store quick; the reads are linear in the open executions (100,000 read 100,001 items).
        const int Queued = 5_000;
        for (var i = 0; i < Queued; i++)
        {
            await recorder.RecordAsync(new ExecutionObservation(JobId, string.Create(CultureInfo.InvariantCulture, $"queued-{i:D6}"), ExecutionStatus.Queued,
                new Dictionary<string, string>(), ObservationSource.Event, $"evt-{i}", Now.AddHours(-5)), Cancel);
        }

        var counted = new CountingRecords(store);
        var service = new PolicyService(new InMemoryPolicyStore(), new InMemoryAuditLog(), Sweepers.Planner(counted, counted), clock);
        var policy = new PolicyDocument(TimeoutConfig: new PolicyTimeoutConfig(QueuedTimeoutInMinutes: 60, Action: "CANCEL"));

        var page = (await service.PreviewAsync(JobId, policy, limit: null, nextToken: null, Cancel)).Value;

        Assert.Equal(100, page.Actions.Count);
        Assert.Equal(Queued, page.Totals["CancelJobExecution"]);
        Assert.NotNull(page.NextToken);
        // Every open execution once (store pages of 250) plus the empty IN_PROGRESS page; no abort criteria, so no counters.
        Assert.Equal(Queued + 1, counted.ItemsRead);
    }

    /// <summary>Counts the items each read returns, as DynamoDB bills them (a counters read as one item per shard, four by default).</summary>
    private sealed class CountingRecords(InMemoryRecordStore inner) : IRecordStore, IRecordQueries, IEndedAttemptQueries
    {
        public const int CounterShards = 4;

        public int ItemsRead { get; private set; }

        public async Task<ExecutionRecord?> FindExecutionAsync(string jobId, string thingName, CancellationToken cancellationToken)
        {
            ItemsRead++;
            return await inner.FindExecutionAsync(jobId, thingName, cancellationToken);
        }

        public Task<bool> TrySaveExecutionAsync(ExecutionRecord next, CounterChange? counterChange, CancellationToken cancellationToken) =>
            inner.TrySaveExecutionAsync(next, counterChange, cancellationToken);

        public async Task<JobRecord?> FindJobAsync(string jobId, CancellationToken cancellationToken)
        {
            ItemsRead++;
            return await inner.FindJobAsync(jobId, cancellationToken);
        }

        public Task<bool> TrySaveJobAsync(JobRecord next, CancellationToken cancellationToken) => inner.TrySaveJobAsync(next, cancellationToken);

        public async Task<StatusCounts> GetCountsAsync(string jobId, CancellationToken cancellationToken)
        {
            ItemsRead += CounterShards;
            return await inner.GetCountsAsync(jobId, cancellationToken);
        }

        public Task<Page<ExecutionRecord>> ListExecutionsOfJobAsync(string jobId, ExecutionStatus? status, int limit, string? pageToken, CancellationToken cancellationToken) =>
            Counted(inner.ListExecutionsOfJobAsync(jobId, status, limit, pageToken, cancellationToken));

        public Task<Page<ExecutionRecord>> ListExecutionsOfThingAsync(string thingName, int limit, string? pageToken, CancellationToken cancellationToken) =>
            Counted(inner.ListExecutionsOfThingAsync(thingName, limit, pageToken, cancellationToken));

        public Task<Page<KnownJob>> ListJobsAsync(int limit, string? pageToken, CancellationToken cancellationToken) =>
            Counted(inner.ListJobsAsync(limit, pageToken, cancellationToken));

        public async Task<StatusCounts> GetEndedAttemptCountsAsync(string jobId, CancellationToken cancellationToken)
        {
            ItemsRead += CounterShards;
            return await inner.GetEndedAttemptCountsAsync(jobId, cancellationToken);
        }

        public Task<Page<EndedMinute>> ListEndedMinutesAsync(string jobId, DateTimeOffset since, int limit, string? pageToken, CancellationToken cancellationToken) =>
            Counted(inner.ListEndedMinutesAsync(jobId, since, limit, pageToken, cancellationToken));

        private async Task<Page<T>> Counted<T>(Task<Page<T>> read)
        {
            var page = await read;
            ItemsRead += Math.Max(1, page.Items.Count);
            return page;
        }
    }
}
