namespace JobsFunctions.Emulator.Model;

/// <summary>
/// An error AWS IoT Jobs answers with its own code (<c>InvalidRequestException</c>, <c>ResourceNotFoundException</c>…).
/// The wire layer turns the code into the HTTP status the plane's model gives it; <see cref="State"/> is the
/// execution's state, which the jobs data plane puts in the body of an InvalidStateTransitionException
/// (https://docs.aws.amazon.com/iot/latest/apireference/API_iot-jobs-data_UpdateJobExecution.html).
/// </summary>
public sealed class EmulatorException : Exception
{
    public EmulatorException(string code, string message, ExecutionView? state = null)
        : base(message)
    {
        Code = code;
        State = state;
    }

    public EmulatorException()
        : this(ErrorCodes.InvalidRequest, "Invalid request.")
    {
    }

    public EmulatorException(string message)
        : this(ErrorCodes.InvalidRequest, message)
    {
    }

    public EmulatorException(string message, Exception innerException)
        : base(message, innerException)
    {
        Code = ErrorCodes.InvalidRequest;
    }

    public string Code { get; } = ErrorCodes.InvalidRequest;

    public ExecutionView? State { get; }

    /// <summary>ResourceAlreadyExistsException's own members: the id and ARN of what already exists.</summary>
    public (string Id, string Arn)? Resource { get; init; }

    public static EmulatorException Invalid(string message) => new(ErrorCodes.InvalidRequest, message);

    public static EmulatorException NotFound(string message) => new(ErrorCodes.ResourceNotFound, message);

    public static EmulatorException Transition(string message, ExecutionView? state = null) => new(ErrorCodes.InvalidStateTransition, message, state);
}

/// <summary>The error codes of the iot and iot-jobs-data models that the emulator answers.</summary>
public static class ErrorCodes
{
    public const string InvalidRequest = "InvalidRequestException";
    public const string ResourceNotFound = "ResourceNotFoundException";
    public const string ResourceAlreadyExists = "ResourceAlreadyExistsException";
    public const string InvalidStateTransition = "InvalidStateTransitionException";
    public const string VersionConflict = "VersionConflictException";
    public const string LimitExceeded = "LimitExceededException";
    public const string TerminalState = "TerminalStateException";
    public const string Throttling = "ThrottlingException";
    public const string UnknownOperation = "UnknownOperationException";
    public const string Serialization = "SerializationException";
}
