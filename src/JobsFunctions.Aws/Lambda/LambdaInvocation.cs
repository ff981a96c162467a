namespace JobsFunctions.Aws.Lambda;

/// <summary>What a handler may know about the invocation it serves, minus the payload.</summary>
public sealed record LambdaInvocationInfo(string RequestId, DateTimeOffset Deadline, string FunctionArn, string? TraceId);

/// <summary>
/// One event handed out by the Runtime API's <c>next</c> call. <see cref="InvocationId"/> is only present on
/// Runtime APIs that issue it, and must then be echoed on the response or error for that event.
/// </summary>
public sealed record LambdaInvocation(
    string RequestId,
    DateTimeOffset Deadline,
    string FunctionArn,
    string? TraceId,
    string? InvocationId,
    ReadOnlyMemory<byte> Payload)
{
    public LambdaInvocationInfo Info => new(RequestId, Deadline, FunctionArn, TraceId);
}

/// <summary>
/// An error as Lambda records it. <see cref="FunctionErrorType"/> goes into the
/// <c>Lambda-Runtime-Function-Error-Type</c> header in Lambda's <c>Category.Reason</c> form.
/// </summary>
public sealed record LambdaError(string ErrorType, string ErrorMessage, string FunctionErrorType)
{
    // Lambda keeps the error in the invocation record and in logs; a bounded message keeps a runaway exception text
    // (which might quote input) from being shipped whole.
    private const int MaxMessageLength = 1024;

    public static LambdaError ForFunction(string errorType, string message) =>
        new(errorType, Bound(message), "Function." + errorType);

    public static LambdaError ForRuntime(string reason, string message) =>
        new("Runtime." + reason, Bound(message), "Runtime." + reason);

    private static string Bound(string message) =>
        message.Length <= MaxMessageLength ? message : string.Concat(message.AsSpan(0, MaxMessageLength), "…");
}

/// <summary>How the Runtime API took a response or an error report.</summary>
public enum RuntimeApiOutcome
{
    /// <summary>Accepted (202).</summary>
    Accepted,

    /// <summary>The invocation is no longer waiting (410, e.g. it already timed out); carry on with the next one.</summary>
    Gone,

    /// <summary>The response exceeded Lambda's payload limit (413) and was replaced by an error report.</summary>
    ReplacedByTooLargeError,
}

/// <summary>The Runtime API answered in a way that leaves the execution environment unusable: the process must exit.</summary>
public sealed class LambdaRuntimeException : Exception
{
    public LambdaRuntimeException()
    {
    }

    public LambdaRuntimeException(string message)
        : base(message)
    {
    }

    public LambdaRuntimeException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
