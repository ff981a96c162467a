namespace JobsFunctions.Domain.Sweeping;

/// <summary>
/// Counts of the calls this process made to AWS IoT Jobs, kept where they happen (the client sees every attempt and
/// every answer, retries included). The sweeper reads it before and after a run and reports the difference.
/// </summary>
public interface IJobsCallMeter
{
    JobsCallCounts Read();
}

/// <summary>Answers and failures from IoT (<paramref name="Calls"/>), of which <paramref name="Throttles"/> were throttled.</summary>
public readonly record struct JobsCallCounts(long Calls, long Throttles)
{
    public static JobsCallCounts operator -(JobsCallCounts after, JobsCallCounts before) =>
        new(after.Calls - before.Calls, after.Throttles - before.Throttles);

    public JobsCallCounts Subtract(JobsCallCounts before) => this - before;
}
