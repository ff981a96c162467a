using JobsFunctions.Domain.Errors;
using JobsFunctions.Domain.Executions;
using JobsFunctions.Domain.Jobs;
using JobsFunctions.Domain.Recording;

namespace JobsFunctions.Domain.Operations;

/// <summary>
/// AWS IoT Jobs as the operator and the policy sweeper drive it: the control plane (UpdateJob, CancelJob,
/// CancelJobExecution, DescribeJob, DescribeJobExecution, ListJobs, ListJobExecutionsForJob, DescribeEventConfigurations) and the
/// data plane's UpdateJobExecution, where the caller acts as the device.
/// Commands arrive validated. Every answer AWS can give that is not a success comes back as an <see cref="Error"/>
/// with a code from <see cref="JobsControlErrors"/>: AWS's refusal of the function's own credentials and error codes
/// no operation expects too (<see cref="ErrorKind.Dependency"/>, code <c>aws.{AwsCode}</c>), and a call cut short by
/// the caller's token (the invocation deadline) is Unavailable. Only a bug (a command that was not validated) throws.
/// </summary>
public interface IJobsControl
{
    Task<Result<Unit>> UpdateJobAsync(UpdateJob command, CancellationToken cancellationToken);

    Task<Result<Unit>> CancelJobExecutionAsync(CancelJobExecution command, CancellationToken cancellationToken);

    Task<Result<ExecutionUpdate>> UpdateJobExecutionAsync(UpdateJobExecution command, CancellationToken cancellationToken);

    /// <summary>The job's status and IoT's own counts of its things by status (JobProcessDetails).</summary>
    Task<Result<JobDescription>> DescribeJobAsync(string jobId, CancellationToken cancellationToken);

    /// <summary>The latest execution when <paramref name="executionNumber"/> is null.</summary>
    Task<Result<JobExecutionDescription>> DescribeJobExecutionAsync(
        string jobId, string thingName, long? executionNumber, CancellationToken cancellationToken);

    /// <summary>Cancels the job: its QUEUED executions, and its IN_PROGRESS ones too when forced.</summary>
    Task<Result<Unit>> CancelJobAsync(CancelJob command, CancellationToken cancellationToken);

    /// <summary>
    /// One page of jobs (optionally of one status; not an event-only status), <paramref name="maxResults"/> 1–250;
    /// pass the page's token back until it is null.
    /// </summary>
    Task<Result<Page<JobSummary>>> ListJobsAsync(JobStatus? status, int maxResults, string? nextToken, CancellationToken cancellationToken);

    /// <summary>One page of a job's executions (optionally of one status), <paramref name="maxResults"/> 1–250.</summary>
    Task<Result<Page<ExecutionSummary>>> ListJobExecutionsForJobAsync(
        string jobId, ExecutionStatus? status, int maxResults, string? nextToken, CancellationToken cancellationToken);

    /// <summary>Whether the account's job and job-execution events are on.</summary>
    Task<Result<JobEventSwitches>> DescribeEventConfigurationsAsync(CancellationToken cancellationToken);
}

/// <summary>
/// How an IoT Jobs adapter reports the service's errors (each operation's Errors in the AWS IoT API reference, e.g.
/// https://docs.aws.amazon.com/iot/latest/apireference/API_UpdateJob.html#API_UpdateJob_Errors), so every caller sees the same codes.
/// The message may be the service's own <c>message</c>; never exception text.
/// </summary>
public static class JobsControlErrors
{
    public const string VersionConflictCode = "conflict.version";
    public const string InvalidTransitionCode = "conflict.invalidTransition";

    /// <summary>InvalidRequestException / CertificateValidationException: AWS refused the request as invalid.</summary>
    public static Error Rejected(string message) =>
        new(ErrorKind.Validation, "validation.request.rejected", message);

    /// <summary>ResourceNotFoundException: no such job, thing or execution.</summary>
    public static Error NotFound(string message) => Error.NotFound("notFound.resource", message);

    /// <summary>VersionConflictException (control plane), or a version mismatch reported by the data plane.</summary>
    public static Error VersionConflict(string message, ExecutionState? current = null) =>
        Error.Conflict(VersionConflictCode, message, current);

    /// <summary>InvalidStateTransitionException (e.g. updating a terminal execution, cancelling IN_PROGRESS without force).</summary>
    public static Error InvalidTransition(string message, ExecutionState? current = null) =>
        Error.Conflict(InvalidTransitionCode, message, current);

    /// <summary>TerminalStateException (data-plane describe of a terminal execution).</summary>
    public static Error Terminal(string message) => Error.Conflict("conflict.terminal", message);

    /// <summary>
    /// ThrottlingException (HTTP 400 on the control plane, 429 on the data plane) and LimitExceededException (410).
    /// <paramref name="retryAfter"/> from the service's Retry-After when it sent one.
    /// </summary>
    public static Error Throttled(string message, TimeSpan? retryAfter = null) =>
        Error.Throttled("throttled", message, retryAfter);

    /// <summary>ServiceUnavailableException, any 5xx, or no answer before the deadline.</summary>
    public static Error Unavailable(string message) => Error.Unavailable("unavailable", message);

    /// <summary>The code of a <see cref="Refused"/> error: <c>aws.</c> and AWS's own error code.</summary>
    public const string RefusedCodePrefix = "aws.";

    /// <summary>
    /// AWS refused the call for reasons of its own (the function's credentials were turned down, an error code no
    /// operation here expects), named by AWS's code: <c>aws.AccessDeniedException</c>.
    /// </summary>
    public static Error Refused(string awsCode, string message) => Error.Dependency(RefusedCodePrefix + awsCode, message);

    /// <summary>Conflicts about an execution's state, for which the caller benefits from seeing the current state.</summary>
    public static bool IsStateConflict(Error error)
    {
        ArgumentNullException.ThrowIfNull(error);
        return error.Code is VersionConflictCode or InvalidTransitionCode;
    }
}
