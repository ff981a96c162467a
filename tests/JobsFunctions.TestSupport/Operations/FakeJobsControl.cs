using JobsFunctions.Aws.Iot;
using JobsFunctions.Aws.Iot.JobsData;
using JobsFunctions.Domain.Errors;
using JobsFunctions.Domain.Executions;
using JobsFunctions.Domain.Jobs;
using JobsFunctions.Domain.Operations;
using JobsFunctions.Domain.Recording;
using JobsFunctions.Domain.Sweeping;
using JobsFunctions.Emulator.Model;

namespace JobsFunctions.TestSupport.Operations;

/// <summary>
/// An in-process IoT Jobs for tests: every call is answered by the emulator's model (<see cref="JobsEmulator"/>), so
/// versions, expectedVersion, transitions, force, CancelJob's effect on executions and paging are the emulator's, which
/// follows AWS; failures are mapped to the domain's errors by the real adapter's own mapping. On top it counts every
/// call, so a test can prove a request never reached AWS or that a dry run made no mutating call, and it can be made to
/// fail (<see cref="FailNext"/>, or always for one job and operation: <see cref="Refuse"/>), throw
/// (<see cref="ThrowNext"/>), or be throttled first and answered on a retry (<see cref="ThrottleNextAttempts"/>), as
/// the real client's retries would. As <see cref="IJobsCallMeter"/> it counts attempts and throttled answers the way
/// the real client does. Seed it with <see cref="AddJob"/> and
/// <see cref="AddExecution"/>, which drive the model through its own operations.
/// </summary>
public sealed class FakeJobsControl : IJobsControl, IJobsCallMeter
{
    private readonly Lock _lock = new();
    private readonly JobsEmulator _iot;
    private readonly Queue<Error> _failures = new();
    private readonly List<(string Operation, string JobId, Error Error)> _refusals = [];
    private int _throttledAttempts;
    private long _retriedAttempts;
    private long _throttles;

    public FakeJobsControl(TimeProvider? time = null)
    {
        _iot = new JobsEmulator(new EmulatorClock(time));
        EventSwitches = new JobEventSwitches(JobEvents: true, JobExecutionEvents: true);
    }

    public List<UpdateJob> UpdateJobCalls { get; } = [];

    public List<CancelJobExecution> CancelCalls { get; } = [];

    public List<UpdateJobExecution> UpdateExecutionCalls { get; } = [];

    public List<CancelJob> CancelJobCalls { get; } = [];

    public List<(string JobId, string ThingName, long? ExecutionNumber)> DescribeCalls { get; } = [];

    public List<string> DescribeJobCalls { get; } = [];

    public List<(JobStatus? Status, int MaxResults, string? NextToken)> ListJobsCalls { get; } = [];

    public List<(string JobId, ExecutionStatus? Status, int MaxResults, string? NextToken)> ListExecutionsCalls { get; } = [];

    public int DescribeEventConfigurationsCalls { get; private set; }

    /// <summary>The emulator's JOB and JOB_EXECUTION event configurations; both on unless a test turns them off.</summary>
    public JobEventSwitches EventSwitches
    {
        get
        {
            var enabled = _iot.DescribeEventConfigurations().Enabled;
            return new JobEventSwitches(enabled["JOB"], enabled["JOB_EXECUTION"]);
        }

        set
        {
            ArgumentNullException.ThrowIfNull(value);
            _iot.UpdateEventConfigurations(new Dictionary<string, bool>
            {
                ["JOB"] = value.JobEvents,
                ["JOB_EXECUTION"] = value.JobExecutionEvents,
            });
        }
    }

    /// <summary>Thrown by the next call instead of answering, to stand for an unexpected failure.</summary>
    public Exception? ThrowNext { get; set; }

    /// <summary>Calls that change something in IoT: UpdateJob, CancelJob, CancelJobExecution, UpdateJobExecution.</summary>
    public int WriteCalls => UpdateJobCalls.Count + CancelCalls.Count + UpdateExecutionCalls.Count + CancelJobCalls.Count;

    public int ReadCalls => DescribeCalls.Count + DescribeJobCalls.Count + ListJobsCalls.Count + ListExecutionsCalls.Count + DescribeEventConfigurationsCalls;

    public int Calls => WriteCalls + ReadCalls;

    /// <summary>
    /// Creates a job whose targets are the thing group of the same name: CONTINUOUS while it runs, so every thing
    /// <see cref="AddExecution"/> adds to the group gains an execution; a COMPLETED one is a SNAPSHOT job of an empty
    /// group, which AWS completes at once; CANCELED and DELETION_IN_PROGRESS are reached by CancelJob and DeleteJob.
    /// </summary>
    public FakeJobsControl AddJob(string jobId, string document = "{\"operation\":\"reboot\"}", JobStatus status = JobStatus.InProgress)
    {
        var group = _iot.CreateThingGroup(jobId, description: null);
        _iot.CreateJob(new JobSpec
        {
            JobId = jobId,
            Targets = [group.GroupArn],
            Document = document,
            TargetSelection = status == JobStatus.Completed ? TargetSelection.Snapshot : TargetSelection.Continuous,
        });
        switch (status)
        {
            case JobStatus.InProgress or JobStatus.Completed:
                break;
            case JobStatus.Canceled:
                _iot.CancelJob(jobId, force: false, reasonCode: null, comment: null);
                break;
            case JobStatus.DeletionInProgress:
                _iot.DeleteJob(jobId, force: true);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(status), status, "A job the control plane lists is IN_PROGRESS, COMPLETED, CANCELED or DELETION_IN_PROGRESS.");
        }

        return this;
    }

    /// <summary>
    /// Adds an execution of the job (adding the job, IN_PROGRESS, when unknown) and drives it to
    /// <paramref name="status"/> the way a device and the service would: queued at version 1, each IN_PROGRESS update
    /// moving the version on until <paramref name="version"/> (the least reachable one when null), then the final
    /// change (CANCELED is forced only when the execution had started). Times and the retry attempt, which only the
    /// past could have produced, are stamped afterwards. Seeding a thing again drives its execution further; the
    /// model refuses to move one back.
    /// </summary>
    public FakeJobsControl AddExecution(string jobId, string thingName, ExecutionStatus status, long? version = null,
        IReadOnlyDictionary<string, string>? details = null,
        DateTimeOffset? queuedAt = null, DateTimeOffset? startedAt = null, DateTimeOffset? lastUpdatedAt = null, int? retryAttempt = null)
    {
        if (Job(jobId) is null)
        {
            AddJob(jobId, "{}");
        }

        try
        {
            _iot.DescribeThing(thingName);
        }
        catch (EmulatorException e) when (e.Code == ErrorCodes.ResourceNotFound)
        {
            _iot.CreateThing(thingName, attributes: null);
        }

        _iot.AddThingToThingGroup(jobId, thingName);
        var least = status switch
        {
            ExecutionStatus.Queued => 1,
            ExecutionStatus.InProgress or ExecutionStatus.Canceled or ExecutionStatus.Succeeded or ExecutionStatus.Failed
                or ExecutionStatus.Rejected or ExecutionStatus.Removed => 2,
            _ => throw new ArgumentOutOfRangeException(nameof(status), status, "Seed only statuses a device or CancelJobExecution reaches."),
        };
        var target = version ?? least;
        if (target < least || (status == ExecutionStatus.Queued && (target != 1 || details is not null)))
        {
            throw new ArgumentOutOfRangeException(nameof(version), version, $"A {status.ToWire()} execution cannot be at version {target} with those details.");
        }

        // Each IN_PROGRESS update is a change, so it moves the version on by one; a final change takes one more.
        var beforeLast = status is ExecutionStatus.Queued or ExecutionStatus.InProgress ? target : target - 1;
        while (_iot.DescribeJobExecution(jobId, thingName, null).VersionNumber < beforeLast)
        {
            _iot.UpdateJobExecution(jobId, thingName, new DeviceExecutionUpdate { Status = ExecutionStatus.InProgress, StatusDetails = details });
        }

        switch (status)
        {
            case ExecutionStatus.Queued or ExecutionStatus.InProgress:
                break;
            case ExecutionStatus.Canceled:
                _iot.CancelJobExecution(jobId, thingName, force: target > 2, expectedVersion: null, statusDetails: details);
                break;
            default:
                _iot.UpdateJobExecution(jobId, thingName, new DeviceExecutionUpdate { Status = status, StatusDetails = details });
                break;
        }

        // An execution seeded as started or updated in the past was queued no later than that.
        _iot.SeedHistory(jobId, thingName, queuedAt ?? startedAt ?? lastUpdatedAt, startedAt, lastUpdatedAt, retryAttempt);
        return this;
    }

    public JobExecutionDescription? Execution(string jobId, string thingName)
    {
        try
        {
            return Description(_iot.DescribeJobExecution(jobId, thingName, null));
        }
        catch (EmulatorException e) when (e.Code == ErrorCodes.ResourceNotFound)
        {
            return null;
        }
    }

    /// <summary>The job's status and what the last CancelJob said, or null when there is no such job.</summary>
    public (JobStatus Status, string? ReasonCode, string? Comment, bool ForceCanceled)? Job(string jobId)
    {
        try
        {
            var job = _iot.DescribeJob(jobId);
            return (ToDomain(job.Status), job.ReasonCode, job.Comment, job.ForceCanceled);
        }
        catch (EmulatorException e) when (e.Code == ErrorCodes.ResourceNotFound)
        {
            return null;
        }
    }

    /// <summary>Every later <paramref name="operation"/> call for <paramref name="jobId"/> fails with <paramref name="error"/>.</summary>
    public FakeJobsControl Refuse(string operation, string jobId, Error error)
    {
        lock (_lock)
        {
            _refusals.Add((operation, jobId, error));
        }

        return this;
    }

    /// <summary>The next call is answered throttled <paramref name="attempts"/> times, then answered as usual (a retried throttle).</summary>
    public FakeJobsControl ThrottleNextAttempts(int attempts)
    {
        lock (_lock)
        {
            _throttledAttempts = attempts;
        }

        return this;
    }

    /// <summary>Attempts (every call, plus every retry after a throttled answer) and throttled answers, as the client counts them.</summary>
    public JobsCallCounts Read()
    {
        lock (_lock)
        {
            return new JobsCallCounts(Calls + _retriedAttempts, _throttles);
        }
    }

    public FakeJobsControl FailNext(Error error)
    {
        lock (_lock)
        {
            _failures.Enqueue(error);
        }

        return this;
    }

    /// <summary>Passes the description on; the model has no use here for the other settings, which the call list keeps.</summary>
    public Task<Result<Unit>> UpdateJobAsync(UpdateJob command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        return Answer<Unit>(
            () => UpdateJobCalls.Add(command),
            new("UpdateJob", $"job {command.JobId}", Writes: true),
            () =>
            {
                _iot.UpdateJob(command.JobId, new JobUpdate { Description = command.Description });
                return Unit.Value;
            }, command.JobId);
    }

    public Task<Result<Unit>> CancelJobAsync(CancelJob command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        return Answer<Unit>(
            () => CancelJobCalls.Add(command),
            new("CancelJob", $"job {command.JobId}", Writes: true),
            () =>
            {
                _iot.CancelJob(command.JobId, command.Force ?? false, command.ReasonCode, command.Comment);
                return Unit.Value;
            }, command.JobId);
    }

    public Task<Result<Unit>> CancelJobExecutionAsync(CancelJobExecution command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        return Answer<Unit>(
            () => CancelCalls.Add(command),
            new("CancelJobExecution", Subject(command.JobId, command.ThingName), Writes: true, command.ExpectedVersion),
            () =>
            {
                _iot.CancelJobExecution(command.JobId, command.ThingName, command.Force ?? false, command.ExpectedVersion, command.StatusDetails);
                return Unit.Value;
            }, command.JobId);
    }

    public Task<Result<ExecutionUpdate>> UpdateJobExecutionAsync(UpdateJobExecution command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        return Answer<ExecutionUpdate>(
            () => UpdateExecutionCalls.Add(command),
            new("UpdateJobExecution", Subject(command.JobId, command.ThingName), Writes: true, command.ExpectedVersion),
            () =>
            {
                _ = ExecutionStatuses.TryParse(command.Status, out var status);
                var next = _iot.UpdateJobExecution(command.JobId, command.ThingName, new DeviceExecutionUpdate
                {
                    Status = status,
                    StatusDetails = command.StatusDetails,
                    StepTimeoutInMinutes = command.StepTimeoutInMinutes,
                    ExpectedVersion = command.ExpectedVersion,
                    ExecutionNumber = command.ExecutionNumber,
                });
                return new ExecutionUpdate(
                    command.IncludeJobExecutionState == true ? Description(next).State : null,
                    command.IncludeJobDocument == true ? next.JobDocument : null);
            }, command.JobId);
    }

    public Task<Result<JobDescription>> DescribeJobAsync(string jobId, CancellationToken cancellationToken) =>
        Answer<JobDescription>(
            () => DescribeJobCalls.Add(jobId),
            new("DescribeJob", $"job {jobId}", Writes: false),
            () =>
            {
                var job = _iot.DescribeJob(jobId);
                var d = job.ProcessDetails;
                return new JobDescription(
                    job.JobId, ToDomain(job.Status),
                    new JobProcessCounts(d.Queued, d.InProgress, d.Succeeded, d.Failed, d.Rejected, d.Canceled, d.TimedOut, d.Removed),
                    job.LastUpdatedAt);
            }, jobId);

    public Task<Result<JobExecutionDescription>> DescribeJobExecutionAsync(
        string jobId, string thingName, long? executionNumber, CancellationToken cancellationToken) =>
        Answer<JobExecutionDescription>(
            () => DescribeCalls.Add((jobId, thingName, executionNumber)),
            new("DescribeJobExecution", Subject(jobId, thingName), Writes: false),
            () => Description(_iot.DescribeJobExecution(jobId, thingName, executionNumber)), jobId);

    public Task<Result<Page<JobSummary>>> ListJobsAsync(JobStatus? status, int maxResults, string? nextToken, CancellationToken cancellationToken)
    {
        PageSize(maxResults);
        if (status is { } asked && asked.IsEventOnly())
        {
            throw new ArgumentOutOfRangeException(nameof(status), asked, "ListJobs cannot filter on a status that exists only in job events.");
        }

        return Answer<Page<JobSummary>>(
            () => ListJobsCalls.Add((status, maxResults, nextToken)),
            new("ListJobs", "jobs", Writes: false),
            () =>
            {
                var page = _iot.ListJobs(status is { } s ? Emulated(s) : null, selection: null, thingGroupName: null, maxResults, nextToken);
                return new Page<JobSummary>([.. page.Items.Select(j => new JobSummary(j.JobId, ToDomain(j.Status)))], page.NextToken);
            });
    }

    public Task<Result<Page<ExecutionSummary>>> ListJobExecutionsForJobAsync(
        string jobId, ExecutionStatus? status, int maxResults, string? nextToken, CancellationToken cancellationToken)
    {
        PageSize(maxResults);
        return Answer<Page<ExecutionSummary>>(
            () => ListExecutionsCalls.Add((jobId, status, maxResults, nextToken)),
            new("ListJobExecutionsForJob", $"job {jobId}", Writes: false),
            () =>
            {
                var page = _iot.ListJobExecutionsForJob(jobId, status, maxResults, nextToken);
                return new Page<ExecutionSummary>(
                    [.. page.Items.Select(e => new ExecutionSummary(e.ThingName, e.Status, e.ExecutionNumber, e.RetryAttempt, e.QueuedAt, e.StartedAt, e.LastUpdatedAt))],
                    page.NextToken);
            }, jobId);
    }

    public Task<Result<JobEventSwitches>> DescribeEventConfigurationsAsync(CancellationToken cancellationToken) =>
        Answer<JobEventSwitches>(
            () => DescribeEventConfigurationsCalls++,
            new("DescribeEventConfigurations", "event configuration", Writes: false),
            () => EventSwitches);

    private static JobExecutionDescription Description(ExecutionView e) =>
        new(e.JobId, e.ThingName, e.Status, e.StatusDetails, e.VersionNumber, e.ExecutionNumber, e.ForceCanceled, e.QueuedAt, e.StartedAt, e.LastUpdatedAt);

    private static string Subject(string jobId, string thingName) => $"execution of job {jobId} on thing {thingName}";

    private static JobStatus ToDomain(EmulatedJobStatus status) => status switch
    {
        EmulatedJobStatus.InProgress => JobStatus.InProgress,
        EmulatedJobStatus.Canceled => JobStatus.Canceled,
        EmulatedJobStatus.Completed => JobStatus.Completed,
        _ => JobStatus.DeletionInProgress,
    };

    private static EmulatedJobStatus Emulated(JobStatus status) => status switch
    {
        JobStatus.InProgress => EmulatedJobStatus.InProgress,
        JobStatus.Canceled => EmulatedJobStatus.Canceled,
        JobStatus.Completed => EmulatedJobStatus.Completed,
        JobStatus.DeletionInProgress => EmulatedJobStatus.DeletionInProgress,
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "Not a status the control plane lists."),
    };

    private static void PageSize(int maxResults)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxResults, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxResults, 250);
    }

    /// <summary>
    /// Records the call, then throws or fails as the test asked, else lets the model answer. The model's refusals
    /// carry AWS's error codes, so they go through the adapter's own mapping, as AWS's would.
    /// </summary>
    private Task<Result<T>> Answer<T>(Action record, IotJobsControl.Call call, Func<Result<T>> behave, string? jobId = null)
    {
        lock (_lock)
        {
            record();
            if (ThrowNext is { } exception)
            {
                ThrowNext = null;
                throw exception;
            }

            if (_throttledAttempts > 0)
            {
                (_retriedAttempts, _throttles, _throttledAttempts) = (_retriedAttempts + _throttledAttempts, _throttles + _throttledAttempts, 0);
            }

            var refused = _refusals.FirstOrDefault(refusal => refusal.Operation == call.Operation && refusal.JobId == jobId).Error;
            if ((refused ?? (_failures.TryDequeue(out var next) ? next : null)) is { } failure)
            {
                _throttles += failure.Kind == ErrorKind.Throttled ? 1 : 0;
                return Task.FromResult<Result<T>>(failure);
            }

            try
            {
                return Task.FromResult(behave());
            }
            catch (EmulatorException e)
            {
                return Task.FromResult<Result<T>>(IotJobsControl.ToError(call, AsAwsAnswer(e)));
            }
        }
    }

    private static IotServiceException AsAwsAnswer(EmulatorException e) =>
        new(e.Code, e.Code == ErrorCodes.ResourceNotFound ? 404 : 400, e.Message, requestId: null,
            e.State is { } state
                ? new JobExecutionState { Status = state.Status.ToWire(), StatusDetails = state.StatusDetails, VersionNumber = state.VersionNumber }
                : null);
}
