using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using JobsFunctions.Domain.Executions;

namespace JobsFunctions.Local.Emulator.Model;

/// <summary>
/// The AWS IoT Jobs state machine the emulator serves: jobs, their executions, things and thing groups, timers,
/// rollout, abort, retries and events, as the developer guide documents them
/// (https://docs.aws.amazon.com/iot/latest/developerguide/iot-jobs-lifecycle.html). Thread-safe: every operation
/// runs under one lock, after catching up with the clock, so whatever fell due since the last call (a timeout, a
/// rollout step, a deletion finishing) has happened, in order, at the instant it fell due.
/// </summary>
public sealed class JobsEmulator
{
    public const string DefaultRegion = "us-east-1";
    public const string DefaultAccount = "123456789012";

    /// <summary>"Up to 1000 devices per minute" (https://docs.aws.amazon.com/iot/latest/developerguide/job-limits.html).</summary>
    public const int DefaultMaximumPerMinute = 1000;

    /// <summary>At most 10 jobs may be in DELETION_IN_PROGRESS at once (https://docs.aws.amazon.com/iot/latest/apireference/API_DeleteJob.html).</summary>
    public const int MaxDeletionsInProgress = 10;

    /// <summary>"Up to 10" pending executions (https://docs.aws.amazon.com/iot/latest/developerguide/job-limits.html).</summary>
    public const int MaxPendingExecutions = 10;

    /// <summary>Up to 10 retries per device for both failure types combined.</summary>
    public const int MaxRetriesPerDevice = 10;

    /// <summary>How long a deletion stays in DELETION_IN_PROGRESS on the emulator's clock.</summary>
    public static readonly TimeSpan DeletionTime = TimeSpan.FromSeconds(1);

    public static readonly IReadOnlyList<string> EventTypes =
    [
        "THING", "THING_GROUP", "THING_TYPE", "THING_GROUP_MEMBERSHIP", "THING_GROUP_HIERARCHY", "THING_TYPE_ASSOCIATION",
        "JOB", "JOB_EXECUTION", "POLICY", "CERTIFICATE", "CA_CERTIFICATE",
    ];

    private static readonly TimeSpan RolloutStep = TimeSpan.FromMinutes(1);

    private readonly object _gate = new();
    private readonly Dictionary<string, EmulatedJob> _jobs = new(StringComparer.Ordinal);
    private readonly Dictionary<string, EmulatedThing> _things = new(StringComparer.Ordinal);
    private readonly Dictionary<string, EmulatedThingGroup> _groups = new(StringComparer.Ordinal);
    private readonly Dictionary<string, bool> _eventConfigurations = new(StringComparer.Ordinal);
    private readonly PriorityQueue<Work, (DateTimeOffset Due, long Order)> _work = new();
    private readonly List<EmulatorEvent> _events = [];
    private readonly List<IEmulatorEventSubscriber> _subscribers = [];
    private DateTimeOffset _eventConfigurationsCreated;
    private DateTimeOffset _eventConfigurationsModified;
    private DateTimeOffset _at;
    private long _order;

    public JobsEmulator(EmulatorClock clock, string region = DefaultRegion, string account = DefaultAccount)
    {
        ArgumentNullException.ThrowIfNull(clock);
        Clock = clock;
        Region = region;
        Account = account;
        Reset();
    }

    public EmulatorClock Clock { get; }

    public string Region { get; }

    public string Account { get; }

    /// <summary>Forgets every job, thing, group, event and setting, as a fresh account would be.</summary>
    public void Reset()
    {
        lock (_gate)
        {
            _jobs.Clear();
            _things.Clear();
            _groups.Clear();
            _work.Clear();
            _events.Clear();
            _at = Clock.Now;
            _eventConfigurationsCreated = _eventConfigurationsModified = _at;

            // Events are off in a new account (https://docs.aws.amazon.com/iot/latest/developerguide/iot-events.html).
            foreach (var type in EventTypes)
            {
                _eventConfigurations[type] = false;
            }
        }
    }

    public void Subscribe(IEmulatorEventSubscriber subscriber)
    {
        ArgumentNullException.ThrowIfNull(subscriber);
        lock (_gate)
        {
            _subscribers.Add(subscriber);
        }
    }

    /// <summary>Moves the clock forward and fires whatever falls due, in order; returns the new time.</summary>
    public DateTimeOffset Advance(TimeSpan by)
    {
        lock (_gate)
        {
            Clock.Advance(by);
            return CatchUp();
        }
    }

    /// <summary>Fires whatever fell due on the clock since the last call (the host calls it on a timer).</summary>
    public DateTimeOffset Tick()
    {
        lock (_gate)
        {
            return CatchUp();
        }
    }

    public IReadOnlyList<EmulatorEvent> EventsAfter(long sequence, int max)
    {
        lock (_gate)
        {
            CatchUp();
            var start = (int)Math.Clamp(sequence, 0, _events.Count);
            return _events.GetRange(start, Math.Min(max, _events.Count - start));
        }
    }

    // ---- things and thing groups ----

    public ThingView CreateThing(string name, IReadOnlyDictionary<string, string>? attributes)
    {
        lock (_gate)
        {
            CatchUp();
            var wanted = new Dictionary<string, string>(attributes ?? new Dictionary<string, string>(), StringComparer.Ordinal);
            if (_things.TryGetValue(name, out var existing))
            {
                // CreateThing is idempotent for the same thing; a different one by the same name already exists.
                return SameMap(existing.Attributes, wanted)
                    ? View(existing)
                    : throw new EmulatorException(ErrorCodes.ResourceAlreadyExists, $"Thing {name} already exists with different attributes.")
                    {
                        Resource = (existing.Id, existing.Arn),
                    };
            }

            var thing = new EmulatedThing { Name = name, Arn = ThingArn(name), Id = Guid.NewGuid().ToString(), Attributes = wanted };
            _things.Add(name, thing);
            return View(thing);
        }
    }

    public ThingView DescribeThing(string name)
    {
        lock (_gate)
        {
            CatchUp();
            return View(Thing(name));
        }
    }

    /// <summary>Deleting a thing removes its pending executions (https://docs.aws.amazon.com/iot/latest/apireference/API_JobProcessDetails.html).</summary>
    public void DeleteThing(string name, long? expectedVersion)
    {
        lock (_gate)
        {
            CatchUp();
            if (!_things.TryGetValue(name, out var thing))
            {
                return;
            }

            if (expectedVersion is { } expected && expected != thing.Version)
            {
                throw new EmulatorException(ErrorCodes.VersionConflict, $"Thing {name} is at version {thing.Version}, not {expected}.");
            }

            foreach (var group in thing.Groups)
            {
                _groups[group].Members.Remove(name);
            }

            _things.Remove(name);
            foreach (var job in _jobs.Values.OrderBy(j => j.Order))
            {
                if (job.Status != JobStatus.DeletionInProgress && Latest(job, name) is { Status: ExecutionStatus.Queued } queued)
                {
                    Touch(queued);
                    ChangeStatus(queued, ExecutionStatus.Removed);
                }
            }
        }
    }

    public ThingGroupView CreateThingGroup(string name, string? description)
    {
        lock (_gate)
        {
            CatchUp();
            if (_groups.TryGetValue(name, out var existing))
            {
                return existing.Description == description
                    ? View(existing)
                    : throw new EmulatorException(ErrorCodes.ResourceAlreadyExists, $"Thing group {name} already exists with different properties.")
                    {
                        Resource = (existing.Id, existing.Arn),
                    };
            }

            var group = new EmulatedThingGroup
            {
                Name = name,
                Arn = GroupArn(name),
                Id = Guid.NewGuid().ToString(),
                Description = description,
                CreatedAt = _at,
            };
            _groups.Add(name, group);
            return View(group);
        }
    }

    public ThingGroupView DescribeThingGroup(string name)
    {
        lock (_gate)
        {
            CatchUp();
            return View(Group(name));
        }
    }

    /// <summary>
    /// A thing that joins a group gains an execution of every IN_PROGRESS CONTINUOUS job targeting the group, at once
    /// rather than paced ("near real time", https://docs.aws.amazon.com/iot/latest/developerguide/jobs-configurations-details.html).
    /// </summary>
    public void AddThingToThingGroup(string groupName, string thingName)
    {
        lock (_gate)
        {
            CatchUp();
            var group = Group(groupName);
            var thing = Thing(thingName);
            if (!group.Members.Add(thingName))
            {
                return;
            }

            thing.Groups.Add(groupName);
            foreach (var job in ContinuousJobsTargeting(group))
            {
                var latest = Latest(job, thingName);
                if (latest is null || latest.Status == ExecutionStatus.Removed)
                {
                    Queue(job, thingName);
                }
            }
        }
    }

    /// <summary>A thing that leaves every target of a CONTINUOUS job has its QUEUED execution there REMOVED.</summary>
    public void RemoveThingFromThingGroup(string groupName, string thingName)
    {
        lock (_gate)
        {
            CatchUp();
            var group = Group(groupName);
            var thing = Thing(thingName);
            if (!group.Members.Remove(thingName))
            {
                return;
            }

            thing.Groups.Remove(groupName);
            foreach (var job in ContinuousJobsTargeting(group))
            {
                if (!IsTargeted(job, thing) && Latest(job, thingName) is { Status: ExecutionStatus.Queued } queued)
                {
                    Touch(queued);
                    ChangeStatus(queued, ExecutionStatus.Removed);
                }
            }
        }
    }

    // ---- jobs (control plane) ----

    public JobView CreateJob(JobSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        lock (_gate)
        {
            CatchUp();
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
        }
    }

    public JobView DescribeJob(string jobId)
    {
        lock (_gate)
        {
            CatchUp();
            return View(Job(jobId));
        }
    }

    public Page<JobView> ListJobs(JobStatus? status, TargetSelection? selection, string? thingGroupName, int maxResults, string? nextToken)
    {
        lock (_gate)
        {
            CatchUp();
            var groupArn = thingGroupName is null ? null : GroupArn(thingGroupName);
            var matching = _jobs.Values
                .Where(job => (status is null || job.Status == status)
                    && (selection is null || job.Selection == selection)
                    && (groupArn is null || job.Targets.Contains(groupArn)))
                .OrderBy(job => job.Order)
                .Select(View);
            return Paged(matching, maxResults, nextToken);
        }
    }

    public JobView UpdateJob(string jobId, JobUpdate update)
    {
        ArgumentNullException.ThrowIfNull(update);
        lock (_gate)
        {
            CatchUp();
            var job = Job(jobId);
            if (job.Status == JobStatus.DeletionInProgress)
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
            if (job.Status == JobStatus.InProgress)
            {
                CheckAbort(job);
            }

            return View(job);
        }
    }

    /// <summary>
    /// CancelJob (https://docs.aws.amazon.com/iot/latest/apireference/API_CancelJob.html): rollout stops, QUEUED
    /// executions are canceled, IN_PROGRESS ones too with <paramref name="force"/>; terminal ones are untouched.
    /// </summary>
    public JobView CancelJob(string jobId, bool force, string? reasonCode, string? comment)
    {
        lock (_gate)
        {
            CatchUp();
            var job = Job(jobId);
            switch (job.Status)
            {
                case JobStatus.DeletionInProgress:
                    throw EmulatorException.Invalid($"Job {jobId} is being deleted and cannot be canceled.");
                case JobStatus.Completed:
                    throw EmulatorException.Invalid($"Job {jobId} is COMPLETED and cannot be canceled.");
                case JobStatus.Canceled when !force:
                    throw EmulatorException.Invalid($"Job {jobId} is already CANCELED; cancel it again with force to cancel its IN_PROGRESS executions.");
            }

            Cancel(job, force, reasonCode, comment);
            return View(job);
        }
    }

    /// <summary>
    /// DeleteJob (https://docs.aws.amazon.com/iot/latest/apireference/API_DeleteJob.html): without force only a
    /// COMPLETED or CANCELED job; the job stays in DELETION_IN_PROGRESS for <see cref="DeletionTime"/> of the
    /// emulator's clock, then it and its executions are gone and its id may be used again.
    /// </summary>
    public void DeleteJob(string jobId, bool force)
    {
        lock (_gate)
        {
            CatchUp();
            var job = Job(jobId);
            if (job.Status == JobStatus.DeletionInProgress)
            {
                throw EmulatorException.Transition($"Job {jobId} is already being deleted.");
            }

            if (job.Status == JobStatus.InProgress && !force)
            {
                throw EmulatorException.Transition($"Job {jobId} is IN_PROGRESS; delete it with force, or cancel it first.");
            }

            if (_jobs.Values.Count(j => j.Status == JobStatus.DeletionInProgress) >= MaxDeletionsInProgress)
            {
                throw new EmulatorException(ErrorCodes.LimitExceeded, $"{MaxDeletionsInProgress} jobs are already being deleted; try again later.");
            }

            job.Status = JobStatus.DeletionInProgress;
            job.LastUpdatedAt = _at;
            StopRollout(job);
            JobEvent(job, "deletion_in_progress", "DELETION_IN_PROGRESS", withComment: true);
            job.DeletionDue = _at + DeletionTime;
            Schedule(job.DeletionDue.Value, new Work(WorkKind.Deletion, job, null, 0));
        }
    }

    public string GetJobDocument(string jobId)
    {
        lock (_gate)
        {
            CatchUp();
            return Job(jobId).Document;
        }
    }

    // ---- executions (control plane) ----

    public ExecutionView DescribeJobExecution(string jobId, string thingName, long? executionNumber)
    {
        lock (_gate)
        {
            CatchUp();
            return View(Execution(LiveJob(jobId), thingName, executionNumber));
        }
    }

    public Page<ExecutionView> ListJobExecutionsForJob(string jobId, ExecutionStatus? status, int maxResults, string? nextToken)
    {
        lock (_gate)
        {
            CatchUp();
            var job = Job(jobId);
            var matching = job.ByThing.Values
                .Select(list => list[^1])
                .Where(execution => status is null || execution.Status == status)
                .Select(View);
            return Paged(matching, maxResults, nextToken);
        }
    }

    public Page<ExecutionView> ListJobExecutionsForThing(string thingName, ExecutionStatus? status, string? jobId, int maxResults, string? nextToken)
    {
        lock (_gate)
        {
            CatchUp();
            var matching = _jobs.Values
                .Where(job => jobId is null || job.Id == jobId)
                .OrderBy(job => job.Order)
                .Select(job => Latest(job, thingName))
                .OfType<EmulatedExecution>()
                .Where(execution => status is null || execution.Status == status)
                .Select(View);
            return Paged(matching, maxResults, nextToken);
        }
    }

    /// <summary>
    /// CancelJobExecution (https://docs.aws.amazon.com/iot/latest/apireference/API_CancelJobExecution.html) of the
    /// thing's latest execution: QUEUED, or IN_PROGRESS with force; a stale expectedVersion is a VersionConflict.
    /// </summary>
    public ExecutionView CancelJobExecution(string jobId, string thingName, bool force, long? expectedVersion, IReadOnlyDictionary<string, string>? statusDetails)
    {
        lock (_gate)
        {
            CatchUp();
            var execution = Execution(LiveJob(jobId), thingName, null);
            if (expectedVersion is { } expected && expected != execution.VersionNumber)
            {
                throw new EmulatorException(
                    ErrorCodes.VersionConflict, $"The job execution is at version {execution.VersionNumber}, not the expected version {expected}.");
            }

            if (execution.Status.IsTerminal())
            {
                throw EmulatorException.Transition($"The job execution is {execution.Status.ToWire()}, a terminal status, and cannot be canceled.");
            }

            if (execution.Status == ExecutionStatus.InProgress && !force)
            {
                throw EmulatorException.Transition("The job execution is IN_PROGRESS; cancel it with force.");
            }

            if (statusDetails is not null)
            {
                execution.StatusDetails = new Dictionary<string, string>(statusDetails, StringComparer.Ordinal);
            }

            execution.ForceCanceled = force;
            Touch(execution);
            ChangeStatus(execution, ExecutionStatus.Canceled);
            return View(execution);
        }
    }

    /// <summary>
    /// DeleteJobExecution: a terminal or QUEUED execution, an IN_PROGRESS one only with force (the emulator follows
    /// https://docs.aws.amazon.com/iot/latest/developerguide/manage-job-cli.html, which allows QUEUED).
    /// </summary>
    public void DeleteJobExecution(string jobId, string thingName, long executionNumber, bool force)
    {
        lock (_gate)
        {
            CatchUp();
            var execution = Execution(LiveJob(jobId), thingName, executionNumber);
            if (execution.Status == ExecutionStatus.InProgress && !force)
            {
                throw EmulatorException.Transition("The job execution is IN_PROGRESS; delete it with force.");
            }

            Remove(execution);
        }
    }

    // ---- executions (jobs data plane) ----

    /// <summary>
    /// UpdateJobExecution (https://docs.aws.amazon.com/iot/latest/apireference/API_iot-jobs-data_UpdateJobExecution.html).
    /// A stale expectedVersion or a change out of a terminal status is InvalidStateTransition carrying the state.
    /// </summary>
    public ExecutionView UpdateJobExecution(string jobId, string thingName, ExecutionUpdate update)
    {
        ArgumentNullException.ThrowIfNull(update);
        lock (_gate)
        {
            CatchUp();
            var execution = Execution(LiveJob(jobId), thingName, update.ExecutionNumber);
            if (update.ExpectedVersion is { } expected && expected != execution.VersionNumber)
            {
                throw EmulatorException.Transition(
                    $"The job execution is at version {execution.VersionNumber}, not the expected version {expected}.", View(execution));
            }

            if (execution.Status.IsTerminal())
            {
                throw EmulatorException.Transition(
                    $"The job execution is {execution.Status.ToWire()}, a terminal status; it cannot change to {update.Status.ToWire()}.", View(execution));
            }

            if (update.Status is ExecutionStatus.Queued or ExecutionStatus.Canceled or ExecutionStatus.TimedOut)
            {
                throw EmulatorException.Invalid(
                    $"status {update.Status.ToWire()} is set by AWS IoT, not by a device; a device sends IN_PROGRESS, SUCCEEDED, FAILED, REJECTED or REMOVED.");
            }

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
        }
    }

    /// <summary>DescribeJobExecution on the data plane; <c>$next</c> is the next pending execution (null if none).</summary>
    public ExecutionView? DescribeJobExecutionForDevice(string jobId, string thingName, long? executionNumber)
    {
        lock (_gate)
        {
            CatchUp();
            if (jobId == "$next")
            {
                return NextPending(thingName) is { } next ? View(next) : null;
            }

            var job = LiveJob(jobId);
            var execution = Execution(job, thingName, executionNumber);
            if (job.Status is JobStatus.Completed or JobStatus.Canceled && execution.Status.IsTerminal())
            {
                throw new EmulatorException(ErrorCodes.TerminalState, $"Job {jobId} is {Wire(job.Status)}, a terminal state.");
            }

            return View(execution);
        }
    }

    public PendingExecutions GetPendingJobExecutions(string thingName)
    {
        lock (_gate)
        {
            CatchUp();
            Thing(thingName);
            var pending = PendingOf(thingName).Take(MaxPendingExecutions).ToList();
            return new PendingExecutions(
                pending.Where(e => e.Status == ExecutionStatus.InProgress).Select(View).ToList(),
                pending.Where(e => e.Status == ExecutionStatus.Queued).Select(View).ToList());
        }
    }

    /// <summary>
    /// StartNextPendingJobExecution: an IN_PROGRESS execution is returned as it is; else the oldest QUEUED one starts
    /// with the given statusDetails and step timer (https://docs.aws.amazon.com/iot/latest/developerguide/jobs-http-device-api.html).
    /// </summary>
    public ExecutionView? StartNextPendingJobExecution(string thingName, IReadOnlyDictionary<string, string>? statusDetails, long? stepTimeoutInMinutes)
    {
        lock (_gate)
        {
            CatchUp();
            Thing(thingName);
            var next = NextPending(thingName);
            if (next is null)
            {
                return null;
            }

            if (next.Status == ExecutionStatus.Queued)
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
        }
    }

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

    // ---- event configurations ----

    public (IReadOnlyDictionary<string, bool> Enabled, DateTimeOffset Created, DateTimeOffset Modified) DescribeEventConfigurations()
    {
        lock (_gate)
        {
            CatchUp();
            return (new Dictionary<string, bool>(_eventConfigurations, StringComparer.Ordinal), _eventConfigurationsCreated, _eventConfigurationsModified);
        }
    }

    public void UpdateEventConfigurations(IReadOnlyDictionary<string, bool> enabled)
    {
        ArgumentNullException.ThrowIfNull(enabled);
        lock (_gate)
        {
            CatchUp();
            foreach (var (type, on) in enabled)
            {
                if (!_eventConfigurations.ContainsKey(type))
                {
                    throw EmulatorException.Invalid($"eventConfigurations: unknown event type {type}; one of {string.Join(", ", EventTypes)}.");
                }

                _eventConfigurations[type] = on;
            }

            _eventConfigurationsModified = _at;
        }
    }

    // ---- the clock's work ----

    private enum WorkKind
    {
        Timeout,
        Rollout,
        Deletion,
    }

    private sealed record Work(WorkKind Kind, EmulatedJob Job, EmulatedExecution? Execution, long Generation);

    private void Schedule(DateTimeOffset due, Work work) => _work.Enqueue(work, (due, ++_order));

    private DateTimeOffset CatchUp()
    {
        var now = Clock.Now;
        while (_work.TryPeek(out var work, out var when) && when.Due <= now)
        {
            _work.Dequeue();
            _at = when.Due > _at ? when.Due : _at;
            Fire(work);
        }

        _at = now > _at ? now : _at;
        return _at;
    }

    private void Fire(Work work)
    {
        switch (work.Kind)
        {
            case WorkKind.Timeout when work.Execution is { Status: ExecutionStatus.InProgress } execution
                && execution.TimerGeneration == work.Generation && IsLive(execution):
                execution.StepDeadline = null;
                execution.InProgressDeadline = null;
                Touch(execution);
                ChangeStatus(execution, ExecutionStatus.TimedOut);
                break;
            case WorkKind.Rollout when work.Job.RolloutGeneration == work.Generation && work.Job.Status == JobStatus.InProgress:
                ReleaseBatch(work.Job);
                break;
            case WorkKind.Deletion when _jobs.TryGetValue(work.Job.Id, out var job) && ReferenceEquals(job, work.Job):
                FinishDeletion(job);
                break;
        }
    }

    private bool IsLive(EmulatedExecution execution) =>
        _jobs.TryGetValue(execution.Job.Id, out var job) && ReferenceEquals(job, execution.Job)
        && job.ByThing.TryGetValue(execution.ThingName, out var list) && list.Contains(execution);

    // ---- rollout (https://docs.aws.amazon.com/iot/latest/developerguide/jobs-configurations-details.html) ----

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

    // ---- state changes ----

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
        execution.VersionNumber++;
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
        if (job.Status != JobStatus.InProgress)
        {
            return;
        }

        CheckAbort(job);
        if (job.Status == JobStatus.InProgress)
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
        job.Status = JobStatus.Canceled;
        job.ForceCanceled |= force;
        job.ReasonCode = reasonCode ?? job.ReasonCode;
        job.Comment = comment ?? job.Comment;
        job.LastUpdatedAt = _at;
        StopRollout(job);
        JobEvent(job, "cancellation_in_progress", "CANCELLATION_IN_PROGRESS", withComment: true);
        foreach (var list in job.ByThing.Values.ToList())
        {
            var latest = list[^1];
            if (latest.Status == ExecutionStatus.Queued || (latest.Status == ExecutionStatus.InProgress && force))
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
        if (job.Selection != TargetSelection.Snapshot || job.Status != JobStatus.InProgress || job.Pending.Count > 0 || job.OpenThings > 0)
        {
            return;
        }

        job.Status = JobStatus.Completed;
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

    // ---- events (https://docs.aws.amazon.com/iot/latest/developerguide/events-jobs.html) ----

    private void JobEvent(EmulatedJob job, string operation, string status, bool withComment)
    {
        if (!_eventConfigurations["JOB"])
        {
            return;
        }

        // The guide's examples give `timestamp` in seconds and the job's times in milliseconds.
        var payload = new JsonObject
        {
            ["eventType"] = "JOB",
            ["eventId"] = Guid.NewGuid().ToString(),
            ["timestamp"] = _at.ToUnixTimeSeconds(),
            ["operation"] = operation,
            ["jobId"] = job.Id,
            ["status"] = status,
            ["targetSelection"] = Wire(job.Selection),
            ["targets"] = new JsonArray([.. job.Targets.Select(t => (JsonNode?)t)]),
        };
        if (job.Description is not null)
        {
            payload["description"] = job.Description;
        }

        payload["createdAt"] = job.CreatedAt.ToUnixTimeMilliseconds();
        payload["lastUpdatedAt"] = job.LastUpdatedAt.ToUnixTimeMilliseconds();
        if (withComment && job.Comment is not null)
        {
            payload["comment"] = job.Comment;
        }

        if (operation == "completed")
        {
            payload["completedAt"] = job.CompletedAt!.Value.ToUnixTimeMilliseconds();
            var counts = job.LatestCounts;
            payload["jobProcessDetails"] = new JsonObject
            {
                ["numberOfCanceledThings"] = counts[(int)ExecutionStatus.Canceled],
                ["numberOfRejectedThings"] = counts[(int)ExecutionStatus.Rejected],
                ["numberOfFailedThings"] = counts[(int)ExecutionStatus.Failed],
                ["numberOfRemovedThings"] = counts[(int)ExecutionStatus.Removed],
                ["numberOfSucceededThings"] = counts[(int)ExecutionStatus.Succeeded],
                ["numberOfTimedOutThings"] = counts[(int)ExecutionStatus.TimedOut],
            };
        }

        Publish($"$aws/events/job/{job.Id}/{operation}", payload);
    }

    private void ExecutionEvent(EmulatedExecution execution, string operation, string status)
    {
        if (!_eventConfigurations["JOB_EXECUTION"])
        {
            return;
        }

        var payload = new JsonObject
        {
            ["eventType"] = "JOB_EXECUTION",
            ["eventId"] = Guid.NewGuid().ToString(),
            ["timestamp"] = _at.ToUnixTimeSeconds(),
            ["operation"] = operation,
            ["jobId"] = execution.Job.Id,
            ["thingArn"] = execution.ThingArn,
            ["status"] = status,
        };
        if (execution.StatusDetails.Count > 0)
        {
            var details = new JsonObject();
            foreach (var (key, value) in execution.StatusDetails)
            {
                details[key] = value;
            }

            payload["statusDetails"] = details;
        }

        Publish($"$aws/events/jobExecution/{execution.Job.Id}/{operation}", payload);
    }

    private void Publish(string topic, JsonObject payload)
    {
        var published = new EmulatorEvent(_events.Count + 1, topic, Encoding.UTF8.GetBytes(payload.ToJsonString()), _at);
        _events.Add(published);
        foreach (var subscriber in _subscribers)
        {
            subscriber.OnEvent(published);
        }
    }

    // ---- lookups ----

    private EmulatedJob Job(string jobId) =>
        _jobs.TryGetValue(jobId, out var job) ? job : throw EmulatorException.NotFound($"Job {jobId} does not exist.");

    /// <summary>A job whose executions can still be reached: not one being deleted.</summary>
    private EmulatedJob LiveJob(string jobId)
    {
        var job = Job(jobId);
        return job.Status == JobStatus.DeletionInProgress ? throw EmulatorException.NotFound($"Job {jobId} is being deleted.") : job;
    }

    private EmulatedThing Thing(string name) =>
        _things.TryGetValue(name, out var thing) ? thing : throw EmulatorException.NotFound($"Thing {name} does not exist.");

    private EmulatedThingGroup Group(string name) =>
        _groups.TryGetValue(name, out var group) ? group : throw EmulatorException.NotFound($"Thing group {name} does not exist.");

    private static EmulatedExecution? Latest(EmulatedJob job, string thingName) =>
        job.ByThing.TryGetValue(thingName, out var list) ? list[^1] : null;

    private static bool IsLatest(EmulatedExecution execution) =>
        execution.Job.ByThing.TryGetValue(execution.ThingName, out var list) && ReferenceEquals(list[^1], execution);

    private static EmulatedExecution Execution(EmulatedJob job, string thingName, long? executionNumber)
    {
        var found = executionNumber is { } number
            ? job.ByThing.GetValueOrDefault(thingName)?.FirstOrDefault(e => e.ExecutionNumber == number)
            : Latest(job, thingName);
        return found ?? throw EmulatorException.NotFound(executionNumber is { } n
            ? $"Job execution {n} of job {job.Id} on thing {thingName} does not exist."
            : $"Job {job.Id} has no execution on thing {thingName}.");
    }

    /// <summary>Pending executions, IN_PROGRESS first, then in the order they were created.</summary>
    private IEnumerable<EmulatedExecution> PendingOf(string thingName) =>
        _jobs.Values
            .Where(job => job.Status != JobStatus.DeletionInProgress)
            .Select(job => Latest(job, thingName))
            .OfType<EmulatedExecution>()
            .Where(e => e.Status is ExecutionStatus.InProgress or ExecutionStatus.Queued)
            .OrderBy(e => e.Status == ExecutionStatus.InProgress ? 0 : 1)
            .ThenBy(e => e.Order);

    private EmulatedExecution? NextPending(string thingName) => PendingOf(thingName).FirstOrDefault();

    private List<string> Resolve(string target)
    {
        var prefix = $"arn:aws:iot:{Region}:{Account}:";
        if (target.StartsWith(prefix + "thing/", StringComparison.Ordinal))
        {
            var name = target[(prefix.Length + "thing/".Length)..];
            return _things.ContainsKey(name) ? [name] : throw EmulatorException.NotFound($"Target {target}: thing {name} does not exist.");
        }

        if (target.StartsWith(prefix + "thinggroup/", StringComparison.Ordinal))
        {
            var name = target[(prefix.Length + "thinggroup/".Length)..];
            return _groups.TryGetValue(name, out var group)
                ? group.Members.Order(StringComparer.Ordinal).ToList()
                : throw EmulatorException.NotFound($"Target {target}: thing group {name} does not exist.");
        }

        throw EmulatorException.Invalid($"targets: {target} is not the ARN of a thing or thing group in {Region}, account {Account} ({prefix}thing/NAME or {prefix}thinggroup/NAME).");
    }

    private List<EmulatedJob> ContinuousJobsTargeting(EmulatedThingGroup group) =>
        _jobs.Values
            .Where(job => job.Selection == TargetSelection.Continuous && job.Status == JobStatus.InProgress && job.Targets.Contains(group.Arn))
            .OrderBy(job => job.Order)
            .ToList();

    private bool IsTargeted(EmulatedJob job, EmulatedThing thing) =>
        job.Targets.Contains(thing.Arn) || thing.Groups.Any(name => job.Targets.Contains(_groups[name].Arn));

    private string ThingArn(string name) => $"arn:aws:iot:{Region}:{Account}:thing/{name}";

    private string GroupArn(string name) => $"arn:aws:iot:{Region}:{Account}:thinggroup/{name}";

    private static bool SameMap(Dictionary<string, string> a, Dictionary<string, string> b) =>
        a.Count == b.Count && a.All(pair => b.TryGetValue(pair.Key, out var value) && value == pair.Value);

    /// <summary>Tokens are opaque to callers: the offset of the next item, encoded.</summary>
    private static Page<T> Paged<T>(IEnumerable<T> items, int maxResults, string? nextToken)
    {
        var offset = 0;
        if (nextToken is not null)
        {
            try
            {
                var text = Encoding.UTF8.GetString(Convert.FromBase64String(nextToken));
                if (!text.StartsWith("offset:", StringComparison.Ordinal)
                    || !int.TryParse(text.AsSpan(7), NumberStyles.None, CultureInfo.InvariantCulture, out offset))
                {
                    throw EmulatorException.Invalid("nextToken is not a token this listing returned.");
                }
            }
            catch (FormatException)
            {
                throw EmulatorException.Invalid("nextToken is not a token this listing returned.");
            }
        }

        var page = items.Skip(offset).Take(maxResults + 1).ToList();
        var more = page.Count > maxResults;
        if (more)
        {
            page.RemoveAt(page.Count - 1);
        }

        var token = more ? Convert.ToBase64String(Encoding.UTF8.GetBytes($"offset:{(offset + maxResults).ToString(CultureInfo.InvariantCulture)}")) : null;
        return new Page<T>(page, token);
    }

    // ---- views ----

    private ExecutionView View(EmulatedExecution e)
    {
        long? remaining = e.Status == ExecutionStatus.InProgress && e.Deadline is { } due
            ? (long)Math.Ceiling(Math.Max(0, (due - _at).TotalSeconds))
            : null;
        return new ExecutionView(
            e.Job.Id, e.ThingName, e.ThingArn, e.ExecutionNumber, e.Status, new Dictionary<string, string>(e.StatusDetails, StringComparer.Ordinal),
            e.VersionNumber, e.QueuedAt, e.StartedAt, e.LastUpdatedAt, e.ForceCanceled, e.RetryAttempt, remaining, e.Job.Document);
    }

    private static JobView View(EmulatedJob job)
    {
        var c = job.LatestCounts;
        var details = new ProcessDetails(
            c[(int)ExecutionStatus.Queued], c[(int)ExecutionStatus.InProgress], c[(int)ExecutionStatus.Succeeded], c[(int)ExecutionStatus.Failed],
            c[(int)ExecutionStatus.Rejected], c[(int)ExecutionStatus.Canceled], c[(int)ExecutionStatus.TimedOut], c[(int)ExecutionStatus.Removed],
            job.Pending.Count > 0 ? job.Targets.ToList() : null);
        return new JobView(
            job.Id, job.Arn, job.Status, job.Selection, job.Targets.ToList(), job.Description, job.ForceCanceled, job.ReasonCode,
            job.Comment, job.CreatedAt, job.LastUpdatedAt, job.CompletedAt, job.Pending.Count > 0, job.Rollout, job.Abort?.ToList(),
            job.InProgressTimeoutInMinutes, job.Retry?.ToList(), job.PresignedUrl, job.NamespaceId, details);
    }

    private static ThingView View(EmulatedThing thing) =>
        new(thing.Name, thing.Arn, thing.Id, new Dictionary<string, string>(thing.Attributes, StringComparer.Ordinal), thing.Version);

    private static ThingGroupView View(EmulatedThingGroup group) => new(group.Name, group.Arn, group.Id, group.Description, group.CreatedAt, 1);

    public static string Wire(JobStatus status) => status switch
    {
        JobStatus.InProgress => "IN_PROGRESS",
        JobStatus.Canceled => "CANCELED",
        JobStatus.Completed => "COMPLETED",
        _ => "DELETION_IN_PROGRESS",
    };

    public static string Wire(TargetSelection selection) => selection == TargetSelection.Snapshot ? "SNAPSHOT" : "CONTINUOUS";
}
