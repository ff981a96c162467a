using JobsFunctions.Domain.Errors;
using JobsFunctions.Domain.Executions;
using JobsFunctions.Domain.Operations;

namespace JobsFunctions.TestSupport.Operations;

/// <summary>
/// An in-memory IoT Jobs that behaves as the facts sheet describes (versions, expectedVersion, the device and service
/// transitions, force) and counts every call, so a test can prove a request never reached AWS.
/// Seed it with <see cref="AddJob"/> and <see cref="AddExecution"/>; make the next call fail with <see cref="FailNext"/>.
/// </summary>
public sealed class FakeJobsControl : IJobsControl
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, string> _documents = new(StringComparer.Ordinal);
    private readonly Dictionary<(string JobId, string ThingName), JobExecutionDescription> _executions = [];
    private readonly Queue<Error> _failures = new();

    public List<UpdateJob> UpdateJobCalls { get; } = [];

    public List<CancelJobExecution> CancelCalls { get; } = [];

    public List<UpdateJobExecution> UpdateExecutionCalls { get; } = [];

    public List<(string JobId, string ThingName, long? ExecutionNumber)> DescribeCalls { get; } = [];

    /// <summary>Thrown by the next call instead of answering, to stand for an unexpected failure.</summary>
    public Exception? ThrowNext { get; set; }

    public int WriteCalls => UpdateJobCalls.Count + CancelCalls.Count + UpdateExecutionCalls.Count;

    public int Calls => WriteCalls + DescribeCalls.Count;

    public FakeJobsControl AddJob(string jobId, string document = "{\"operation\":\"reboot\"}")
    {
        _documents[jobId] = document;
        return this;
    }

    public FakeJobsControl AddExecution(string jobId, string thingName, ExecutionStatus status, long version = 1,
        IReadOnlyDictionary<string, string>? details = null, long executionNumber = 1)
    {
        _documents.TryAdd(jobId, "{}");
        _executions[(jobId, thingName)] = new JobExecutionDescription(jobId, thingName, status,
            details ?? new Dictionary<string, string>(), version, executionNumber);
        return this;
    }

    public JobExecutionDescription? Execution(string jobId, string thingName) =>
        _executions.GetValueOrDefault((jobId, thingName));

    public FakeJobsControl FailNext(Error error)
    {
        _failures.Enqueue(error);
        return this;
    }

    public Task<Result<Unit>> UpdateJobAsync(UpdateJob command, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            UpdateJobCalls.Add(command);
            return Task.FromResult(Answer(() => _documents.ContainsKey(command.JobId)
                ? Result.Success(Unit.Value)
                : JobsControlErrors.NotFound($"Job {command.JobId} not found.")));
        }
    }

    public Task<Result<Unit>> CancelJobExecutionAsync(CancelJobExecution command, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            CancelCalls.Add(command);
            return Task.FromResult(Answer<Unit>(() =>
            {
                if (Execution(command.JobId, command.ThingName) is not { } current)
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
                if (Execution(command.JobId, command.ThingName) is not { } current)
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

                var next = current with
                {
                    Status = target,
                    StatusDetails = command.StatusDetails ?? current.StatusDetails,
                    VersionNumber = current.VersionNumber + 1,
                };
                _executions[(command.JobId, command.ThingName)] = next;
                return new ExecutionUpdate(
                    command.IncludeJobExecutionState == true ? next.State : null,
                    command.IncludeJobDocument == true ? _documents[command.JobId] : null);
            }));
        }
    }

    public Task<Result<JobExecutionDescription>> DescribeJobExecutionAsync(
        string jobId, string thingName, long? executionNumber, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            DescribeCalls.Add((jobId, thingName, executionNumber));
            return Task.FromResult(Answer(() => Execution(jobId, thingName) is { } execution
                ? Result.Success(execution)
                : JobsControlErrors.NotFound($"Job execution {jobId}/{thingName} not found.")));
        }
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
}
