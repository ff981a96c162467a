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
}
