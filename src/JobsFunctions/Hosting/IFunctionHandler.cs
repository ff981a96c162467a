namespace JobsFunctions.Hosting;

/// <summary>
/// One Lambda function of the product (recorder, operator API, …). The bootstrap picks it by <c>_HANDLER</c>,
/// hands it each invocation's raw event and a token that fires shortly before the invocation's deadline, and sends
/// back the bytes it returns. Expected failures are mapped inside the handler; an exception fails the invocation.
/// </summary>
internal interface IFunctionHandler
{
    Task<byte[]> HandleAsync(ReadOnlyMemory<byte> payload, InvocationContext context, CancellationToken cancellationToken);
}

/// <summary>What the Runtime API tells us about an invocation, minus the payload.</summary>
internal sealed record InvocationContext(string RequestId, DateTimeOffset Deadline, string FunctionArn, string? TraceId);
