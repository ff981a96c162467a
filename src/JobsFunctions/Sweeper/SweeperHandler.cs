using System.Globalization;
using System.Text;
using System.Text.Json;
using JobsFunctions.Aws.Logging;
using JobsFunctions.Configuration;
using JobsFunctions.Domain.Sweeping;
using JobsFunctions.Hosting;

namespace JobsFunctions.Sweeper;

/// <summary>
/// The policy sweeper function: an EventBridge schedule invokes it. Each run gets a budget that ends well before
/// the invocation's deadline (the next run resumes where it stopped), and leaves one JSON log line whose EMF metrics
/// count what it did — plus an ERROR line when the account's job or job-execution events are off.
/// </summary>
internal sealed class SweeperHandler(PolicySweeper sweeper, SweeperSettings settings, TimeProvider clock, TextWriter log) : IFunctionHandler
{
    public const string EventsOffMetric = "EventsOff";

    /// <summary>Time kept back from the deadline for giving the lease back, storing the cursor and logging.</summary>
    public static readonly TimeSpan DeadlineMargin = TimeSpan.FromSeconds(10);

    public async Task<byte[]> HandleAsync(ReadOnlyMemory<byte> payload, InvocationContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var scheduled = JsonSerializer.Deserialize(payload.Span, FunctionsJsonContext.Default.ScheduledEvent)
            ?? throw new JsonException("The invocation payload is not an EventBridge scheduled event.");
        var now = clock.GetUtcNow();
        var stopBy = now + settings.Budget < context.Deadline - DeadlineMargin ? now + settings.Budget : context.Deadline - DeadlineMargin;
        var report = await sweeper.RunAsync(new SweepRun(context.RequestId, stopBy, scheduled.Time), cancellationToken);

        if (report.EventsOff)
        {
            JsonLog.Write(log, "ERROR", "AWS IoT job events are off: the recorder receives nothing and policies act on stale records",
                [("requestId", context.RequestId), ("jobEvents", report.Events?.JobEvents), ("jobExecutionEvents", report.Events?.JobExecutionEvents)]);
        }

        var outcome = !report.LeaseTaken ? "leaseHeld" : report.Finished ? "finished" : "resumeNext";
        JsonLog.Write(log, report.Errors.Count > 0 ? "WARN" : "INFO", $"sweep {outcome}",
            [
                ("requestId", context.RequestId), ("scheduledEventId", scheduled.Id), ("scheduledTime", scheduled.Time?.ToString("O", CultureInfo.InvariantCulture)), ("outcome", outcome),
                ("jobsSwept", report.JobsSwept), ("errors", report.Errors.Count == 0 ? null : string.Join("; ", report.Errors)),
                ("eventsKnown", report.Events is not null), ("Function", "sweeper"),
            ],
            (["Function"],
            [
                ("Actions", "Count", report.Actions), ("DryRunActions", "Count", report.DryRunActions), ("Skips", "Count", report.Skips),
                ("ExecutionsExamined", "Count", report.ExecutionsExamined), ("ReconciledChanges", "Count", report.ReconciledChanges),
                ("IotCalls", "Count", report.IotCalls), ("Throttles", "Count", report.Throttles),
                ("RunDuration", "Milliseconds", report.Duration.TotalMilliseconds), (EventsOffMetric, "Count", report.EventsOff ? 1 : 0),
            ]));
        return Encoding.UTF8.GetBytes($"{{\"outcome\":\"{outcome}\"}}");
    }
}
