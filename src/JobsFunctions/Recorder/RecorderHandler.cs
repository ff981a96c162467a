using System.Text;
using JobsFunctions.Aws.Dynamo;
using JobsFunctions.Aws.Logging;
using JobsFunctions.Domain.Executions;
using JobsFunctions.Domain.Jobs;
using JobsFunctions.Domain.Recording;
using JobsFunctions.Hosting;

namespace JobsFunctions.Recorder;

/// <summary>
/// The recorder function: an IoT rule invokes it asynchronously with one Jobs event. A malformed event is logged once
/// with its reason and acknowledged (a retry could not fix it). A transient store failure records the event again in
/// the same invocation while its time lasts (<see cref="TransientRetry"/>); any other store failure, or one that
/// outlasts the invocation, throws, so Lambda retries the invocation and finally parks the event on the on-failure
/// queue. Log lines go to <paramref name="log"/> (stdout by default, where Lambda picks them up).
/// </summary>
internal sealed class RecorderHandler(StatusRecorder recorder, TransientRetry retry, TimeProvider clock, TextWriter? log = null) : IFunctionHandler
{
    /// <summary>No new round starts this close to the deadline: the last one has time to finish, or to fail cleanly.</summary>
    public static readonly TimeSpan RetryMargin = TimeSpan.FromSeconds(3);

    private static readonly byte[] Acknowledged = Encoding.UTF8.GetBytes("{\"recorded\":true}");
    private static readonly byte[] Dropped = Encoding.UTF8.GetBytes("{\"recorded\":false}");

    public async Task<byte[]> HandleAsync(ReadOnlyMemory<byte> payload, InvocationContext context, CancellationToken cancellationToken)
    {
        var started = clock.GetTimestamp();
        switch (IotJobsEvents.Parse(payload.Span))
        {
            case ParsedEvent.Execution execution:
                var (recorded, retries) = await WhileTimeLastsAsync(token => recorder.RecordAsync(execution.Observation, token), context, cancellationToken);
                var observation = execution.Observation;
                Log(context, recorded.Outcome, started, retries, ("eventId", observation.ObservationId), ("jobId", observation.JobId),
                    ("thingName", observation.ThingName), ("status", recorded.Record.Status.ToWire()), ("observed", observation.Status.ToWire()));
                return Acknowledged;

            case ParsedEvent.Job job:
                var (jobRecorded, jobRetries) = await WhileTimeLastsAsync(token => recorder.RecordAsync(job.Observation, token), context, cancellationToken);
                Log(context, jobRecorded.Outcome, started, jobRetries, ("eventId", job.Observation.ObservationId), ("jobId", job.Observation.JobId),
                    ("status", jobRecorded.Record.Status.ToWire()), ("observed", job.Observation.Status.ToWire()));
                return Acknowledged;

            case ParsedEvent.Malformed malformed:
                JsonLog.Write(log ?? JsonLog.Output, "WARN", "event dropped: malformed",
                    [("requestId", context.RequestId), ("outcome", "malformed"), ("reason", malformed.Reason), ("eventId", malformed.EventId), ("jobId", malformed.JobId), ("Function", "recorder"), ("Outcome", "malformed")],
                    (["Function", "Outcome"], [("Events", "Count", 1)]));
                return Dropped;

            default:
                throw new InvalidOperationException("Unknown parse result.");
        }
    }

    /// <summary>Records, again after each transient store failure, until <see cref="RetryMargin"/> before the deadline.</summary>
    private async Task<(T Result, int Retries)> WhileTimeLastsAsync<T>(
        Func<CancellationToken, Task<T>> record, InvocationContext context, CancellationToken cancellationToken)
    {
        var retries = 0;
        var result = await retry.RunAsync(record, context.Deadline - RetryMargin, _ => retries++, cancellationToken);
        return (result, retries);
    }

    /// <param name="retries">Rounds the store failed transiently before this one succeeded (a metric too: a rising count is DynamoDB throttling the table).</param>
    private void Log(InvocationContext context, RecordOutcome outcome, long started, int retries, params (string Key, object? Value)[] fields)
    {
        var outcomeName = outcome switch
        {
            RecordOutcome.Recorded => "recorded",
            RecordOutcome.LedgerOnly => "ledgerOnly",
            _ => "duplicate",
        };
        (string Key, object? Value)[] common = [("requestId", context.RequestId), ("outcome", outcomeName), ("Function", "recorder"), ("Outcome", outcomeName)];
        JsonLog.Write(log ?? JsonLog.Output, "INFO", $"event {outcomeName}", [.. common, .. fields, ("storeRetries", retries)],
            (["Function", "Outcome"], [("Events", "Count", 1), ("StoreRetries", "Count", retries), ("RecordLatency", "Milliseconds", clock.GetElapsedTime(started).TotalMilliseconds)]));
    }
}
