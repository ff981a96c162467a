using CsCheck;
using JobsFunctions.Domain.Jobs;

namespace JobsFunctions.Domain.Tests.Generators;

/// <summary>
/// Realistic job lives: optionally seen SCHEDULED and IN_PROGRESS by DescribeJob, then completed, or canceled
/// (CANCELLATION_IN_PROGRESS then CANCELED, the comment only on the first), or still running; then maybe deleted
/// (DELETION_IN_PROGRESS, then DELETED). Every event is delivered; the fields each event carries follow
/// https://docs.aws.amazon.com/iot/latest/developerguide/events-jobs.html.
/// </summary>
internal static class JobHistories
{
    public static readonly string[] JobIds = ["job-a", "job-b", "job-c"];

    private static readonly DateTimeOffset Start = new(2025, 3, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly string[] Comments = ["bad build", "rollback", "superseded by 2.2"];

    public static Gen<IReadOnlyList<JobObservation>> Observations { get; } =
        Gen.Select(Gen.Bool, Gen.Bool, Gen.Int[0, 3], Gen.Int[0, 2], Gen.Int[0, Comments.Length - 1], Gen.Int[0, 2].Array[6])
            .Select(plan => new JobLife(plan.Item1, plan.Item2, plan.Item3, plan.Item4, Comments[plan.Item5], plan.Item6))
            .Array[JobIds.Length]
            .Select(Build)
            .Where(observations => observations.Count > 0);

    private static IReadOnlyList<JobObservation> Build(JobLife[] lives)
    {
        var observations = new List<JobObservation>();
        for (var index = 0; index < lives.Length; index++)
        {
            var life = lives[index];
            var jobId = JobIds[index];
            var createdAt = Start.AddMinutes(index);
            var clock = createdAt;
            var gap = 0;
            JobObservation Seen(JobStatus status, string id) =>
                new(jobId, status, $"{id}/{jobId}", clock = clock.AddSeconds(life.Gaps[gap++]),
                    Description: "firmware 2.1", TargetSelection: "SNAPSHOT", Targets: [$"arn:aws:iot:eu-west-1:111122223333:thinggroup/{jobId}"],
                    CreatedAt: createdAt);

            if (life.SeenScheduled)
            {
                observations.Add(Seen(JobStatus.Scheduled, "describe-1"));
            }

            if (life.SeenInProgress)
            {
                observations.Add(Seen(JobStatus.InProgress, "describe-2"));
            }

            switch (life.End)
            {
                case 1:
                    var completed = Seen(JobStatus.Completed, "completed");
                    observations.Add(completed with
                    {
                        CompletedAt = completed.OccurredAt,
                        ReportedProcessDetails = new Dictionary<string, long> { ["numberOfSucceededThings"] = 2, ["numberOfFailedThings"] = index },
                    });
                    break;
                case 2 or 3:
                    observations.Add(Seen(JobStatus.CancellationInProgress, "cancellation_in_progress") with { Comment = life.Comment, ReasonCode = "OPERATOR" });
                    if (life.End == 2)
                    {
                        observations.Add(Seen(JobStatus.Canceled, "canceled"));
                    }

                    break;
            }

            if (life.Deletion > 0)
            {
                observations.Add(Seen(JobStatus.DeletionInProgress, "deletion_in_progress") with { Comment = "cleanup" });
                if (life.Deletion == 2)
                {
                    observations.Add(Seen(JobStatus.Deleted, "deleted") with { Comment = "cleanup" });
                }
            }
        }

        return observations;
    }

    /// <summary>End: 0 still running, 1 completed, 2 canceled, 3 cancellation under way. Deletion: 0 none, 1 under way, 2 deleted.</summary>
    private sealed record JobLife(bool SeenScheduled, bool SeenInProgress, int End, int Deletion, string Comment, int[] Gaps);
}
