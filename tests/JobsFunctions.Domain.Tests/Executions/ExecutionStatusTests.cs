using JobsFunctions.Domain.Executions;

namespace JobsFunctions.Domain.Tests.Executions;

public sealed class ExecutionStatusTests
{
    [Theory]
    [InlineData(ExecutionStatus.Queued, false)]
    [InlineData(ExecutionStatus.InProgress, false)]
    [InlineData(ExecutionStatus.Succeeded, true)]
    [InlineData(ExecutionStatus.Failed, true)]
    [InlineData(ExecutionStatus.TimedOut, true)]
    [InlineData(ExecutionStatus.Rejected, true)]
    [InlineData(ExecutionStatus.Removed, true)]
    [InlineData(ExecutionStatus.Canceled, true)]
    public void Only_queued_and_in_progress_are_not_terminal(ExecutionStatus status, bool terminal) =>
        Assert.Equal(terminal, status.IsTerminal());

    [Theory]
    [InlineData(ExecutionStatus.Queued, StatusOwner.Service)]
    [InlineData(ExecutionStatus.InProgress, StatusOwner.Device)]
    [InlineData(ExecutionStatus.Succeeded, StatusOwner.Device)]
    [InlineData(ExecutionStatus.Failed, StatusOwner.Device)]
    [InlineData(ExecutionStatus.Rejected, StatusOwner.Device)]
    [InlineData(ExecutionStatus.TimedOut, StatusOwner.Service)]
    [InlineData(ExecutionStatus.Removed, StatusOwner.Service)]
    [InlineData(ExecutionStatus.Canceled, StatusOwner.Service)]
    public void Devices_set_in_progress_succeeded_failed_and_rejected_and_the_service_sets_the_rest(ExecutionStatus status, StatusOwner owner) =>
        Assert.Equal(owner, status.Owner());

    [Theory]
    [InlineData("QUEUED", ExecutionStatus.Queued)]
    [InlineData("IN_PROGRESS", ExecutionStatus.InProgress)]
    [InlineData("SUCCEEDED", ExecutionStatus.Succeeded)]
    [InlineData("FAILED", ExecutionStatus.Failed)]
    [InlineData("TIMED_OUT", ExecutionStatus.TimedOut)]
    [InlineData("REJECTED", ExecutionStatus.Rejected)]
    [InlineData("REMOVED", ExecutionStatus.Removed)]
    [InlineData("CANCELED", ExecutionStatus.Canceled)]
    public void Each_status_round_trips_through_its_AWS_wire_name(string wire, ExecutionStatus status)
    {
        Assert.Equal(wire, status.ToWire());
        Assert.True(ExecutionStatuses.TryParse(wire, out var parsed));
        Assert.Equal(status, parsed);
    }

    [Theory]
    [InlineData("queued")]
    [InlineData("In_Progress")]
    [InlineData("IN-PROGRESS")]
    [InlineData("INPROGRESS")]
    [InlineData(" QUEUED")]
    [InlineData("CANCELLED")]
    [InlineData("DELETED")]
    [InlineData("")]
    [InlineData(null)]
    public void Anything_but_an_exact_wire_name_does_not_parse(string? wire) =>
        Assert.False(ExecutionStatuses.TryParse(wire, out _));

    [Fact]
    public void Every_status_has_a_distinct_wire_name() =>
        Assert.Equal(ExecutionStatuses.All.Count, ExecutionStatuses.All.Select(status => status.ToWire()).Distinct(StringComparer.Ordinal).Count());

    [Theory]
    [InlineData(ExecutionStatus.Queued, ExecutionStatus.InProgress)]
    [InlineData(ExecutionStatus.InProgress, ExecutionStatus.InProgress)]
    [InlineData(ExecutionStatus.InProgress, ExecutionStatus.Succeeded)]
    [InlineData(ExecutionStatus.InProgress, ExecutionStatus.Failed)]
    [InlineData(ExecutionStatus.InProgress, ExecutionStatus.Rejected)]
    [InlineData(ExecutionStatus.Queued, ExecutionStatus.Rejected)]
    public void A_device_may_make_the_moves_the_data_plane_accepts(ExecutionStatus from, ExecutionStatus to) =>
        Assert.True(ExecutionStatuses.DeviceMayMove(from, to));

    [Theory]
    [InlineData(ExecutionStatus.InProgress, ExecutionStatus.Queued)]
    [InlineData(ExecutionStatus.InProgress, ExecutionStatus.Canceled)]
    [InlineData(ExecutionStatus.InProgress, ExecutionStatus.TimedOut)]
    [InlineData(ExecutionStatus.Queued, ExecutionStatus.Removed)]
    [InlineData(ExecutionStatus.Succeeded, ExecutionStatus.InProgress)]
    [InlineData(ExecutionStatus.Canceled, ExecutionStatus.InProgress)]
    [InlineData(ExecutionStatus.Failed, ExecutionStatus.Succeeded)]
    public void A_device_may_not_set_a_service_status_nor_leave_a_terminal_one(ExecutionStatus from, ExecutionStatus to) =>
        Assert.False(ExecutionStatuses.DeviceMayMove(from, to));

    [Fact]
    public void No_move_at_all_leaves_a_terminal_status()
    {
        foreach (var from in ExecutionStatuses.All.Where(status => status.IsTerminal()))
        {
            foreach (var to in ExecutionStatuses.All)
            {
                Assert.False(ExecutionStatuses.DeviceMayMove(from, to), $"device {from} -> {to}");
                Assert.False(ExecutionStatuses.ServiceMayMove(from, to, force: true), $"service {from} -> {to}");
            }
        }
    }

    [Theory]
    [InlineData(ExecutionStatus.Queued, ExecutionStatus.Canceled, false, true)]
    [InlineData(ExecutionStatus.InProgress, ExecutionStatus.Canceled, false, false)]
    [InlineData(ExecutionStatus.InProgress, ExecutionStatus.Canceled, true, true)]
    [InlineData(ExecutionStatus.InProgress, ExecutionStatus.TimedOut, false, true)]
    [InlineData(ExecutionStatus.Queued, ExecutionStatus.TimedOut, false, false)]
    [InlineData(ExecutionStatus.Queued, ExecutionStatus.Removed, false, true)]
    [InlineData(ExecutionStatus.InProgress, ExecutionStatus.Removed, false, true)]
    [InlineData(ExecutionStatus.Queued, ExecutionStatus.InProgress, true, false)]
    [InlineData(ExecutionStatus.InProgress, ExecutionStatus.Succeeded, true, false)]
    public void The_service_cancels_times_out_and_removes_and_cancels_in_progress_only_when_forced(
        ExecutionStatus from, ExecutionStatus to, bool force, bool allowed) =>
        Assert.Equal(allowed, ExecutionStatuses.ServiceMayMove(from, to, force));
}
