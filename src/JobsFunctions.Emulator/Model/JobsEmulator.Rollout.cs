namespace JobsFunctions.Emulator.Model;

// Rollout (https://docs.aws.amazon.com/iot/latest/developerguide/jobs-configurations-details.html).
public sealed partial class JobsEmulator
{
    private static int StartingRate(RolloutConfig? rollout) =>
        rollout?.ExponentialRate is { } rate
            ? Math.Min(rate.BaseRatePerMinute, rollout.MaximumPerMinute ?? DefaultMaximumPerMinute)
            : rollout?.MaximumPerMinute ?? DefaultMaximumPerMinute;

    /// <summary>
    /// Releases (queues) up to the current rate of pending things, then schedules the next minute's batch. With an
    /// exponential rate, once <c>numberOfNotifiedThings</c> more things were notified or
    /// <c>numberOfSucceededThings</c> more executions succeeded since the last increase, the rate is multiplied by
    /// <c>incrementFactor</c> (rounded down), never above <c>maximumPerMinute</c> (or 1000).
    /// </summary>
    private void ReleaseBatch(EmulatedJob job)
    {
        IncreaseRateIfDue(job);
        var released = 0;
        while (released < job.CurrentRate && job.Pending.TryDequeue(out var thing))
        {
            // A CONTINUOUS job releases only things still in its targets; a SNAPSHOT job keeps its list.
            if (_things.TryGetValue(thing, out var target) && Latest(job, thing) is null
                && (job.Selection == TargetSelection.Snapshot || IsTargeted(job, target)))
            {
                Queue(job, thing);
                job.Notified++;
                released++;
            }
        }

        job.RolloutGeneration++;
        if (job.Pending.Count > 0)
        {
            Schedule(_at + RolloutStep, new Work(WorkKind.Rollout, job, null, job.RolloutGeneration));
        }
        else
        {
            CheckCompletion(job);
        }
    }

    private static void IncreaseRateIfDue(EmulatedJob job)
    {
        if (job.Rollout?.ExponentialRate is not { } rate)
        {
            return;
        }

        var notifiedDue = rate.NumberOfNotifiedThings is { } n && job.Notified - job.NotifiedAtIncrease >= n;
        var succeededDue = rate.NumberOfSucceededThings is { } s && job.SucceededTotal - job.SucceededAtIncrease >= s;
        if (notifiedDue || succeededDue)
        {
            var cap = job.Rollout.MaximumPerMinute ?? DefaultMaximumPerMinute;
            job.CurrentRate = (int)Math.Min(cap, Math.Floor(job.CurrentRate * rate.IncrementFactor));
            job.NotifiedAtIncrease = job.Notified;
            job.SucceededAtIncrease = job.SucceededTotal;
        }
    }

    private static void StopRollout(EmulatedJob job)
    {
        job.Pending.Clear();
        job.RolloutGeneration++;
    }
}
