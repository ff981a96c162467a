using System.Text.Json;

namespace JobsFunctions.Local.Runtime;

/// <summary>Runs one event through a function and reports what came of it.</summary>
public interface IFunctionInvoker
{
    Task<InvocationResult> InvokeAsync(byte[] payload, CancellationToken cancellationToken);
}

public enum InvocationOutcome
{
    /// <summary>The function posted a response.</summary>
    Response,

    /// <summary>The function posted an invocation error (it threw).</summary>
    Error,

    /// <summary>The process exited before answering; Lambda would start a fresh execution environment.</summary>
    Crashed,

    /// <summary>No answer by the deadline; Lambda would stop the execution environment.</summary>
    TimedOut,
}

/// <param name="Body">The response, or the error document the function posted.</param>
/// <param name="LogLine">The function's JSON log line for this request (the line carrying its request id), if one came.</param>
/// <param name="Diagnostics">For a crash or a time-out: what the process said on standard error.</param>
public sealed record InvocationResult(
    string RequestId,
    InvocationOutcome Outcome,
    byte[] Body,
    TimeSpan Duration,
    string? LogLine,
    string? Diagnostics)
{
    /// <summary>For an invocation error: <c>errorType: errorMessage</c> from the error document.</summary>
    public string ErrorSummary
    {
        get
        {
            try
            {
                using var error = JsonDocument.Parse(Body);
                var type = error.RootElement.TryGetProperty("errorType", out var t) ? t.GetString() : null;
                var message = error.RootElement.TryGetProperty("errorMessage", out var m) ? m.GetString() : null;
                return $"{type ?? "UnknownError"}: {message}";
            }
            catch (JsonException)
            {
                return System.Text.Encoding.UTF8.GetString(Body);
            }
        }
    }
}
