using JobsFunctions.Domain.Executions;

namespace JobsFunctions.Domain.Tests.Executions;

public sealed class StatusCountsTests
{
    [Fact]
    public void A_first_sighting_adds_one_to_its_status_only()
    {
        var counts = new StatusCounts();

        counts.Apply(new CounterChange(null, ExecutionStatus.Queued));

        Assert.Equal(1, counts[ExecutionStatus.Queued]);
        Assert.Equal(1, counts.Total);
    }

    [Fact]
    public void A_change_moves_one_execution_from_the_old_status_to_the_new()
    {
        var counts = new StatusCounts();
        counts.Apply(new CounterChange(null, ExecutionStatus.Queued));
        counts.Apply(new CounterChange(null, ExecutionStatus.Queued));

        counts.Apply(new CounterChange(ExecutionStatus.Queued, ExecutionStatus.Succeeded));

        Assert.Equal(1, counts[ExecutionStatus.Queued]);
        Assert.Equal(1, counts[ExecutionStatus.Succeeded]);
        Assert.Equal(2, counts.Total);
    }

    [Fact]
    public void The_dictionary_view_lists_every_status_including_the_zero_ones()
    {
        var counts = new StatusCounts();
        counts.Add(ExecutionStatus.Failed, 3);

        var view = counts.ToDictionary();

        Assert.Equal(ExecutionStatuses.All, view.Keys.Order());
        Assert.Equal(3, view[ExecutionStatus.Failed]);
        Assert.Equal(3, view.Values.Sum());
    }
}
