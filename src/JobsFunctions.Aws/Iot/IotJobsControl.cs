using System.Buffers;
using System.Collections.ObjectModel;
using System.Globalization;
using System.Text;
using JobsFunctions.Domain.Errors;
using JobsFunctions.Domain.Executions;
using JobsFunctions.Domain.Jobs;
using JobsFunctions.Domain.Operations;
using JobsFunctions.Domain.Recording;

namespace JobsFunctions.Aws.Iot;

/// <summary>
/// AWS IoT Jobs for the operator and the policy sweeper: UpdateJob, CancelJob, CancelJobExecution,
/// DescribeJobExecution, ListJobs, ListJobExecutionsForJob and DescribeEventConfigurations on the control plane, and
/// UpdateJobExecution on the jobs data plane, the only place an execution's status can be set.
/// </summary>
/// <remarks>
/// <para>
/// Errors are told apart by AWS error code, never by HTTP status alone: VersionConflict and InvalidStateTransition
/// are both 409, and control-plane throttling is a 400. Only throttling codes the channel does not name and answers
/// without any code fall back to the status (429 is throttling, 5xx is unavailable). Every other answer is an error
/// too, never an exception: AWS refusing the function's own credentials (AccessDenied, InvalidSignature,
/// UnrecognizedClient, ExpiredToken…, or any 401/403) and codes no operation expects are
/// <see cref="ErrorKind.Dependency"/> errors whose code names AWS's (<c>aws.AccessDeniedException</c>).
/// </para>
/// <para>
/// An error message is a sentence of ours, followed by the service's own <c>message</c> only when that is at most
/// <see cref="MaxServiceMessageLength"/> characters and holds nothing from Unicode's control, format, private-use or
/// line/paragraph-separator categories (the class the model's <c>[^\p{C}]+</c> patterns exclude). Anything longer
/// or stranger is not ours to forward verbatim to an operator or an audit trail. Exception text, including a
/// transport failure's, never appears.
/// </para>
/// </remarks>
public sealed class IotJobsControl : IJobsControl
{
    internal const int MaxServiceMessageLength = 256;

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
        var request = ToRequest(command);
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
            Status = Required(command.Status, "UpdateJobExecution.status"),
            StatusDetails = command.StatusDetails,
            StepTimeoutInMinutes = command.StepTimeoutInMinutes,
            ExpectedVersion = command.ExpectedVersion,
            IncludeJobExecutionState = command.IncludeJobExecutionState,
            IncludeJobDocument = command.IncludeJobDocument,
            ExecutionNumber = command.ExecutionNumber,
        };
        return CallAsync(
            new Call("UpdateJobExecution", Execution(command.JobId, command.ThingName, command.ExecutionNumber), Writes: true, command.ExpectedVersion),
            async () =>
            {
                var response = await _jobsData.UpdateJobExecutionAsync(request, cancellationToken);

                // AWS has accepted the update by now, so a state it reports in a form we cannot read (a status
                // outside the enum) is left out rather than turning a success into a failure.
                return Result.Success(new ExecutionUpdate(ToState(response.ExecutionState), response.JobDocument));
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
                return ToDescription(response.Execution, jobId, thingName) is { } description
                    ? Result.Success(description)
                    : Result.Failure<JobExecutionDescription>(Unreadable(call));
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
                    if (item?.JobExecutionSummary is not { } summary || ThingName(item.ThingArn) is not { } thingName)
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

    /// <summary>The thing's name from its ARN: everything after the resource type <c>thing/</c> (a name may hold colons).</summary>
    internal static string? ThingName(string? thingArn)
    {
        const string marker = ":thing/";
        var at = thingArn?.IndexOf(marker, StringComparison.Ordinal) ?? -1;
        return at < 0 || at + marker.Length == thingArn!.Length ? null : thingArn[(at + marker.Length)..];
    }

    private static string? NextToken(string? token) => string.IsNullOrEmpty(token) ? null : token;

    /// <summary>The model's LaserMaxResults: 1–250.</summary>
    private static void CheckPageSize(int maxResults)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxResults, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxResults, 250);
    }

    /// <summary>UpdateJob member for member. Members the model requires inside an optional structure must be present.</summary>
    internal static Control.UpdateJobRequest ToRequest(UpdateJob command) => new()
    {
        JobId = command.JobId,
        NamespaceId = command.NamespaceId,
        Description = command.Description,
        PresignedUrlConfig = command.PresignedUrlConfig is { } presigned
            ? new Control.PresignedUrlConfig { RoleArn = presigned.RoleArn, ExpiresInSec = presigned.ExpiresInSec }
            : null,
        JobExecutionsRolloutConfig = command.JobExecutionsRolloutConfig is { } rollout
            ? new Control.JobExecutionsRolloutConfig
            {
                MaximumPerMinute = rollout.MaximumPerMinute,
                ExponentialRate = rollout.ExponentialRate is { } rate ? ToWire(rate) : null,
            }
            : null,
        AbortConfig = command.AbortConfig is { } abort
            ? new Control.AbortConfig { CriteriaList = Items(abort.CriteriaList, "abortConfig.criteriaList", ToWire) }
            : null,
        TimeoutConfig = command.TimeoutConfig is { } timeout
            ? new Control.TimeoutConfig { InProgressTimeoutInMinutes = timeout.InProgressTimeoutInMinutes }
            : null,
        JobExecutionsRetryConfig = command.JobExecutionsRetryConfig is { } retry
            ? new Control.JobExecutionsRetryConfig { CriteriaList = Items(retry.CriteriaList, "jobExecutionsRetryConfig.criteriaList", ToWire) }
            : null,
    };

    /// <summary>
    /// The model types these members as doubles and the wire carries the shortest text that reads back as the same
    /// double, so the double must be the one nearest the decimal's own digits. Parsing those digits guarantees it;
    /// a decimal-to-double cast does not once the decimal keeps a long tail of zeros, as it does when a JSON body
    /// spells it so: 10.55 followed by 22 zeros casts to the double that prints as 10.549999999999999.
    /// </summary>
    internal static double ToWireNumber(decimal value) =>
        double.Parse(value.ToString(CultureInfo.InvariantCulture), NumberStyles.Float, CultureInfo.InvariantCulture);

    private static Control.ExponentialRolloutRate ToWire(ExponentialRolloutRate rate)
    {
        const string field = "jobExecutionsRolloutConfig.exponentialRate";
        var criteria = Required(rate.RateIncreaseCriteria, $"{field}.rateIncreaseCriteria");
        return new Control.ExponentialRolloutRate
        {
            BaseRatePerMinute = Required(rate.BaseRatePerMinute, $"{field}.baseRatePerMinute"),
            IncrementFactor = ToWireNumber(Required(rate.IncrementFactor, $"{field}.incrementFactor")),
            RateIncreaseCriteria = new Control.RateIncreaseCriteria
            {
                NumberOfNotifiedThings = criteria.NumberOfNotifiedThings,
                NumberOfSucceededThings = criteria.NumberOfSucceededThings,
            },
        };
    }

    private static Control.AbortCriteria ToWire(AbortCriteria criteria, string field) => new()
    {
        FailureType = Required(criteria.FailureType, $"{field}.failureType"),
        Action = Required(criteria.Action, $"{field}.action"),
        ThresholdPercentage = ToWireNumber(Required(criteria.ThresholdPercentage, $"{field}.thresholdPercentage")),
        MinNumberOfExecutedThings = Required(criteria.MinNumberOfExecutedThings, $"{field}.minNumberOfExecutedThings"),
    };

    private static Control.RetryCriteria ToWire(RetryCriteria criteria, string field) => new()
    {
        FailureType = Required(criteria.FailureType, $"{field}.failureType"),
        NumberOfRetries = Required(criteria.NumberOfRetries, $"{field}.numberOfRetries"),
    };

    private static List<TWire> Items<TDomain, TWire>(IReadOnlyList<TDomain?>? items, string field, Func<TDomain, string, TWire> map)
        where TDomain : class =>
        Required(items, field).Select((item, index) => map(Required(item, $"{field}[{index}]"), $"{field}[{index}]")).ToList();

    // The port takes validated commands; a missing required member is a caller's bug, never something to default.
    private static T Required<T>(T? value, string field)
        where T : class =>
        value ?? throw new ArgumentException($"{field} is required; the command was not validated.", field);

    private static T Required<T>(T? value, string field)
        where T : struct =>
        value ?? throw new ArgumentException($"{field} is required; the command was not validated.", field);

    private static ExecutionState? ToState(JobsData.JobExecutionState? state) =>
        state is not null && ExecutionStatuses.TryParse(state.Status, out var status)
            ? new ExecutionState(status, state.StatusDetails ?? ReadOnlyDictionary<string, string>.Empty, state.VersionNumber)
            : null;

    /// <summary>The control plane names no thing in an execution (only its ARN), so the requested name stands.</summary>
    private static JobExecutionDescription? ToDescription(Control.JobExecution? execution, string jobId, string thingName) =>
        execution is not null && ExecutionStatuses.TryParse(execution.Status, out var status)
            ? new JobExecutionDescription(
                execution.JobId ?? jobId,
                thingName,
                status,
                execution.StatusDetails?.DetailsMap ?? ReadOnlyDictionary<string, string>.Empty,
                execution.VersionNumber,
                execution.ExecutionNumber,
                execution.ForceCanceled ?? false,
                execution.QueuedAt,
                execution.StartedAt,
                execution.LastUpdatedAt)
            : null;

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

    /// <summary>The error for a failed call, whatever AWS answered.</summary>
    internal static Error ToError(Call call, IotServiceException failure)
    {
        var said = ServiceMessage(failure);
        switch (failure.ErrorCode)
        {
            case "InvalidRequestException" or "CertificateValidationException":
                return JobsControlErrors.Rejected(Sentence($"AWS IoT refused {call.Operation} as invalid", said));
            case "ResourceNotFoundException":
                return JobsControlErrors.NotFound(Sentence($"AWS IoT found no {call.Subject}", said));
            case "VersionConflictException":
                return JobsControlErrors.VersionConflict(Sentence(VersionMismatch(call.ExpectedVersion, actual: null), said));
            case "InvalidStateTransitionException":
                return Transition(call, failure, said);
            case "TerminalStateException":
                return JobsControlErrors.Terminal(Sentence("The execution is in a terminal state", said));
            case "MalformedResponse":
                return Unreadable(call);
            case IotServiceException.TransportErrorCode when call.Writes && !Http.RestJsonChannel.NeverLeft(failure.InnerException):
                return JobsControlErrors.Unavailable(
                    $"AWS IoT's answer to {call.Operation} was lost, so whether it applied the change is unknown; read the execution before retrying.");
            case IotServiceException.TransportErrorCode:
                return JobsControlErrors.Unavailable($"AWS IoT could not be reached for {call.Operation}; retry later.");
            case IotServiceException.NotSentCode:
                return JobsControlErrors.Unavailable(
                    $"{call.Operation} was not sent to AWS IoT: the invocation deadline came while it waited for its turn under the call rate.");
            case "ServiceUnavailableException" or "InternalFailureException":
                return Unavailable(call, said);
        }

        // Past the named codes the service's message may be a proxy's page rather than AWS's words: it is left out,
        // unless the code is one AWS documents for refusing credentials, whose message names the action refused.
        var named = IotServiceException.IsThrottlingCode(failure.ErrorCode) ? said : null;
        if (failure.IsThrottling)
        {
            return JobsControlErrors.Throttled(Sentence($"AWS IoT is throttling {call.Operation}; retry later", named), failure.RetryAfter);
        }

        if (failure.HttpStatus >= 500)
        {
            return Unavailable(call, said: null);
        }

        var code = RefusalCode(failure);
        return CredentialRefusals.Contains(failure.ErrorCode) || failure.HttpStatus is 401 or 403
            ? JobsControlErrors.Refused(code, Sentence(
                $"AWS IoT refused this function's credentials for {call.Operation} ({code}); check the function role's permissions and credentials",
                CredentialRefusals.Contains(failure.ErrorCode) ? said : null))
            : JobsControlErrors.Refused(code, $"AWS IoT answered {call.Operation} with {code}, which this product does not expect.");
    }

    /// <summary>
    /// AWS's codes for refusing a caller's credentials, from the common errors of the AWS APIs and the IoT model
    /// (UnauthorizedException, 401): the first thing a team meets when a role is narrowed or a session expires.
    /// </summary>
    private static readonly HashSet<string> CredentialRefusals = new(StringComparer.Ordinal)
    {
        "AccessDeniedException", "AccessDenied", "UnauthorizedException", "UnrecognizedClientException",
        "InvalidSignatureException", "SignatureDoesNotMatch", "IncompleteSignature", "IncompleteSignatureException",
        "ExpiredTokenException", "ExpiredToken", "RequestExpired", "InvalidClientTokenId", "MissingAuthenticationToken",
        "MissingAuthenticationTokenException", "NotAuthorized", "OptInRequired", "AuthFailure",
    };

    /// <summary>
    /// AWS's code as an error code's suffix: a plain identifier as AWS spells its codes; anything else (an answer with
    /// no code, whose code is then its status, or a proxy's) is named by its HTTP status.
    /// </summary>
    internal static string RefusalCode(IotServiceException failure)
    {
        var code = failure.ErrorCode;
        return code.Length is > 0 and <= 64 && char.IsAsciiLetter(code[0]) && code.All(char.IsAsciiLetterOrDigit)
            ? code
            : $"http{failure.HttpStatus.ToString(CultureInfo.InvariantCulture)}";
    }

    /// <summary>
    /// The data plane sends the execution's state with InvalidStateTransition. When that state could take the change
    /// and only its version differs from the caller's expectedVersion, the version is what stood in the way, and
    /// retrying with the current version can succeed: that is a version conflict, not an impossible transition.
    /// </summary>
    private static Error Transition(Call call, IotServiceException failure, string? said)
    {
        var current = ToState(failure.ExecutionState);
        if (call.ExpectedVersion is { } expected && current is { VersionNumber: { } actual } && actual != expected && !current.Status.IsTerminal())
        {
            return JobsControlErrors.VersionConflict(Sentence(VersionMismatch(expected, actual), said), current);
        }

        var status = current is null ? "" : $" from {current.Status.ToWire()}";
        return JobsControlErrors.InvalidTransition(
            Sentence($"AWS IoT refused {call.Operation}: the execution cannot make that change{status}", said), current);
    }

    private static string VersionMismatch(long? expected, long? actual) => (expected, actual) switch
    {
        ({ } e, { } a) => $"The execution is at version {a}, not the expected version {e}",
        ({ } e, null) => $"The execution is no longer at the expected version {e}",
        _ => "The execution's version has changed",
    };

    private static Error Unavailable(Call call, string? said) =>
        JobsControlErrors.Unavailable(Sentence($"AWS IoT could not serve {call.Operation}; retry later", said));

    /// <summary>An HTTP 200 whose body does not read as the operation's answer: for a write, AWS did accept it.</summary>
    private static Error Unreadable(Call call) => JobsControlErrors.Unavailable(call.Writes
        ? $"AWS IoT accepted {call.Operation} but its answer could not be read."
        : $"AWS IoT's answer to {call.Operation} could not be read.");

    private static string Execution(string jobId, string thingName, long? executionNumber) =>
        executionNumber is { } number
            ? $"execution {number.ToString(CultureInfo.InvariantCulture)} of job {jobId} on thing {thingName}"
            : $"execution of job {jobId} on thing {thingName}";

    private static string Sentence(string ours, string? said) => said is null ? ours + "." : $"{ours}: {said}";

    /// <summary>
    /// The service's own message when it came from an error answer (not a transport failure or an unreadable 200,
    /// whose messages are ours and carry exception text) and is fit to show (see the remarks).
    /// </summary>
    private static string? ServiceMessage(IotServiceException failure)
    {
        if (failure.HttpStatus < 300)
        {
            return null;
        }

        var message = failure.Message.Trim();
        return message.Length is > 0 and <= MaxServiceMessageLength && IsPrintable(message) ? message : null;
    }

    private static bool IsPrintable(string text)
    {
        var rest = text.AsSpan();
        while (!rest.IsEmpty)
        {
            if (Rune.DecodeFromUtf16(rest, out var rune, out var used) != OperationStatus.Done)
            {
                return false;
            }

            if (Rune.GetUnicodeCategory(rune) is UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.Surrogate
                or UnicodeCategory.PrivateUse or UnicodeCategory.OtherNotAssigned or UnicodeCategory.LineSeparator
                or UnicodeCategory.ParagraphSeparator)
            {
                return false;
            }

            rest = rest[used..];
        }

        return true;
    }

    /// <summary>What an error message needs to know about the call that failed.</summary>
    internal sealed record Call(string Operation, string Subject, bool Writes, long? ExpectedVersion = null);
}
