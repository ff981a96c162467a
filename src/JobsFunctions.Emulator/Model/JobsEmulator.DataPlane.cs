using JobsFunctions.Domain.Executions;

namespace JobsFunctions.Emulator.Model;

// Job executions on the jobs data plane, as a device calls them.
public sealed partial class JobsEmulator
{
    /// <summary>
    /// UpdateJobExecution (https://docs.aws.amazon.com/iot/latest/apireference/API_iot-jobs-data_UpdateJobExecution.html).
    /// A stale expectedVersion or a change out of a terminal status is InvalidStateTransition carrying the state.
    /// </summary>
    public ExecutionView UpdateJobExecution(string jobId, string thingName, DeviceExecutionUpdate update)
    {
        ArgumentNullException.ThrowIfNull(update);
        return Atomically(() =>
        {
            var execution = Execution(LiveJob(jobId), thingName, update.ExecutionNumber);
            ExecutionTransitions.CheckDeviceUpdate(execution, update, View);

            if (update.StatusDetails is not null)
            {
                execution.StatusDetails = new Dictionary<string, string>(update.StatusDetails, StringComparer.Ordinal);
            }

            if (update.Status == ExecutionStatus.InProgress)
            {
                Start(execution, update.StepTimeoutInMinutes);
                Touch(execution);
                ChangeStatus(execution, ExecutionStatus.InProgress);
            }
            else
            {
                Touch(execution);
                ChangeStatus(execution, update.Status);
            }

            return View(execution);
        });
    }

    /// <summary>DescribeJobExecution on the data plane; <c>$next</c> is the next pending execution (null if none).</summary>
    public ExecutionView? DescribeJobExecutionForDevice(string jobId, string thingName, long? executionNumber) => Atomically(() =>
    {
        if (jobId == "$next")
        {
            return NextPending(thingName) is { } next ? View(next) : null;
        }

        var job = LiveJob(jobId);
        var execution = Execution(job, thingName, executionNumber);
        if (job.Status is EmulatedJobStatus.Completed or EmulatedJobStatus.Canceled && execution.Status.IsTerminal())
        {
            throw new EmulatorException(ErrorCodes.TerminalState, $"Job {jobId} is {Wire(job.Status)}, a terminal state.");
        }

        return View(execution);
    });

    public PendingExecutions GetPendingJobExecutions(string thingName) => Atomically(() =>
    {
        Thing(thingName);
        var pending = PendingOf(thingName).Take(MaxPendingExecutions).ToList();
        return new PendingExecutions(
            pending.Where(e => e.Status == ExecutionStatus.InProgress).Select(View).ToList(),
            pending.Where(e => e.Status == ExecutionStatus.Queued).Select(View).ToList());
    });

    /// <summary>
    /// StartNextPendingJobExecution: an IN_PROGRESS execution is returned as it is; else the oldest QUEUED one starts
    /// with the given statusDetails and step timer (https://docs.aws.amazon.com/iot/latest/developerguide/jobs-http-device-api.html).
    /// </summary>
    public ExecutionView? StartNextPendingJobExecution(string thingName, IReadOnlyDictionary<string, string>? statusDetails, long? stepTimeoutInMinutes) => Atomically(() =>
    {
        Thing(thingName);
        var next = NextPending(thingName);
        if (next is null)
        {
            return null;
        }

        if (ExecutionTransitions.StartsOnNextPending(next))
        {
            if (statusDetails is not null)
            {
                next.StatusDetails = new Dictionary<string, string>(statusDetails, StringComparer.Ordinal);
            }

            Start(next, stepTimeoutInMinutes);
            Touch(next);
            ChangeStatus(next, ExecutionStatus.InProgress);
        }

        return View(next);
    });

    /// <summary>
    /// For in-test fakes only: stamps the latest execution of a thing with times and a retry attempt it could only
    /// have reached by living through the past, which the clock, never moving back, cannot replay. Status, version
    /// and details still come only from the operations above.
    /// </summary>
    internal void SeedHistory(string jobId, string thingName, DateTimeOffset? queuedAt, DateTimeOffset? startedAt, DateTimeOffset? lastUpdatedAt, int? retryAttempt)
    {
        lock (_gate)
        {
            var execution = Execution(LiveJob(jobId), thingName, null);
            if (queuedAt is { } queued)
            {
                execution.QueuedAt = queued;
            }

            execution.StartedAt = startedAt ?? execution.StartedAt;
            execution.LastUpdatedAt = lastUpdatedAt ?? execution.LastUpdatedAt;
            execution.RetryAttempt = retryAttempt ?? execution.RetryAttempt;
        }
    }
}
