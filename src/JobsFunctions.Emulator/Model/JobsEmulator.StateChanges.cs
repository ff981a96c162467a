using System.Globalization;
using JobsFunctions.Domain.Executions;

namespace JobsFunctions.Emulator.Model;

// State changes once a move is allowed (ExecutionTransitions): versions, timers, counts, retries, abort, completion.
public sealed partial class JobsEmulator
{
    private EmulatedExecution Queue(EmulatedJob job, string thingName, EmulatedExecution? retryOf = null)
    {
        if (!job.ByThing.TryGetValue(thingName, out var list))
        {
            list = [];
            job.ByThing.Add(thingName, list);
        }

        if (list.Count > 0)
        {
            job.LatestCounts[(int)list[^1].Status]--;
        }

        var execution = new EmulatedExecution
        {
            Job = job,
            ThingName = thingName,
            ThingArn = ThingArn(thingName),
            ExecutionNumber = list.Count > 0 ? list[^1].ExecutionNumber + 1 : 1,
            Order = ++_order,
            QueuedAt = _at,
            LastUpdatedAt = _at,
            RetryAttempt = retryOf is null ? 0 : retryOf.RetryAttempt + 1,
            FailedRetries = retryOf?.FailedRetries ?? 0,
            TimedOutRetries = retryOf?.TimedOutRetries ?? 0,
        };
        list.Add(execution);
        job.LatestCounts[(int)ExecutionStatus.Queued]++;
        job.AttemptCounts[(int)ExecutionStatus.Queued]++;
        return execution;
    }

    private void Start(EmulatedExecution execution, long? stepTimeoutInMinutes)
    {
        if (execution.Status == ExecutionStatus.Queued)
        {
            execution.StartedAt = _at;
            execution.InProgressDeadline = execution.Job.InProgressTimeoutInMinutes is { } minutes ? _at + TimeSpan.FromMinutes(minutes) : null;
        }

        // Each step timer replaces the last; -1 drops it; none may outlast the in-progress bound
        // (https://docs.aws.amazon.com/iot/latest/developerguide/jobs-configurations-details.html).
        if (stepTimeoutInMinutes == -1)
        {
            execution.StepDeadline = null;
        }
        else if (stepTimeoutInMinutes is { } step)
        {
            execution.StepDeadline = _at + TimeSpan.FromMinutes(step);
        }

        execution.TimerGeneration++;
        if (execution.Deadline is { } due)
        {
            Schedule(due, new Work(WorkKind.Timeout, execution.Job, execution, execution.TimerGeneration));
        }
    }

    /// <summary>Every change, the service's own included, moves versionNumber on and stamps lastUpdatedAt.</summary>
    private void Touch(EmulatedExecution execution)
    {
        execution.VersionNumber += ExecutionLifecycle.VersionStep;
        execution.LastUpdatedAt = _at;
    }

    private void ChangeStatus(EmulatedExecution execution, ExecutionStatus to)
    {
        var job = execution.Job;
        var from = execution.Status;
        execution.Status = to;
        if (IsLatest(execution))
        {
            job.LatestCounts[(int)from]--;
            job.LatestCounts[(int)to]++;
        }

        job.AttemptCounts[(int)from]--;
        job.AttemptCounts[(int)to]++;
        if (!to.IsTerminal())
        {
            return;
        }

        execution.StepDeadline = null;
        execution.InProgressDeadline = null;
        execution.TimerGeneration++;
        if (to == ExecutionStatus.Succeeded)
        {
            job.SucceededTotal++;
        }

        ExecutionEvent(execution, to.ToWire().ToLowerInvariant(), to.ToWire());
        if (job.Status != EmulatedJobStatus.InProgress)
        {
            return;
        }

        CheckAbort(job);
        if (job.Status == EmulatedJobStatus.InProgress)
        {
            Retry(execution);
        }

        CheckCompletion(job);
    }

    /// <summary>
    /// FAILED and TIMED_OUT are retried while the criterion for that failure type (else ALL) allows, at most 10
    /// times per device; the retry is a new QUEUED execution with the next executionNumber and retryAttempt + 1.
    /// </summary>
    private void Retry(EmulatedExecution execution)
    {
        if (execution.Job.Retry is not { } criteria || execution.Status is not (ExecutionStatus.Failed or ExecutionStatus.TimedOut)
            || !IsLatest(execution) || execution.RetryAttempt >= MaxRetriesPerDevice)
        {
            return;
        }

        var type = execution.Status.ToWire();
        var specific = criteria.FirstOrDefault(c => c.FailureType == type);
        var all = criteria.FirstOrDefault(c => c.FailureType == "ALL");
        var (allowed, used) = specific is not null
            ? (specific.NumberOfRetries, execution.Status == ExecutionStatus.Failed ? execution.FailedRetries : execution.TimedOutRetries)
            : all is not null ? (all.NumberOfRetries, execution.RetryAttempt) : (0, 0);
        if (used >= allowed)
        {
            return;
        }

        var retry = Queue(execution.Job, execution.ThingName, execution);
        if (execution.Status == ExecutionStatus.Failed)
        {
            retry.FailedRetries++;
        }
        else
        {
            retry.TimedOutRetries++;
        }
    }

    /// <summary>
    /// Abort criteria, checked in order after each execution ends
    /// (https://docs.aws.amazon.com/iot/latest/developerguide/job-configurations-api.html): once at least
    /// minNumberOfExecutedThings executions completed (SUCCEEDED, FAILED, REJECTED or TIMED_OUT, every attempt
    /// counted) and at least thresholdPercentage of them are of the failure type, the job is canceled.
    /// </summary>
    private void CheckAbort(EmulatedJob job)
    {
        if (job.Abort is not { Count: > 0 } criteria)
        {
            return;
        }

        var counts = job.AttemptCounts;
        var failed = counts[(int)ExecutionStatus.Failed];
        var rejected = counts[(int)ExecutionStatus.Rejected];
        var timedOut = counts[(int)ExecutionStatus.TimedOut];
        var completed = counts[(int)ExecutionStatus.Succeeded] + failed + rejected + timedOut;
        foreach (var criterion in criteria)
        {
            var failures = criterion.FailureType switch
            {
                "FAILED" => failed,
                "REJECTED" => rejected,
                "TIMED_OUT" => timedOut,
                _ => failed + rejected + timedOut,
            };
            if (completed >= criterion.MinNumberOfExecutedThings && completed > 0 && failures * 100.0 / completed >= criterion.ThresholdPercentage)
            {
                var percentage = (failures * 100.0 / completed).ToString("0.##", CultureInfo.InvariantCulture);
                Cancel(
                    job,
                    force: false,
                    reasonCode: $"AUTO_ABORT_{criterion.FailureType}",
                    comment: $"Job aborted by abortConfig: {percentage}% of {completed} completed executions were {criterion.FailureType} "
                        + $"(thresholdPercentage {criterion.ThresholdPercentage.ToString(CultureInfo.InvariantCulture)}, minNumberOfExecutedThings {criterion.MinNumberOfExecutedThings}).");
                return;
            }
        }
    }

    private void Cancel(EmulatedJob job, bool force, string? reasonCode, string? comment)
    {
        job.Status = EmulatedJobStatus.Canceled;
        job.ForceCanceled |= force;
        job.ReasonCode = reasonCode ?? job.ReasonCode;
        job.Comment = comment ?? job.Comment;
        job.LastUpdatedAt = _at;
        StopRollout(job);
        JobEvent(job, "cancellation_in_progress", "CANCELLATION_IN_PROGRESS", withComment: true);
        foreach (var list in job.ByThing.Values.ToList())
        {
            var latest = list[^1];
            if (ExecutionTransitions.CanceledWithJob(latest, force))
            {
                latest.ForceCanceled = latest.Status == ExecutionStatus.InProgress;
                Touch(latest);
                ChangeStatus(latest, ExecutionStatus.Canceled);
            }
        }

        JobEvent(job, "canceled", "CANCELED", withComment: false);
    }

    /// <summary>A SNAPSHOT job completes once rollout is over and every thing's latest execution is terminal.</summary>
    private void CheckCompletion(EmulatedJob job)
    {
        if (job.Selection != TargetSelection.Snapshot || job.Status != EmulatedJobStatus.InProgress || job.Pending.Count > 0 || job.OpenThings > 0)
        {
            return;
        }

        job.Status = EmulatedJobStatus.Completed;
        job.CompletedAt = _at;
        job.LastUpdatedAt = _at;
        JobEvent(job, "completed", "COMPLETED", withComment: false);
    }

    private void Remove(EmulatedExecution execution)
    {
        var job = execution.Job;
        var list = job.ByThing[execution.ThingName];
        var wasLatest = IsLatest(execution);
        list.Remove(execution);
        job.AttemptCounts[(int)execution.Status]--;
        execution.TimerGeneration++;
        if (wasLatest)
        {
            job.LatestCounts[(int)execution.Status]--;
            if (list.Count > 0)
            {
                job.LatestCounts[(int)list[^1].Status]++;
            }
        }

        if (list.Count == 0)
        {
            job.ByThing.Remove(execution.ThingName);
        }

        ExecutionEvent(execution, "deleted", execution.Status.ToWire());
        CheckCompletion(job);
    }

    private void FinishDeletion(EmulatedJob job)
    {
        foreach (var execution in job.ByThing.Values.SelectMany(list => list).OrderBy(e => e.Order).ToList())
        {
            execution.TimerGeneration++;
            ExecutionEvent(execution, "deleted", execution.Status.ToWire());
        }

        _jobs.Remove(job.Id);
        JobEvent(job, "deleted", "DELETED", withComment: true);
    }
}
