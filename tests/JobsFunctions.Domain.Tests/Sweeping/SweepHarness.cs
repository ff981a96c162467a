using System.Globalization;
using JobsFunctions.Domain.Executions;
using JobsFunctions.Domain.Policies;
using JobsFunctions.Domain.Sweeping;
using JobsFunctions.TestSupport;
using JobsFunctions.TestSupport.Operations;
using Microsoft.Extensions.Time.Testing;

namespace JobsFunctions.Domain.Tests.Sweeping;

/// <summary>One account for sweeper tests: an in-memory IoT (with hooks), store, trail, policies and sweep state on a fake clock.</summary>
public abstract class SweepHarness
{
    protected const string JobId = "fw-2026-11";

    protected static readonly DateTimeOffset Now = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);

    protected static readonly JobPolicy StuckAfterTwoHours = new(false, [], new PolicyTimeouts(InProgressTimeoutInMinutes: 120));

    private int _runs;

    protected SweepHarness()
    {
        Iot = new FakeJobsControl(Clock);
        Jobs = new InterceptedJobs(Iot);
    }

    protected FakeTimeProvider Clock { get; } = new(Now);

    protected InMemoryRecordStore Store { get; } = new();

    protected InMemoryAuditLog Audit { get; } = new();

    protected InMemoryPolicyStore Policies { get; } = new();

    protected InMemorySweepState State { get; } = new();

    protected FakeJobsControl Iot { get; }

    protected InterceptedJobs Jobs { get; }

    protected static CancellationToken Cancel => TestContext.Current.CancellationToken;

    protected PolicySweeper Sweeper(JobPolicy? defaultPolicy = null) =>
        Sweepers.Create(Jobs, Store, Policies, State, Audit, Iot, Clock, new SweeperOptions(defaultPolicy));

    protected Task<SweepReport> RunAsync(PolicySweeper? sweeper = null, TimeSpan? budget = null) =>
        (sweeper ?? Sweeper()).RunAsync(new SweepRun($"run-{++_runs}", Clock.GetUtcNow() + (budget ?? TimeSpan.FromSeconds(50))), Cancel);

    protected async Task PolicyAsync(JobPolicy policy, string jobId = JobId, long revision = 3) =>
        await Policies.TryPutAsync(new StoredPolicy(jobId, policy, revision, Now.AddDays(-1), "ops"), null, Cancel);

    /// <summary>
    /// <paramref name="count"/> never-started executions pump-000…, under a policy that leaves them be: a job whose
    /// listing takes several IoT pages.
    /// </summary>
    protected async Task QueuedFleetAsync(int count)
    {
        await PolicyAsync(new JobPolicy(false, [], new PolicyTimeouts(QueuedTimeoutInMinutes: 10_000)));
        for (var i = 0; i < count; i++)
        {
            Iot.AddExecution(JobId, string.Create(CultureInfo.InvariantCulture, $"pump-{i:D3}"), ExecutionStatus.Queued, 1,
                queuedAt: Now.AddMinutes(-5), lastUpdatedAt: Now.AddMinutes(-5));
        }
    }

    protected FakeJobsControl Stuck(string thing, long version = 3, int startedMinutesAgo = 180, IReadOnlyDictionary<string, string>? details = null,
        string jobId = JobId) =>
        Iot.AddExecution(jobId, thing, ExecutionStatus.InProgress, version, details,
            queuedAt: Now.AddMinutes(-startedMinutesAgo - 10), startedAt: Now.AddMinutes(-startedMinutesAgo), lastUpdatedAt: Now.AddMinutes(-startedMinutesAgo));
}
