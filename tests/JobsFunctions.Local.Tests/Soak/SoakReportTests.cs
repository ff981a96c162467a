using JobsFunctions.Domain.Executions;
using JobsFunctions.Local.Rules;
using JobsFunctions.Local.Soak;

namespace JobsFunctions.Local.Tests.Soak;

public sealed class SoakReportTests
{
    private static readonly SoakTotals Clean = new(
        Runs: 144, Answered: 144, FirstFailure: null, RefusedReported: 144, OthersSwept: 144, FirstUnswept: null, OtherJobErrors: 0, JobErrors: 144,
        CallsReported: 900, CallsCounted: 900, ThrottlesReported: 30, ThrottlesCounted: 30, RunsCountedApart: 0, EventsCheckFailed: 0,
        MissingMetrics: new Dictionary<string, long>(), SweepTime: TimeSpan.FromSeconds(60), LongestSweep: TimeSpan.FromSeconds(1));

    private static readonly SoakCheckpoint[] Steady =
    [
        new(TimeSpan.FromHours(6), 36, 2_000, 1, 2_000, "JOB#a EXEC#b", 50),
        new(TimeSpan.FromHours(24), 144, 2_100, 1, 2_100, "JOB#a EXEC#b", 60),
    ];

    [Fact]
    public void A_soak_whose_figures_are_all_within_bounds_passes_every_check()
    {
        var report = Report(Clean, Steady);

        Assert.All(report.Checks, check => Assert.True(check.Passed, $"{check.Name}: {check.Figures}"));
        Assert.True(report.Passed);
    }

    [Fact]
    public void An_item_that_grows_with_the_heartbeats_fails_its_check_and_so_does_one_over_the_bound()
    {
        var report = Report(Clean, [Steady[0], Steady[1] with { HeartbeatItemBytes = 8_000, LargestItemBytes = 20_000 }]);

        Assert.Equal(
            ["no stored item exceeds 16,384 B", "the heartbeating execution's item is the same size early and late"],
            report.Checks.Where(check => !check.Passed).Select(check => check.Name));
    }

    [Fact]
    public void Audit_entries_that_grow_with_the_runs_fail_and_so_does_a_dry_run_that_audited_nothing()
    {
        var growing = Report(Clean, [Steady[0], Steady[1] with { DryRunAuditEntries = 4 }]);
        var silent = Report(Clean, [Steady[0] with { DryRunAuditEntries = 0 }, Steady[1] with { DryRunAuditEntries = 0 }]);

        Assert.False(growing.Checks.Single(check => check.Name.StartsWith("the dry-run", StringComparison.Ordinal)).Passed);
        Assert.False(silent.Checks.Single(check => check.Name.StartsWith("the dry-run", StringComparison.Ordinal)).Passed);
    }

    [Fact]
    public void Calls_reported_apart_from_the_emulators_count_or_no_throttling_seen_under_a_throttling_rate_fail_the_count_check()
    {
        var apart = Report(Clean with { ThrottlesReported = 0 }, Steady);
        var unseen = Report(Clean with { ThrottlesReported = 0, ThrottlesCounted = 0 }, Steady);

        Assert.False(apart.Checks.Single(check => check.Name.StartsWith("IotCalls", StringComparison.Ordinal)).Passed);
        Assert.False(unseen.Checks.Single(check => check.Name.StartsWith("IotCalls", StringComparison.Ordinal)).Passed);
    }

    [Fact]
    public void A_run_that_missed_the_refused_job_or_another_job_fails_those_checks()
    {
        var report = Report(Clean with { RefusedReported = 143, OthersSwept = 143, FirstUnswept = "run 7 (jobsFailed): soak-2-acting" }, Steady);

        Assert.Equal(2, report.Checks.Count(check => !check.Passed));
        Assert.Contains("first miss run 7", report.Checks.Single(check => check.Name == "every other job is swept on every run").Figures, StringComparison.Ordinal);
    }

    private static SoakReport Report(SoakTotals runs, IReadOnlyList<SoakCheckpoint> checkpoints) => new(
        new SoakOptions(Days: 1, RateMinutes: 10),
        TimeSpan.FromMinutes(10),
        TimeSpan.FromDays(1),
        TimeSpan.FromMinutes(2),
        runs,
        checkpoints,
        Heartbeats: 1_439,
        new SoakTruth(ExecutionStatus.InProgress, ExecutionStatus.Canceled, ExecutionStatus.InProgress, ExecutionStatus.Succeeded, 2),
        new AsyncInvocationCounts(9, 10, 1, 9, 0),
        DynamoFaults: null);
}
