using JobsFunctions.Aws.Iot.JobsData;
using JobsFunctions.Domain.Errors;

namespace JobsFunctions.Aws.Iot;

/// <summary>
/// A failed IoT call: the AWS error code (<c>VersionConflictException</c>, <c>ThrottlingException</c>, …), the HTTP
/// status, the service's message and request id. Codes, not statuses, tell errors apart: VersionConflict and
/// InvalidStateTransition are both 409, and control-plane throttling is a 400. A request that never got an HTTP
/// answer after all its attempts has <see cref="HttpStatus"/> 0 and <see cref="TransportErrorCode"/>.
/// </summary>
public sealed class IotServiceException : Exception
{
    public const string TransportErrorCode = "TransportError";

    /// <summary>The call was never sent: the caller's deadline came while it waited for its turn under the call rate.</summary>
    public const string NotSentCode = "NotSent";

    public IotServiceException()
        : this("The IoT request failed.")
    {
    }

    public IotServiceException(string message)
        : this(message, null)
    {
    }

    public IotServiceException(string message, Exception? innerException)
        : this("Unknown", 0, message, null, null, innerException)
    {
    }

    public IotServiceException(
        string errorCode,
        int httpStatus,
        string message,
        string? requestId,
        JobExecutionState? executionState = null,
        Exception? innerException = null)
        : base(message, innerException)
    {
        ErrorCode = errorCode;
        HttpStatus = httpStatus;
        RequestId = requestId;
        ExecutionState = executionState;
    }

    public string ErrorCode { get; }

    public int HttpStatus { get; }

    public string? RequestId { get; }

    /// <summary>The execution's current state, which the jobs data plane documents for InvalidStateTransition.</summary>
    public JobExecutionState? ExecutionState { get; }

    /// <summary>How long the service asked callers to wait (its Retry-After header), when it said.</summary>
    public TimeSpan? RetryAfter { get; init; }

    public bool IsThrottling => HttpStatus == 429 || IsThrottlingCode(ErrorCode);

    /// <summary>Throttling, any 5xx, or no answer at all: worth another attempt later.</summary>
    public bool IsRetryable => IsThrottling || HttpStatus >= 500 || ErrorCode == TransportErrorCode;

    public static bool IsThrottlingCode(string errorCode) => ThrottlingCodes.Contains(errorCode);
}
