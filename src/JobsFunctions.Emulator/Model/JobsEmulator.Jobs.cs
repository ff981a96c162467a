namespace JobsFunctions.Emulator.Model;

// Jobs on the control plane: create, describe, list, update, cancel, delete.
public sealed partial class JobsEmulator
{
    public EmulatedJobView CreateJob(JobSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return Atomically(() =>
        {
            if (_jobs.TryGetValue(spec.JobId, out var existing))
            {
                throw new EmulatorException(ErrorCodes.ResourceAlreadyExists, $"Job {spec.JobId} already exists.")
                {
                    Resource = (spec.JobId, existing.Arn),
                };
            }

            var things = new List<string>();
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var target in spec.Targets)
            {
                foreach (var thing in Resolve(target))
                {
                    if (seen.Add(thing))
                    {
                        things.Add(thing);
                    }
                }
            }

            var job = new EmulatedJob
            {
                Id = spec.JobId,
                Arn = $"arn:aws:iot:{Region}:{Account}:job/{spec.JobId}",
                Selection = spec.TargetSelection,
                Targets = [.. spec.Targets],
                Document = spec.Document,
                CreatedAt = _at,
                Order = ++_order,
                LastUpdatedAt = _at,
                Description = spec.Description,
                Rollout = spec.Rollout,
                Abort = spec.Abort?.ToList(),
                InProgressTimeoutInMinutes = spec.InProgressTimeoutInMinutes,
                Retry = spec.Retry?.ToList(),
                PresignedUrl = spec.PresignedUrl,
                NamespaceId = spec.NamespaceId,
            };
            foreach (var thing in things)
            {
                job.Pending.Enqueue(thing);
            }

            job.CurrentRate = StartingRate(job.Rollout);
            _jobs.Add(job.Id, job);
            ReleaseBatch(job);
            return View(job);
        });
    }

    public EmulatedJobView DescribeJob(string jobId) => Atomically(() => View(Job(jobId)));

    public EmulatedPage<EmulatedJobView> ListJobs(EmulatedJobStatus? status, TargetSelection? selection, string? thingGroupName, int maxResults, string? nextToken) => Atomically(() =>
    {
        var groupArn = thingGroupName is null ? null : GroupArn(thingGroupName);
        var matching = _jobs.Values
            .Where(job => (status is null || job.Status == status)
                && (selection is null || job.Selection == selection)
                && (groupArn is null || job.Targets.Contains(groupArn)))
            .OrderBy(job => job.Order)
            .Select(View);
        return Paged(matching, maxResults, nextToken);
    });

    public EmulatedJobView UpdateJob(string jobId, JobUpdate update)
    {
        ArgumentNullException.ThrowIfNull(update);
        return Atomically(() =>
        {
            var job = Job(jobId);
            if (job.Status == EmulatedJobStatus.DeletionInProgress)
            {
                throw EmulatorException.Invalid($"Job {jobId} is being deleted and cannot be updated.");
            }

            // "After creation, the number of retries can't be updated, except set to 0"
            // (https://docs.aws.amazon.com/iot/latest/developerguide/job-configurations-api.html).
            if (update.Retry is { } retry)
            {
                foreach (var criterion in retry.Where(c => c.NumberOfRetries != 0))
                {
                    var before = job.Retry?.FirstOrDefault(c => c.FailureType == criterion.FailureType);
                    if (before is null || before.NumberOfRetries != criterion.NumberOfRetries)
                    {
                        throw EmulatorException.Invalid(
                            $"jobExecutionsRetryConfig: the number of retries for {criterion.FailureType} can only be set to 0 after the job is created.");
                    }
                }

                job.Retry = [.. retry];
            }

            job.Description = update.Description ?? job.Description;
            job.PresignedUrl = update.PresignedUrl ?? job.PresignedUrl;
            if (update.InProgressTimeoutInMinutes is { } minutes)
            {
                // The in-progress timer applies to executions that start from now on; started ones keep theirs.
                job.InProgressTimeoutInMinutes = minutes;
            }

            if (update.Rollout is { } rollout)
            {
                job.Rollout = rollout;
                job.CurrentRate = StartingRate(rollout);
            }

            if (update.Abort is { } abort)
            {
                job.Abort = [.. abort];
            }

            job.LastUpdatedAt = _at;
            if (job.Status == EmulatedJobStatus.InProgress)
            {
                CheckAbort(job);
            }

            return View(job);
        });
    }

    /// <summary>
    /// CancelJob (https://docs.aws.amazon.com/iot/latest/apireference/API_CancelJob.html): rollout stops, QUEUED
    /// executions are canceled, IN_PROGRESS ones too with <paramref name="force"/>; terminal ones are untouched.
    /// </summary>
    public EmulatedJobView CancelJob(string jobId, bool force, string? reasonCode, string? comment) => Atomically(() =>
    {
        var job = Job(jobId);
        ExecutionTransitions.CheckJobCancel(job, force);
        Cancel(job, force, reasonCode, comment);
        return View(job);
    });

    /// <summary>
    /// DeleteJob (https://docs.aws.amazon.com/iot/latest/apireference/API_DeleteJob.html): without force only a
    /// COMPLETED or CANCELED job; the job stays in DELETION_IN_PROGRESS for <see cref="DeletionTime"/> of the
    /// emulator's clock, then it and its executions are gone and its id may be used again.
    /// </summary>
    public void DeleteJob(string jobId, bool force) => Atomically(() =>
    {
        var job = Job(jobId);
        if (job.Status == EmulatedJobStatus.DeletionInProgress)
        {
            throw EmulatorException.Transition($"Job {jobId} is already being deleted.");
        }

        if (job.Status == EmulatedJobStatus.InProgress && !force)
        {
            throw EmulatorException.Transition($"Job {jobId} is IN_PROGRESS; delete it with force, or cancel it first.");
        }

        if (_jobs.Values.Count(j => j.Status == EmulatedJobStatus.DeletionInProgress) >= MaxDeletionsInProgress)
        {
            throw new EmulatorException(ErrorCodes.LimitExceeded, $"{MaxDeletionsInProgress} jobs are already being deleted; try again later.");
        }

        job.Status = EmulatedJobStatus.DeletionInProgress;
        job.LastUpdatedAt = _at;
        StopRollout(job);
        JobEvent(job, "deletion_in_progress", "DELETION_IN_PROGRESS", withComment: true);
        job.DeletionDue = _at + DeletionTime;
        Schedule(job.DeletionDue.Value, new Work(WorkKind.Deletion, job, null, 0));
    });

    public string GetJobDocument(string jobId) => Atomically(() => Job(jobId).Document);
}
