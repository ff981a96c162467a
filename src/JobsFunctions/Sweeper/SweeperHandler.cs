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
/// count what it did; plus an ERROR line per job (or list of jobs) the run could not sweep, with <c>jobId</c> and
/// <c>errorCode</c> (at most <see cref="SweepReport.MaxFailuresKept"/>; <c>JobErrors</c> counts them all), and one when
/// the account's job or job-execution events are off. <c>EventsOff</c> is emitted only when the check answered; when
/// the check itself failed <c>EventsCheckFailed</c> is 1 instead, so a failed check never reads as "events on".
/// </summary>
internal sealed class SweeperHandler(PolicySweeper sweeper, SweeperSettings settings, TimeProvider clock, TextWriter log) : IFunctionHandler
{
    public const string EventsOffMetric = "EventsOff";

    public const string EventsCheckFailedMetric = "EventsCheckFailed";

    public const string JobErrorsMetric = "JobErrors";

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

        foreach (var failure in report.Failures)
        {
            JsonLog.Write(log, "ERROR", failure.JobId is null ? "sweep could not read a list of jobs" : "sweep could not sweep a job",
                [("requestId", context.RequestId), ("jobId", failure.JobId), ("errorCode", failure.ErrorCode), ("detail", failure.Detail)]);
        }

        var outcome = !report.LeaseTaken ? "leaseHeld" : report.JobsFailed > 0 ? "jobsFailed" : report.Finished ? "finished" : "resumeNext";
        (string Name, string Unit, double Value)[] metrics =
        [
            ("Actions", "Count", report.Actions), ("DryRunActions", "Count", report.DryRunActions), ("Skips", "Count", report.Skips),
            ("ExecutionsExamined", "Count", report.ExecutionsExamined), ("ReconciledChanges", "Count", report.ReconciledChanges),
            ("IotCalls", "Count", report.IotCalls), ("Throttles", "Count", report.Throttles), (JobErrorsMetric, "Count", report.JobsFailed),
            ("RunDuration", "Milliseconds", report.Duration.TotalMilliseconds), (EventsCheckFailedMetric, "Count", report.EventsCheckFailed ? 1 : 0),
        ];
        JsonLog.Write(log, report.JobsFailed > 0 || report.EventsCheckFailed ? "WARN" : "INFO", $"sweep {outcome}",
            [
                ("requestId", context.RequestId), ("scheduledEventId", scheduled.Id), ("scheduledTime", scheduled.Time?.ToString("O", CultureInfo.InvariantCulture)), ("outcome", outcome),
                ("jobsSwept", report.JobsSwept), ("jobsFailed", report.JobsFailed), ("eventsKnown", report.Events is not null), ("Function", "sweeper"),
            ],
            (["Function"], report.Events is null ? metrics : [.. metrics, (EventsOffMetric, "Count", report.EventsOff ? 1 : 0)]));
        return Encoding.UTF8.GetBytes($"{{\"outcome\":\"{outcome}\"}}");
    }
}
