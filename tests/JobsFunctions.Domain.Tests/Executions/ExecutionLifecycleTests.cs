using JobsFunctions.Domain.Executions;
using static JobsFunctions.Domain.Executions.ExecutionStatus;

namespace JobsFunctions.Domain.Tests.Executions;

public sealed class ExecutionLifecycleTests
{
    private static MoveVerdict Device(ExecutionStatus from, ExecutionStatus to) =>
        ExecutionLifecycle.Decide(new(from, to, ExecutionMover.Device));

    private static MoveVerdict Cancel(ExecutionStatus from, bool force) =>
        ExecutionLifecycle.Decide(new(from, Canceled, ExecutionMover.Operator, force));

    [Fact]
    public void The_whole_table_allows_exactly_the_moves_AWS_documents()
    {
        var allowed = ExecutionLifecycle.Cells.Where(cell => ExecutionLifecycle.Decide(cell).Allowed).Select(cell => cell.ToString()).Order(StringComparer.Ordinal);

        Assert.Equal(
            new[]
            {
                "Device IN_PROGRESS -> FAILED", "Device IN_PROGRESS -> IN_PROGRESS", "Device IN_PROGRESS -> REJECTED",
                "Device IN_PROGRESS -> REMOVED", "Device IN_PROGRESS -> SUCCEEDED",
                "Device QUEUED -> FAILED", "Device QUEUED -> IN_PROGRESS", "Device QUEUED -> REJECTED",
                "Device QUEUED -> REMOVED", "Device QUEUED -> SUCCEEDED",
                "Operator IN_PROGRESS -> CANCELED (force)", "Operator QUEUED -> CANCELED", "Operator QUEUED -> CANCELED (force)",
                "Service IN_PROGRESS -> CANCELED (force)", "Service IN_PROGRESS -> TIMED_OUT",
                "Service QUEUED -> CANCELED", "Service QUEUED -> CANCELED (force)", "Service QUEUED -> REMOVED",
            }.Order(StringComparer.Ordinal),
            allowed);
    }

    [Theory]
    [InlineData(Queued, InProgress)]
    [InlineData(InProgress, InProgress)]
    [InlineData(InProgress, Succeeded)]
    [InlineData(InProgress, Failed)]
    [InlineData(InProgress, Rejected)]
    [InlineData(Queued, Rejected)]
    [InlineData(InProgress, Removed)]
    public void A_device_moves_a_pending_execution_on_and_the_version_moves_by_one(ExecutionStatus from, ExecutionStatus to)
    {
        var verdict = Device(from, to);

        Assert.True(verdict.Allowed);
        Assert.Equal(1, verdict.VersionStep);
        Assert.Null(verdict.AwsErrorCode);
    }

    [Fact]
    public void The_reference_example_sets_REMOVED_from_the_device_side_and_is_accepted() =>
        Assert.True(Device(InProgress, Removed).Allowed);

    [Theory]
    [InlineData(Queued)]
    [InlineData(Canceled)]
    [InlineData(TimedOut)]
    public void A_device_asking_for_a_status_only_AWS_IoT_sets_is_an_invalid_request(ExecutionStatus to)
    {
        Assert.Equal("InvalidRequestException", Device(InProgress, to).AwsErrorCode);
        Assert.Equal(0, Device(InProgress, to).VersionStep);
    }

    [Fact]
    public void Nothing_leaves_a_terminal_status_whoever_asks_and_the_answer_is_InvalidStateTransition()
    {
        foreach (var cell in ExecutionLifecycle.Cells.Where(cell => cell.From.IsTerminal()))
        {
            var verdict = ExecutionLifecycle.Decide(cell);
            Assert.False(verdict.Allowed, cell.ToString());
            Assert.True(verdict.Refusal is MoveRefusal.InvalidStateTransition or MoveRefusal.NotOffered, cell.ToString());
        }

        Assert.Equal("InvalidStateTransitionException", Device(Succeeded, InProgress).AwsErrorCode);
        Assert.Equal("InvalidStateTransitionException", Cancel(Failed, force: true).AwsErrorCode);
    }

    [Fact]
    public void Cancel_takes_a_queued_execution_and_an_in_progress_one_only_with_force()
    {
        Assert.True(Cancel(Queued, force: false).Allowed);
        Assert.True(Cancel(Queued, force: true).Allowed);
        Assert.Equal("InvalidStateTransitionException", Cancel(InProgress, force: false).AwsErrorCode);
        Assert.True(Cancel(InProgress, force: true).Allowed);
        Assert.False(ExecutionLifecycle.CancelNeedsForce(Queued));
        Assert.True(ExecutionLifecycle.CancelNeedsForce(InProgress));
        Assert.False(ExecutionLifecycle.CancelNeedsForce(Succeeded));
    }

    [Fact]
    public void A_stale_expectedVersion_is_a_version_conflict_on_the_control_plane_and_an_invalid_transition_on_the_data_plane()
    {
        Assert.Equal(
            "VersionConflictException",
            ExecutionLifecycle.Decide(new(Queued, Canceled, ExecutionMover.Operator), expectedVersion: 1, currentVersion: 2).AwsErrorCode);
        Assert.Equal(
            "InvalidStateTransitionException",
            ExecutionLifecycle.Decide(new(InProgress, Succeeded, ExecutionMover.Device), expectedVersion: 1, currentVersion: 2).AwsErrorCode);
        Assert.True(ExecutionLifecycle.Decide(new(InProgress, Succeeded, ExecutionMover.Device), expectedVersion: 2, currentVersion: 2).Allowed);
    }

    [Fact]
    public void The_version_check_comes_before_the_terminal_check_as_AWS_answers() =>
        Assert.Equal(
            MoveRefusal.VersionConflict,
            ExecutionLifecycle.Decide(new(Succeeded, Canceled, ExecutionMover.Operator), expectedVersion: 1, currentVersion: 3).Refusal);

    [Theory]
    [InlineData(InProgress, TimedOut, true)]
    [InlineData(Queued, TimedOut, false)]
    [InlineData(Queued, Removed, true)]
    [InlineData(InProgress, Removed, false)]
    [InlineData(InProgress, Failed, false)]
    public void The_service_times_out_in_progress_executions_and_removes_queued_ones(ExecutionStatus from, ExecutionStatus to, bool allowed) =>
        Assert.Equal(allowed, ExecutionLifecycle.Decide(new(from, to, ExecutionMover.Service)).Allowed);

    [Fact]
    public void Operators_have_no_call_that_sets_anything_but_CANCELED() =>
        Assert.All(
            ExecutionLifecycle.Cells.Where(cell => cell.By == ExecutionMover.Operator && cell.To != Canceled),
            cell => Assert.Equal(MoveRefusal.NotOffered, ExecutionLifecycle.Decide(cell).Refusal));

    [Theory]
    [InlineData(Queued, 0)]
    [InlineData(InProgress, 1)]
    [InlineData(Succeeded, 2)]
    [InlineData(Failed, 2)]
    [InlineData(TimedOut, 2)]
    [InlineData(Rejected, 2)]
    [InlineData(Removed, 2)]
    [InlineData(Canceled, 2)]
    public void Stages_follow_the_table_queued_then_in_progress_then_every_terminal_status(ExecutionStatus status, int stage) =>
        Assert.Equal(stage, ExecutionLifecycle.Stage(status));

    [Fact]
    public void After_an_accepted_move_at_a_known_version_the_version_is_one_more_and_details_carry_over_unless_replaced()
    {
        var before = new ExecutionState(InProgress, new Dictionary<string, string> { ["step"] = "2" }, 7);

        var kept = ExecutionLifecycle.After(Canceled, statusDetails: null, before, movedAtVersion: 7);
        var replaced = ExecutionLifecycle.After(Failed, new Dictionary<string, string> { ["reason"] = "timeout" }, before, movedAtVersion: null);

        Assert.Equal((Canceled, "2", 8L), (kept.Status, kept.StatusDetails["step"], kept.VersionNumber));
        Assert.Equal((Failed, "timeout", (long?)null), (replaced.Status, replaced.StatusDetails["reason"], replaced.VersionNumber));
    }
}
