using JobsFunctions.Local.Rules;

namespace JobsFunctions.Local.Demo;

/// <summary>
/// The recorder catching up once the rollout is over: what the rules delivered to it, what it has recorded (or given
/// up on), its Lambda retries and the DynamoDB faults so far, and a guess at the time left from the pace since the
/// drain began.
/// </summary>
/// <param name="Elapsed">Wall time since the drain began.</param>
/// <param name="Left">The time left at the pace so far; null while nothing has finished to measure a pace by.</param>
public sealed record DrainProgress(TimeSpan Elapsed, long Delivered, long Recorded, long Failed, long Retries, long Faults, TimeSpan? Left)
{
    /// <summary>
    /// Where the drain stands <paramref name="elapsed"/> after it began, when <paramref name="finishedAtStart"/>
    /// deliveries had already been recorded or failed.
    /// </summary>
    public static DrainProgress Measure(TimeSpan elapsed, long finishedAtStart, AsyncInvocationCounts recorder, long faults)
    {
        ArgumentNullException.ThrowIfNull(recorder);
        var finished = recorder.Succeeded + recorder.Failed;
        var remaining = Math.Max(0, recorder.Accepted - finished);
        var pace = elapsed > TimeSpan.Zero ? (finished - finishedAtStart) / elapsed.TotalSeconds : 0;
        TimeSpan? left = remaining == 0 ? TimeSpan.Zero
            : pace > 0 ? TimeSpan.FromSeconds(remaining / pace)
            : null;
        return new DrainProgress(elapsed, recorder.Accepted, recorder.Succeeded, recorder.Failed, recorder.Retries, faults, left);
    }
}
