using System.Globalization;
using JobsFunctions.Domain.Errors;
using JobsFunctions.Domain.Operations;

namespace JobsFunctions.Aws.Iot;

/// <summary>
/// What AWS IoT's failures mean to the product: every failed call becomes an <see cref="Error"/>, never an exception.
/// </summary>
/// <remarks>
/// Errors are told apart by AWS error code, never by HTTP status alone: VersionConflict and InvalidStateTransition
/// are both 409, and control-plane throttling is a 400. Only throttling codes the channel does not name and answers
/// without any code fall back to the status (429 is throttling, 5xx is unavailable). Every other answer is an error
/// too: AWS refusing the function's own credentials (AccessDenied, InvalidSignature, UnrecognizedClient,
/// ExpiredToken…, or any 401/403) and codes no operation expects are <see cref="ErrorKind.Dependency"/> errors whose
/// code names AWS's (<c>aws.AccessDeniedException</c>). An InvalidStateTransition may be remapped to a version
/// conflict: <see cref="TransitionRefusals"/>. Messages: <see cref="ServiceMessages"/>.
/// </remarks>
internal static class IotJobsErrors
{
    /// <summary>The error for a failed call, whatever AWS answered.</summary>
    internal static Error ToError(IotJobsControl.Call call, IotServiceException failure)
    {
        var said = ServiceMessages.Fit(failure);
        switch (failure.ErrorCode)
        {
            case "InvalidRequestException" or "CertificateValidationException":
                return JobsControlErrors.Rejected(ServiceMessages.Sentence($"AWS IoT refused {call.Operation} as invalid", said));
            case "ResourceNotFoundException":
                return JobsControlErrors.NotFound(ServiceMessages.Sentence($"AWS IoT found no {call.Subject}", said));
            case "VersionConflictException":
                return JobsControlErrors.VersionConflict(ServiceMessages.Sentence(VersionMismatch(call.ExpectedVersion, actual: null), said));
            case "InvalidStateTransitionException":
                return TransitionRefusals.Remap(call, failure, said);
            case "TerminalStateException":
                return JobsControlErrors.Terminal(ServiceMessages.Sentence("The execution is in a terminal state", said));
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
            return JobsControlErrors.Throttled(ServiceMessages.Sentence($"AWS IoT is throttling {call.Operation}; retry later", named), failure.RetryAfter);
        }

        if (failure.HttpStatus >= 500)
        {
            return Unavailable(call, said: null);
        }

        var code = RefusalCode(failure);
        return CredentialRefusals.Contains(failure.ErrorCode) || failure.HttpStatus is 401 or 403
            ? JobsControlErrors.Refused(code, ServiceMessages.Sentence(
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

    internal static string VersionMismatch(long? expected, long? actual) => (expected, actual) switch
    {
        ({ } e, { } a) => $"The execution is at version {a}, not the expected version {e}",
        ({ } e, null) => $"The execution is no longer at the expected version {e}",
        _ => "The execution's version has changed",
    };

    private static Error Unavailable(IotJobsControl.Call call, string? said) =>
        JobsControlErrors.Unavailable(ServiceMessages.Sentence($"AWS IoT could not serve {call.Operation}; retry later", said));

    /// <summary>An HTTP 200 whose body does not read as the operation's answer: for a write, AWS did accept it.</summary>
    internal static Error Unreadable(IotJobsControl.Call call) => JobsControlErrors.Unavailable(call.Writes
        ? $"AWS IoT accepted {call.Operation} but its answer could not be read."
        : $"AWS IoT's answer to {call.Operation} could not be read.");
}
