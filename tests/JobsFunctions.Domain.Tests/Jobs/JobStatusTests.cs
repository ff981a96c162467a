using JobsFunctions.Domain.Jobs;

namespace JobsFunctions.Domain.Tests.Jobs;

public sealed class JobStatusTests
{
    [Theory]
    [InlineData("SCHEDULED", JobStatus.Scheduled)]
    [InlineData("IN_PROGRESS", JobStatus.InProgress)]
    [InlineData("CANCELLATION_IN_PROGRESS", JobStatus.CancellationInProgress)]
    [InlineData("COMPLETED", JobStatus.Completed)]
    [InlineData("CANCELED", JobStatus.Canceled)]
    [InlineData("DELETION_IN_PROGRESS", JobStatus.DeletionInProgress)]
    [InlineData("DELETED", JobStatus.Deleted)]
    public void Each_job_status_round_trips_through_its_AWS_wire_name(string wire, JobStatus status)
    {
        Assert.Equal(wire, status.ToWire());
        Assert.True(JobStatuses.TryParse(wire, out var parsed));
        Assert.Equal(status, parsed);
    }

    [Theory]
    [InlineData("completed")]
    [InlineData("cancellation_in_progress")]
    [InlineData("CANCELLED")]
    [InlineData("QUEUED")]
    [InlineData("")]
    [InlineData(null)]
    public void Anything_but_an_exact_job_wire_name_does_not_parse(string? wire) =>
        Assert.False(JobStatuses.TryParse(wire, out _));

    [Fact]
    public void A_job_only_moves_forward_through_its_stages()
    {
        JobStatus[] life = [JobStatus.Scheduled, JobStatus.InProgress, JobStatus.CancellationInProgress, JobStatus.Canceled, JobStatus.DeletionInProgress, JobStatus.Deleted];

        Assert.Equal(life.Select(status => status.Stage()).Order(), life.Select(status => status.Stage()));
        Assert.Equal(life.Length, life.Select(status => status.Stage()).Distinct().Count());
        Assert.Equal(JobStatus.Canceled.Stage(), JobStatus.Completed.Stage());
    }

    [Fact]
    public void Only_cancellation_in_progress_and_deleted_are_event_only() =>
        Assert.Equal([JobStatus.CancellationInProgress, JobStatus.Deleted], JobStatuses.All.Where(status => status.IsEventOnly()));
}
