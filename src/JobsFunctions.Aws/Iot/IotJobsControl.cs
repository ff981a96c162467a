using System.Globalization;
using JobsFunctions.Domain.Errors;
using JobsFunctions.Domain.Executions;
using JobsFunctions.Domain.Jobs;
using JobsFunctions.Domain.Operations;
using JobsFunctions.Domain.Recording;

namespace JobsFunctions.Aws.Iot;

/// <summary>
/// AWS IoT Jobs for the operator and the policy sweeper: UpdateJob, CancelJob, CancelJobExecution, DescribeJob,
/// DescribeJobExecution, ListJobs, ListJobExecutionsForJob and DescribeEventConfigurations on the control plane, and
/// UpdateJobExecution on the jobs data plane, the only place an execution's status can be set. Commands go to the
/// wire through <see cref="IotJobsWire"/>; every failure comes back as an error value through <see cref="IotJobsErrors"/>.
/// </summary>
public sealed class IotJobsControl : IJobsControl
{
    private readonly Control.IotControlClient _control;
    private readonly JobsData.IotJobsDataClient _jobsData;

    public IotJobsControl(Control.IotControlClient control, JobsData.IotJobsDataClient jobsData)
    {
        ArgumentNullException.ThrowIfNull(control);
        ArgumentNullException.ThrowIfNull(jobsData);
        _control = control;
        _jobsData = jobsData;
    }

    public Task<Result<Unit>> UpdateJobAsync(UpdateJob command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        var request = IotJobsWire.ToRequest(command);
        return CallAsync(
            new Call("UpdateJob", $"job {command.JobId}", Writes: true),
            async () =>
            {
                await _control.UpdateJobAsync(request, cancellationToken);
                return Result.Success(Unit.Value);
            },
            cancellationToken);
    }

    public Task<Result<Unit>> CancelJobExecutionAsync(CancelJobExecution command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        var request = new Control.CancelJobExecutionRequest
        {
            JobId = command.JobId,
            ThingName = command.ThingName,
            Force = command.Force,
            ExpectedVersion = command.ExpectedVersion,
            StatusDetails = command.StatusDetails,
        };
        return CallAsync(
            new Call("CancelJobExecution", Execution(command.JobId, command.ThingName, null), Writes: true, command.ExpectedVersion),
            async () =>
            {
                await _control.CancelJobExecutionAsync(request, cancellationToken);
                return Result.Success(Unit.Value);
            },
            cancellationToken);
    }

    public Task<Result<ExecutionUpdate>> UpdateJobExecutionAsync(UpdateJobExecution command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        var request = new JobsData.UpdateJobExecutionRequest
        {
            JobId = command.JobId,
            ThingName = command.ThingName,
            Status = IotJobsWire.Required(command.Status, "UpdateJobExecution.status"),
            StatusDetails = command.StatusDetails,
            StepTimeoutInMinutes = command.StepTimeoutInMinutes,
            ExpectedVersion = command.ExpectedVersion,
            IncludeJobExecutionState = command.IncludeJobExecutionState,
            IncludeJobDocument = command.IncludeJobDocument,
            ExecutionNumber = command.ExecutionNumber,
        };
        return CallAsync(
            new Call("UpdateJobExecution", Execution(command.JobId, command.ThingName, command.ExecutionNumber), Writes: true, command.ExpectedVersion,
                ExecutionStatuses.TryParse(command.Status, out var asked) ? asked : null),
            async () =>
            {
                var response = await _jobsData.UpdateJobExecutionAsync(request, cancellationToken);

                // AWS has accepted the update by now, so a state it reports in a form we cannot read (a status
                // outside the enum) is left out rather than turning a success into a failure.
                return Result.Success(new ExecutionUpdate(IotJobsWire.ToState(response.ExecutionState), response.JobDocument));
            },
            cancellationToken);
    }

    /// <summary>
    /// DescribeJob. The model's JobStatus enum has no CANCELLATION_IN_PROGRESS and no DELETED, but an answer naming
    /// one is read as named; an answer without a readable status is unreadable.
    /// </summary>
    public Task<Result<JobDescription>> DescribeJobAsync(string jobId, CancellationToken cancellationToken)
    {
        var request = new Control.DescribeJobRequest { JobId = jobId };
        var call = new Call("DescribeJob", $"job {jobId}", Writes: false);
        return CallAsync(
            call,
            async () =>
            {
                var response = await _control.DescribeJobAsync(request, cancellationToken);
                return IotJobsWire.ToDescription(response.Job, jobId) is { } description
                    ? Result.Success(description)
                    : Result.Failure<JobDescription>(IotJobsErrors.Unreadable(call));
            },
            cancellationToken);
    }

    public Task<Result<JobExecutionDescription>> DescribeJobExecutionAsync(
        string jobId, string thingName, long? executionNumber, CancellationToken cancellationToken)
    {
        var request = new Control.DescribeJobExecutionRequest { JobId = jobId, ThingName = thingName, ExecutionNumber = executionNumber };
        var call = new Call("DescribeJobExecution", Execution(jobId, thingName, executionNumber), Writes: false);
        return CallAsync(
            call,
            async () =>
            {
                var response = await _control.DescribeJobExecutionAsync(request, cancellationToken);
                return IotJobsWire.ToDescription(response.Execution, jobId, thingName) is { } description
                    ? Result.Success(description)
                    : Result.Failure<JobExecutionDescription>(IotJobsErrors.Unreadable(call));
            },
            cancellationToken);
    }

    public Task<Result<Unit>> CancelJobAsync(CancelJob command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        var request = new Control.CancelJobRequest
        {
            JobId = command.JobId,
            Force = command.Force,
            ReasonCode = command.ReasonCode,
            Comment = command.Comment,
        };
        return CallAsync(
            new Call("CancelJob", $"job {command.JobId}", Writes: true),
            async () =>
            {
                await _control.CancelJobAsync(request, cancellationToken);
                return Result.Success(Unit.Value);
            },
            cancellationToken);
    }

    /// <summary>
    /// ListJobs, one page. The model's JobStatus enum has no CANCELLATION_IN_PROGRESS and no DELETED (they exist
    /// only in job events), so asking for them is a programming error. A job whose status this product cannot read
    /// is left out of the page rather than failing the whole listing.
    /// </summary>
    public Task<Result<Page<JobSummary>>> ListJobsAsync(
        JobStatus? status, int maxResults, string? nextToken, CancellationToken cancellationToken)
    {
        CheckPageSize(maxResults);
        if (status is { } asked && asked.IsEventOnly())
        {
            throw new ArgumentOutOfRangeException(nameof(status), asked, "ListJobs cannot filter on a status that exists only in job events.");
        }

        var request = new Control.ListJobsRequest { Status = status?.ToWire(), MaxResults = maxResults, NextToken = nextToken };
        return CallAsync(
            new Call("ListJobs", "jobs", Writes: false),
            async () =>
            {
                var response = await _control.ListJobsAsync(request, cancellationToken);
                var jobs = new List<JobSummary>();
                foreach (var job in response.Jobs ?? [])
                {
                    var read = JobStatuses.TryParse(job?.Status, out var parsed) ? parsed : job?.Status is null ? status : null;
                    if (!string.IsNullOrEmpty(job?.JobId) && read is { } jobStatus)
                    {
                        jobs.Add(new JobSummary(job.JobId, jobStatus));
                    }
                }

                return Result.Success(new Page<JobSummary>(jobs, NextToken(response.NextToken)));
            },
            cancellationToken);
    }

    /// <summary>
    /// ListJobExecutionsForJob, one page. The service names each execution's thing only by its ARN
    /// (<c>arn:aws:iot:{region}:{account}:thing/{thingName}</c>); a summary without a readable ARN or status is left out.
    /// </summary>
    public Task<Result<Page<ExecutionSummary>>> ListJobExecutionsForJobAsync(
        string jobId, ExecutionStatus? status, int maxResults, string? nextToken, CancellationToken cancellationToken)
    {
        CheckPageSize(maxResults);
        var request = new Control.ListJobExecutionsForJobRequest
        {
            JobId = jobId,
            Status = status?.ToWire(),
            MaxResults = maxResults,
            NextToken = nextToken,
        };
        return CallAsync(
            new Call("ListJobExecutionsForJob", $"job {jobId}", Writes: false),
            async () =>
            {
                var response = await _control.ListJobExecutionsForJobAsync(request, cancellationToken);
                var executions = new List<ExecutionSummary>();
                foreach (var item in response.ExecutionSummaries ?? [])
                {
                    if (item?.JobExecutionSummary is not { } summary || ThingArns.ThingName(item.ThingArn) is not { } thingName)
                    {
                        continue;
                    }

                    var read = ExecutionStatuses.TryParse(summary.Status, out var parsed) ? parsed : summary.Status is null ? status : null;
                    if (read is { } executionStatus)
                    {
                        executions.Add(new ExecutionSummary(
                            thingName, executionStatus, summary.ExecutionNumber, summary.RetryAttempt, summary.QueuedAt, summary.StartedAt, summary.LastUpdatedAt));
                    }
                }

                return Result.Success(new Page<ExecutionSummary>(executions, NextToken(response.NextToken)));
            },
            cancellationToken);
    }

    /// <summary>Whether the account's JOB and JOB_EXECUTION events are on; an event type the answer leaves out is off.</summary>
    public Task<Result<JobEventSwitches>> DescribeEventConfigurationsAsync(CancellationToken cancellationToken) =>
        CallAsync(
            new Call("DescribeEventConfigurations", "event configuration", Writes: false),
            async () =>
            {
                var response = await _control.DescribeEventConfigurationsAsync(cancellationToken);
                var switches = response.EventConfigurations;
                return Result.Success(new JobEventSwitches(
                    switches?.GetValueOrDefault(Control.EventTypes.Job)?.Enabled == true,
                    switches?.GetValueOrDefault(Control.EventTypes.JobExecution)?.Enabled == true));
            },
            cancellationToken);

    private static string? NextToken(string? token) => string.IsNullOrEmpty(token) ? null : token;

    /// <summary>The model's LaserMaxResults: 1–250.</summary>
    private static void CheckPageSize(int maxResults)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxResults, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxResults, 250);
    }

    private static async Task<Result<T>> CallAsync<T>(Call call, Func<Task<Result<T>>> send, CancellationToken cancellationToken)
    {
        try
        {
            return await send();
        }
        catch (IotServiceException e)
        {
            return ToError(call, e);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return JobsControlErrors.Unavailable(call.Writes
                ? $"AWS IoT did not answer {call.Operation} before the invocation deadline, so whether it applied the change is unknown."
                : $"AWS IoT did not answer {call.Operation} before the invocation deadline.");
        }
    }

    /// <summary>The error for a failed call, whatever AWS answered (<see cref="IotJobsErrors"/>).</summary>
    internal static Error ToError(Call call, IotServiceException failure) => IotJobsErrors.ToError(call, failure);

    private static string Execution(string jobId, string thingName, long? executionNumber) =>
        executionNumber is { } number
            ? $"execution {number.ToString(CultureInfo.InvariantCulture)} of job {jobId} on thing {thingName}"
            : $"execution of job {jobId} on thing {thingName}";

    /// <summary>What an error message needs to know about the call that failed.</summary>
    /// <param name="Asked">The status a device-side UpdateJobExecution asks for, read against AWS's refusal.</param>
    internal sealed record Call(string Operation, string Subject, bool Writes, long? ExpectedVersion = null, ExecutionStatus? Asked = null);
}
