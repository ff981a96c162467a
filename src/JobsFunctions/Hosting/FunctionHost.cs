using JobsFunctions.Aws.Lambda;
using JobsFunctions.Aws.Logging;

namespace JobsFunctions.Hosting;

/// <summary>
/// The bootstrap's life: pick the function named by <c>_HANDLER</c>, build it (the cold start), then serve
/// invocations until Lambda stops the process. A cold start that fails is reported to Lambda as an init error and
/// the process exits with 1, as the Runtime API requires.
/// </summary>
internal static class FunctionHost
{
    /// <returns>The process exit code.</returns>
    public static async Task<int> RunAsync(
        Func<string, string?> environment,
        IReadOnlyCollection<string> knownHandlerNames,
        Func<string, IFunctionHandler?> createHandler,
        TextWriter log,
        CancellationToken stopToken)
    {
        var runtimeApi = environment("AWS_LAMBDA_RUNTIME_API");
        if (string.IsNullOrWhiteSpace(runtimeApi))
        {
            JsonLog.Write(log, "FATAL", "AWS_LAMBDA_RUNTIME_API is not set: bootstrap runs inside Lambda or against a Runtime API emulator.",
                [("errorType", "Runtime.NoRuntimeApi")]);
            return 1;
        }

        using var client = new LambdaRuntimeClient(runtimeApi);
        var handlerName = environment("_HANDLER");
        IFunctionHandler? handler;
        try
        {
            handler = string.IsNullOrWhiteSpace(handlerName) ? null : createHandler(handlerName);
        }
        catch (Exception e) // whatever stops the cold start is reported to Lambda, not thrown past it
        {
            return await FailColdStartAsync(client, LambdaError.ForRuntime("InitError", e.Message), log);
        }

        if (handler is null)
        {
            return await FailColdStartAsync(client, UnknownHandler.Error(handlerName, knownHandlerNames), log);
        }

        var loop = new LambdaRuntimeLoop(
            client,
            (payload, info, cancellationToken) => handler.HandleAsync(
                payload, new InvocationContext(info.RequestId, info.Deadline, info.FunctionArn, info.TraceId), cancellationToken),
            log: log);
        try
        {
            await loop.RunAsync(stopToken);
            return 0;
        }
        catch (LambdaRuntimeException e)
        {
            JsonLog.Write(log, "FATAL", e.Message, [("errorType", "Runtime.ApiFailure")]);
            return 1;
        }
    }

    private static async Task<int> FailColdStartAsync(LambdaRuntimeClient client, LambdaError error, TextWriter log)
    {
        JsonLog.Write(log, "FATAL", error.ErrorMessage, [("errorType", error.ErrorType)]);
        try
        {
            await client.ReportInitErrorAsync(error, CancellationToken.None);
        }
        catch (Exception e) when (e is LambdaRuntimeException or HttpRequestException)
        {
            // Exiting is what matters; Lambda records the failed init either way.
            JsonLog.Write(log, "FATAL", e.Message, [("errorType", "Runtime.ApiFailure")]);
        }

        return 1;
    }
}
