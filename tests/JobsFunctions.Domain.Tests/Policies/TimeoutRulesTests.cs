using JobsFunctions.Domain.Executions;
using JobsFunctions.Domain.Policies;
using static JobsFunctions.Domain.Tests.Policies.RecordedJob;

namespace JobsFunctions.Domain.Tests.Policies;

public sealed class TimeoutRulesTests
{
    private static readonly DateTimeOffset QueuedAt = Now.AddDays(-2);
    private static readonly DateTimeOffset StartedAt = Now.AddHours(-3);

    [Theory]
    [InlineData(1439, false)]
    [InlineData(1440, true)]
    [InlineData(1441, true)]
    public void A_queued_execution_times_out_when_it_has_been_queued_for_the_limit(int minutes, bool reached)
    {
        var verdict = TimeoutRules.Check(ExecutionStatus.Queued, new ExecutionTimes(Now.AddMinutes(-minutes), null, Now.AddMinutes(-minutes)),
            new PolicyTimeouts(QueuedTimeoutInMinutes: 1440), Now);

        Assert.Equal(reached, verdict is not null);
        Assert.True(verdict is null or { Kind: TimeoutKind.Queued, LimitMinutes: 1440 });
    }

    [Theory]
    [InlineData(119, false)]
    [InlineData(120, true)]
    [InlineData(121, true)]
    public void An_in_progress_execution_times_out_on_its_total_time_since_it_started_even_while_reporting(int minutes, bool reached)
    {
        var times = new ExecutionTimes(QueuedAt, Now.AddMinutes(-minutes), LastChangedAt: Now.AddSeconds(-5));

        var verdict = TimeoutRules.Check(ExecutionStatus.InProgress, times, new PolicyTimeouts(InProgressTimeoutInMinutes: 120), Now);

        Assert.Equal(reached, verdict is not null);
        Assert.True(verdict is null or { Kind: TimeoutKind.InProgress });
    }

    [Theory]
    [InlineData(29, false)]
    [InlineData(30, true)]
    [InlineData(31, true)]
    public void An_in_progress_execution_with_no_change_reported_for_the_limit_has_stopped_progressing(int minutes, bool reached)
    {
        var times = new ExecutionTimes(QueuedAt, StartedAt, LastChangedAt: Now.AddMinutes(-minutes));

        var verdict = TimeoutRules.Check(ExecutionStatus.InProgress, times, new PolicyTimeouts(NoProgressTimeoutInMinutes: 30), Now);

        Assert.Equal(reached, verdict is not null);
        Assert.True(verdict is null or { Kind: TimeoutKind.NoProgress });
    }

    [Fact]
    public void The_reason_names_the_status_the_time_spent_the_start_and_the_limit()
    {
        var verdict = TimeoutRules.Check(ExecutionStatus.InProgress, new ExecutionTimes(QueuedAt, Now.AddMinutes(-121).AddSeconds(-30), Now),
            new PolicyTimeouts(InProgressTimeoutInMinutes: 120), Now);

        Assert.Equal("IN_PROGRESS for 121 min since 2026-11-23T09:58:30Z >= inProgressTimeoutInMinutes 120", verdict?.Reason);
    }

    [Fact]
    public void The_total_in_progress_time_is_named_before_no_progress_when_both_are_reached()
    {
        var verdict = TimeoutRules.Check(ExecutionStatus.InProgress, new ExecutionTimes(QueuedAt, StartedAt, StartedAt),
            new PolicyTimeouts(InProgressTimeoutInMinutes: 60, NoProgressTimeoutInMinutes: 30), Now);

        Assert.Equal(TimeoutKind.InProgress, verdict?.Kind);
    }

    [Fact]
    public void No_progress_does_not_apply_to_a_queued_execution_and_the_queued_limit_not_to_a_started_one()
    {
        var timeouts = new PolicyTimeouts(QueuedTimeoutInMinutes: 10, NoProgressTimeoutInMinutes: 10);

        Assert.Null(TimeoutRules.Check(ExecutionStatus.Queued, new ExecutionTimes(Now.AddMinutes(-5), null, Now.AddDays(-1)), timeouts, Now));
        Assert.Null(TimeoutRules.Check(ExecutionStatus.InProgress, new ExecutionTimes(QueuedAt, StartedAt, Now.AddMinutes(-1)), timeouts, Now));
    }

    [Theory]
    [InlineData(ExecutionStatus.Succeeded)]
    [InlineData(ExecutionStatus.Failed)]
    [InlineData(ExecutionStatus.Canceled)]
    public void A_terminal_execution_never_times_out(ExecutionStatus status) =>
        Assert.Null(TimeoutRules.Check(status, new ExecutionTimes(QueuedAt, StartedAt, StartedAt),
            new PolicyTimeouts(1, 1, 1), Now));

    [Fact]
    public void Without_timeouts_nothing_times_out() =>
        Assert.Null(TimeoutRules.Check(ExecutionStatus.Queued, new ExecutionTimes(QueuedAt, null, QueuedAt), null, Now));

    [Fact]
    public void A_record_knows_when_its_current_attempt_was_queued_and_started_and_last_changed_as_IoT_reported_it()
    {
        var ledger = new[]
        {
            Entry("old-failed", ExecutionStatus.Failed, Now.AddHours(-9), executionNumber: 1),
            Entry("q", ExecutionStatus.Queued, Now.AddHours(-5), executionNumber: 2),
            Entry("p1", ExecutionStatus.InProgress, Now.AddHours(-4), executionNumber: 2),
            Entry("p2", ExecutionStatus.InProgress, Now.AddHours(-1), executionNumber: 2),
        };
        var record = ExecutionRules.Resolve(JobId, "thing-1", ledger, revision: 1);

        var times = ExecutionTimes.Of(record);

        Assert.Equal(new ExecutionTimes(Now.AddHours(-5), Now.AddHours(-4), Now.AddHours(-1)), times);
    }

    private static LedgerEntry Entry(string id, ExecutionStatus status, DateTimeOffset at, long executionNumber) =>
        new(id, status, new Dictionary<string, string>(), ObservationSource.Snapshot, at, VersionNumber: null, executionNumber, RecordedAt: Now);
}
