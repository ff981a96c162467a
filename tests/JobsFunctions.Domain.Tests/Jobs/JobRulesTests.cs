using JobsFunctions.Domain.Jobs;
using static JobsFunctions.Domain.Tests.Observe;

namespace JobsFunctions.Domain.Tests.Jobs;

public sealed class JobRulesTests
{
    [Fact]
    public void A_first_job_event_creates_an_unstored_record()
    {
        var record = Record(null, Job(JobStatus.CancellationInProgress, "evt-1", 10, comment: "bad build"));

        Assert.True(record.StatusChanged);
        Assert.Equal(0, record.Next.Revision);
        Assert.Equal(JobId, record.Next.JobId);
        Assert.Equal(JobStatus.CancellationInProgress, record.Next.Status);
        Assert.Equal("bad build", record.Next.Comment);
        Assert.Equal(At(10), record.Next.LastChangedAt);
        Assert.Empty(record.Next.Targets);
    }

    [Fact]
    public void A_job_event_seen_before_is_a_duplicate()
    {
        var current = Stored(Job(JobStatus.Completed, "evt-1", 10));

        var decision = JobRules.Apply(current, Job(JobStatus.Deleted, "evt-1", 20));

        Assert.Same(current, Assert.IsType<JobRecordingDecision.Duplicate>(decision).Current);
    }

    [Fact]
    public void Canceled_after_cancellation_in_progress_keeps_the_comment_whatever_the_arrival_order()
    {
        var inProgress = Job(JobStatus.CancellationInProgress, "evt-1", 10, comment: "bad build");
        var canceled = Job(JobStatus.Canceled, "evt-2", 12);

        var inOrder = Record(Stored(inProgress), canceled);
        var reversed = Record(Stored(canceled), inProgress);

        Assert.True(inOrder.StatusChanged);
        Assert.False(reversed.StatusChanged);
        foreach (var next in new[] { inOrder.Next, reversed.Next })
        {
            Assert.Equal(JobStatus.Canceled, next.Status);
            Assert.Equal("bad build", next.Comment);
            Assert.Equal(At(12), next.LastChangedAt);
            Assert.Equal(["evt-1", "evt-2"], next.History.Select(seen => seen.ObservationId));
        }
    }

    [Fact]
    public void Deleted_beats_every_other_status_even_later_ones()
    {
        var current = Stored(Job(JobStatus.Deleted, "evt-9", 50, comment: "cleanup"));

        foreach (var status in JobStatuses.All.Where(status => status != JobStatus.Deleted))
        {
            var record = Record(current, Job(status, $"evt-{status}", 90));

            Assert.False(record.StatusChanged);
            Assert.Equal(JobStatus.Deleted, record.Next.Status);
            Assert.Equal(At(50), record.Next.LastChangedAt);
        }
    }

    [Fact]
    public void A_late_in_progress_snapshot_does_not_reopen_a_completed_job()
    {
        var completedAt = At(40);
        var current = Stored(Job(JobStatus.Completed, "evt-1", 40) with
        {
            CompletedAt = completedAt,
            ReportedProcessDetails = new Dictionary<string, long> { ["numberOfSucceededThings"] = 3 },
        });

        var record = Record(current, Job(JobStatus.InProgress, "snap-1", 60) with { Description = "firmware 2.1", Targets = ["arn:aws:iot:eu-west-1:111122223333:thing/a"] });

        Assert.False(record.StatusChanged);
        Assert.Equal(JobStatus.Completed, record.Next.Status);
        Assert.Equal(completedAt, record.Next.CompletedAt);
        Assert.Equal(3, record.Next.ReportedProcessDetails!["numberOfSucceededThings"]);
        Assert.Equal("firmware 2.1", record.Next.Description);
        Assert.Single(record.Next.Targets);
    }

    [Fact]
    public void A_field_comes_from_the_furthest_observation_that_carries_it()
    {
        var record = Fold(
            Job(JobStatus.InProgress, "snap-1", 0) with { Description = "old text", CreatedAt = At(-60) },
            Job(JobStatus.DeletionInProgress, "evt-3", 30, comment: "retire") with { Description = "new text" },
            Job(JobStatus.CancellationInProgress, "evt-1", 10, comment: "bad build"));

        Assert.Equal(JobStatus.DeletionInProgress, record.Status);
        Assert.Equal("retire", record.Comment);
        Assert.Equal("new text", record.Description);
        Assert.Equal(At(-60), record.CreatedAt);
    }

    [Fact]
    public void History_is_kept_in_order_of_progress()
    {
        var record = Fold(
            Job(JobStatus.Deleted, "evt-5", 50),
            Job(JobStatus.Scheduled, "snap-0", 0),
            Job(JobStatus.Completed, "evt-3", 30),
            Job(JobStatus.DeletionInProgress, "evt-4", 40));

        Assert.Equal(["snap-0", "evt-3", "evt-4", "evt-5"], record.History.Select(seen => seen.ObservationId));
    }

    private static JobRecordingDecision.Record Record(JobRecord? current, JobObservation observation) =>
        Assert.IsType<JobRecordingDecision.Record>(JobRules.Apply(current, observation));

    private static JobRecord Stored(JobObservation observation) => Record(null, observation).Next with { Revision = 1 };

    private static JobRecord Fold(params JobObservation[] observations) =>
        observations.Aggregate((JobRecord?)null, (current, observation) => Record(current, observation).Next)!;
}
