using JobsFunctions.Domain.Errors;
using JobsFunctions.Domain.Executions;
using JobsFunctions.Domain.Jobs;
using JobsFunctions.Domain.Operations;
using JobsFunctions.Domain.Recording;

namespace JobsFunctions.TestSupport.Operations;

/// <summary>
/// An in-memory IoT Jobs that behaves as AWS documents it (versions, expectedVersion, the device and service
/// transitions, force, CancelJob's effect on QUEUED and IN_PROGRESS executions, paged listings) and counts every
/// call, so a test can prove a request never reached AWS, or that a dry run made no mutating call.
/// Seed it with <see cref="AddJob"/> and <see cref="AddExecution"/>; make the next call fail with <see cref="FailNext"/>.
/// Listings are ordered by job id and thing name (ordinal), and a page token names the last key returned, so a page
/// neither skips nor repeats what was there before the listing started.
/// </summary>
public sealed class FakeJobsControl(TimeProvider? time = null) : IJobsControl
{
    private const string TokenPrefix = "fake-after:";

    private readonly Lock _lock = new();
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly SortedDictionary<string, FakeJob> _jobs = new(StringComparer.Ordinal);
    private readonly Dictionary<(string JobId, string ThingName), JobExecutionDescription> _executions = [];
    private readonly Dictionary<(string JobId, string ThingName), int?> _retryAttempts = [];
    private readonly Queue<Error> _failures = new();

    public List<UpdateJob> UpdateJobCalls { get; } = [];

    public List<CancelJobExecution> CancelCalls { get; } = [];

    public List<UpdateJobExecution> UpdateExecutionCalls { get; } = [];

    public List<CancelJob> CancelJobCalls { get; } = [];

    public List<(string JobId, string ThingName, long? ExecutionNumber)> DescribeCalls { get; } = [];

    public List<(JobStatus? Status, int MaxResults, string? NextToken)> ListJobsCalls { get; } = [];

    public List<(string JobId, ExecutionStatus? Status, int MaxResults, string? NextToken)> ListExecutionsCalls { get; } = [];

    public int DescribeEventConfigurationsCalls { get; private set; }

    /// <summary>What DescribeEventConfigurations answers; both on unless a test turns them off.</summary>
    public JobEventSwitches EventSwitches { get; set; } = new(JobEvents: true, JobExecutionEvents: true);

    /// <summary>Thrown by the next call instead of answering, to stand for an unexpected failure.</summary>
    public Exception? ThrowNext { get; set; }

    /// <summary>Calls that change something in IoT: UpdateJob, CancelJob, CancelJobExecution, UpdateJobExecution.</summary>
    public int WriteCalls => UpdateJobCalls.Count + CancelCalls.Count + UpdateExecutionCalls.Count + CancelJobCalls.Count;

    public int ReadCalls => DescribeCalls.Count + ListJobsCalls.Count + ListExecutionsCalls.Count + DescribeEventConfigurationsCalls;

    public int Calls => WriteCalls + ReadCalls;

    public FakeJobsControl AddJob(string jobId, string document = "{\"operation\":\"reboot\"}", JobStatus status = JobStatus.InProgress)
    {
        lock (_lock)
        {
            _jobs[jobId] = new FakeJob(document, status);
        }

        return this;
    }

    /// <summary>Adds or replaces an execution (adding its job, IN_PROGRESS, when unknown).</summary>
    public FakeJobsControl AddExecution(string jobId, string thingName, ExecutionStatus status, long version = 1,
        IReadOnlyDictionary<string, string>? details = null, long executionNumber = 1,
        DateTimeOffset? queuedAt = null, DateTimeOffset? startedAt = null, DateTimeOffset? lastUpdatedAt = null, int? retryAttempt = null)
    {
        lock (_lock)
        {
            _jobs.TryAdd(jobId, new FakeJob("{}", JobStatus.InProgress));
            _executions[(jobId, thingName)] = new JobExecutionDescription(jobId, thingName, status,
                details ?? new Dictionary<string, string>(), version, executionNumber,
                QueuedAt: queuedAt, StartedAt: startedAt, LastUpdatedAt: lastUpdatedAt);
            _retryAttempts[(jobId, thingName)] = retryAttempt;
        }

        return this;
    }

    public JobExecutionDescription? Execution(string jobId, string thingName)
    {
        lock (_lock)
        {
            return _executions.GetValueOrDefault((jobId, thingName));
        }
    }

    /// <summary>The job's status and what the last CancelJob said, or null when there is no such job.</summary>
    public (JobStatus Status, string? ReasonCode, string? Comment, bool ForceCanceled)? Job(string jobId)
    {
        lock (_lock)
        {
            return _jobs.TryGetValue(jobId, out var job) ? (job.Status, job.ReasonCode, job.Comment, job.ForceCanceled) : null;
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

    public Task<Result<Unit>> UpdateJobAsync(UpdateJob command, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            UpdateJobCalls.Add(command);
            return Task.FromResult(Answer(() => _jobs.ContainsKey(command.JobId)
                ? Result.Success(Unit.Value)
                : JobsControlErrors.NotFound($"Job {command.JobId} not found.")));
        }
    }

    /// <summary>
    /// Cancels QUEUED executions, and IN_PROGRESS ones too when forced; each canceled execution's version moves on.
    /// A job already CANCELED takes a second cancel (a forced one then reaches its IN_PROGRESS executions); a COMPLETED
    /// job or one being deleted refuses it as an invalid request.
    /// </summary>
    public Task<Result<Unit>> CancelJobAsync(CancelJob command, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            CancelJobCalls.Add(command);
            return Task.FromResult(Answer<Unit>(() =>
            {
                if (!_jobs.TryGetValue(command.JobId, out var job))
                {
                    return JobsControlErrors.NotFound($"Job {command.JobId} not found.");
                }

                if (job.Status is JobStatus.Completed or JobStatus.DeletionInProgress or JobStatus.Deleted)
                {
                    return JobsControlErrors.Rejected($"Job {command.JobId} is {job.Status.ToWire()} and cannot be canceled.");
                }

                var force = command.Force ?? false;
                var now = _time.GetUtcNow();
                foreach (var key in _executions.Keys.Where(k => k.JobId == command.JobId).ToList())
                {
                    var execution = _executions[key];
                    if (ExecutionStatuses.ServiceMayMove(execution.Status, ExecutionStatus.Canceled, force))
                    {
                        _executions[key] = execution with
                        {
                            Status = ExecutionStatus.Canceled,
                            VersionNumber = execution.VersionNumber + 1,
                            ForceCanceled = execution.Status == ExecutionStatus.InProgress,
                            LastUpdatedAt = now,
                        };
                    }
                }

                job.Status = JobStatus.Canceled;
                job.ReasonCode = command.ReasonCode;
                job.Comment = command.Comment;
                job.ForceCanceled |= force;
                return Unit.Value;
            }));
        }
    }

    public Task<Result<Unit>> CancelJobExecutionAsync(CancelJobExecution command, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            CancelCalls.Add(command);
            return Task.FromResult(Answer<Unit>(() =>
            {
                if (_executions.GetValueOrDefault((command.JobId, command.ThingName)) is not { } current)
                {
                    return JobsControlErrors.NotFound($"Job execution {command.JobId}/{command.ThingName} not found.");
                }

                if (command.ExpectedVersion is { } expected && expected != current.VersionNumber)
                {
                    return JobsControlErrors.VersionConflict("The expected version does not match the execution's version.");
                }

                if (!ExecutionStatuses.ServiceMayMove(current.Status, ExecutionStatus.Canceled, command.Force ?? false))
                {
                    return JobsControlErrors.InvalidTransition($"Cannot cancel an execution that is {current.Status.ToWire()}.");
                }

                _executions[(command.JobId, command.ThingName)] = current with
                {
                    Status = ExecutionStatus.Canceled,
                    StatusDetails = command.StatusDetails ?? current.StatusDetails,
                    VersionNumber = current.VersionNumber + 1,
                    ForceCanceled = command.Force ?? false,
                    LastUpdatedAt = _time.GetUtcNow(),
                };
                return Unit.Value;
            }));
        }
    }

    public Task<Result<ExecutionUpdate>> UpdateJobExecutionAsync(UpdateJobExecution command, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            UpdateExecutionCalls.Add(command);
            return Task.FromResult(Answer<ExecutionUpdate>(() =>
            {
                if (_executions.GetValueOrDefault((command.JobId, command.ThingName)) is not { } current)
                {
                    return JobsControlErrors.NotFound($"Job execution {command.JobId}/{command.ThingName} not found.");
                }

                if (command.ExpectedVersion is { } expected && expected != current.VersionNumber)
                {
                    return JobsControlErrors.VersionConflict("The expected version does not match the execution's version.");
                }

                _ = ExecutionStatuses.TryParse(command.Status, out var target);
                if (!ExecutionStatuses.DeviceMayMove(current.Status, target))
                {
                    return JobsControlErrors.InvalidTransition($"Cannot move an execution from {current.Status.ToWire()} to {command.Status}.");
                }

                var now = _time.GetUtcNow();
                var next = current with
                {
                    Status = target,
                    StatusDetails = command.StatusDetails ?? current.StatusDetails,
                    VersionNumber = current.VersionNumber + 1,
                    StartedAt = current.StartedAt ?? (target == ExecutionStatus.InProgress ? now : null),
                    LastUpdatedAt = now,
                };
                _executions[(command.JobId, command.ThingName)] = next;
                return new ExecutionUpdate(
                    command.IncludeJobExecutionState == true ? next.State : null,
                    command.IncludeJobDocument == true ? _jobs[command.JobId].Document : null);
            }));
        }
    }

    public Task<Result<JobExecutionDescription>> DescribeJobExecutionAsync(
        string jobId, string thingName, long? executionNumber, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            DescribeCalls.Add((jobId, thingName, executionNumber));
            return Task.FromResult(Answer(() => _executions.GetValueOrDefault((jobId, thingName)) is { } execution
                ? Result.Success(execution)
                : JobsControlErrors.NotFound($"Job execution {jobId}/{thingName} not found.")));
        }
    }

    public Task<Result<Page<JobSummary>>> ListJobsAsync(JobStatus? status, int maxResults, string? nextToken, CancellationToken cancellationToken)
    {
        PageSize(maxResults);
        if (status is { } asked && asked.IsEventOnly())
        {
            throw new ArgumentOutOfRangeException(nameof(status), asked, "ListJobs cannot filter on a status that exists only in job events.");
        }

        lock (_lock)
        {
            ListJobsCalls.Add((status, maxResults, nextToken));
            return Task.FromResult(Answer(() =>
            {
                var jobs = _jobs.Where(j => status is null || j.Value.Status == status).Select(j => (Key: j.Key, Item: new JobSummary(j.Key, j.Value.Status)));
                return PageOf(jobs, maxResults, nextToken);
            }));
        }
    }

    public Task<Result<Page<ExecutionSummary>>> ListJobExecutionsForJobAsync(
        string jobId, ExecutionStatus? status, int maxResults, string? nextToken, CancellationToken cancellationToken)
    {
        PageSize(maxResults);
        lock (_lock)
        {
            ListExecutionsCalls.Add((jobId, status, maxResults, nextToken));
            return Task.FromResult(Answer(() =>
            {
                if (!_jobs.ContainsKey(jobId))
                {
                    return JobsControlErrors.NotFound($"Job {jobId} not found.");
                }

                var executions = _executions.Values
                    .Where(e => e.JobId == jobId && (status is null || e.Status == status))
                    .OrderBy(e => e.ThingName, StringComparer.Ordinal)
                    .Select(e => (Key: e.ThingName, Item: new ExecutionSummary(
                        e.ThingName, e.Status, e.ExecutionNumber, _retryAttempts.GetValueOrDefault((jobId, e.ThingName)),
                        e.QueuedAt, e.StartedAt, e.LastUpdatedAt)));
                return PageOf(executions, maxResults, nextToken);
            }));
        }
    }

    public Task<Result<JobEventSwitches>> DescribeEventConfigurationsAsync(CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            DescribeEventConfigurationsCalls++;
            return Task.FromResult(Answer(() => Result.Success(EventSwitches)));
        }
    }

    /// <summary>Items after the token's key, at most <paramref name="maxResults"/>; a token this fake did not issue is refused as AWS refuses one.</summary>
    private static Result<Page<T>> PageOf<T>(IEnumerable<(string Key, T Item)> ordered, int maxResults, string? nextToken)
    {
        string? after = null;
        if (nextToken is not null)
        {
            if (!nextToken.StartsWith(TokenPrefix, StringComparison.Ordinal))
            {
                return JobsControlErrors.Rejected("The next token is not valid.");
            }

            after = nextToken[TokenPrefix.Length..];
        }

        var rest = ordered.Where(i => after is null || string.CompareOrdinal(i.Key, after) > 0).Take(maxResults + 1).ToList();
        var page = rest.Take(maxResults).ToList();
        return new Page<T>([.. page.Select(i => i.Item)], rest.Count > maxResults ? TokenPrefix + page[^1].Key : null);
    }

    private static void PageSize(int maxResults)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxResults, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxResults, 250);
    }

    private Result<T> Answer<T>(Func<Result<T>> behave)
    {
        if (ThrowNext is { } exception)
        {
            ThrowNext = null;
            throw exception;
        }

        return _failures.TryDequeue(out var failure) ? failure : behave();
    }

    private sealed class FakeJob(string document, JobStatus status)
    {
        public string Document { get; } = document;

        public JobStatus Status { get; set; } = status;

        public string? ReasonCode { get; set; }

        public string? Comment { get; set; }

        public bool ForceCanceled { get; set; }
    }
}
