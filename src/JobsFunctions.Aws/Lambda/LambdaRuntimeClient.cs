using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace JobsFunctions.Aws.Lambda;

/// <summary>
/// The custom-runtime side of the Lambda Runtime API (<c>2018-06-01</c>): fetch the next event, post its response or
/// error, report a failed cold start. One invocation at a time, as Lambda drives a runtime process.
/// </summary>
public sealed class LambdaRuntimeClient : IDisposable
{
    private const string ErrorContentType = "application/vnd.aws.lambda.error+json";
    private const string InvocationIdHeader = "Lambda-Runtime-Invocation-Id";
    private const string FunctionErrorTypeHeader = "Lambda-Runtime-Function-Error-Type";

    private readonly HttpClient _http;

    /// <param name="runtimeApi">The value of <c>AWS_LAMBDA_RUNTIME_API</c>: <c>host:port</c>.</param>
    public LambdaRuntimeClient(string runtimeApi)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(runtimeApi);
        // A proxy from the environment must never see Runtime API traffic, and `next` has no timeout because the
        // process is frozen between events and a waiting call may span hours of wall-clock time.
        _http = new HttpClient(new SocketsHttpHandler { UseProxy = false })
        {
            BaseAddress = new Uri($"http://{runtimeApi}/2018-06-01/"),
            Timeout = Timeout.InfiniteTimeSpan,
        };
    }

    public async Task<LambdaInvocation> NextAsync(CancellationToken cancellationToken)
    {
        using var response = await _http.GetAsync(
            new Uri("runtime/invocation/next", UriKind.Relative), HttpCompletionOption.ResponseContentRead, cancellationToken);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new LambdaRuntimeException(
                $"The Runtime API answered next with {(int)response.StatusCode}: the execution environment is unusable. "
                + await DescribeAsync(response, cancellationToken));
        }

        var headers = response.Headers;
        var requestId = Header(headers, "Lambda-Runtime-Aws-Request-Id")
            ?? throw new LambdaRuntimeException("The Runtime API sent an event without Lambda-Runtime-Aws-Request-Id.");
        var deadlineText = Header(headers, "Lambda-Runtime-Deadline-Ms");
        if (!long.TryParse(deadlineText, NumberStyles.None, CultureInfo.InvariantCulture, out var deadlineMs))
        {
            throw new LambdaRuntimeException($"The Runtime API sent event {requestId} without a valid Lambda-Runtime-Deadline-Ms.");
        }

        var payload = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        return new LambdaInvocation(
            requestId,
            DateTimeOffset.FromUnixTimeMilliseconds(deadlineMs),
            Header(headers, "Lambda-Runtime-Invoked-Function-Arn") ?? string.Empty,
            Header(headers, "Lambda-Runtime-Trace-Id"),
            Header(headers, InvocationIdHeader),
            payload);
    }

    /// <summary>
    /// Posts the handler's result. A result over Lambda's payload limit is refused with 413; the invocation is then
    /// failed with an error report instead, so the caller sees why rather than a timeout.
    /// </summary>
    public async Task<RuntimeApiOutcome> RespondAsync(LambdaInvocation invocation, ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(invocation);
        using var content = new ReadOnlyMemoryContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        var status = await PostAsync(InvocationPath(invocation, "response"), invocation.InvocationId, content, null, cancellationToken);
        if (status == HttpStatusCode.RequestEntityTooLarge)
        {
            var tooLarge = LambdaError.ForFunction(
                "ResponseSizeTooLarge",
                $"The response of {body.Length} bytes exceeds the Lambda payload limit.");
            var reported = await ReportErrorAsync(invocation, tooLarge, cancellationToken);
            return reported == RuntimeApiOutcome.Gone ? RuntimeApiOutcome.Gone : RuntimeApiOutcome.ReplacedByTooLargeError;
        }

        return Interpret(status, "response", invocation.RequestId);
    }

    public async Task<RuntimeApiOutcome> ReportErrorAsync(LambdaInvocation invocation, LambdaError error, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(invocation);
        ArgumentNullException.ThrowIfNull(error);
        using var content = ErrorContent(error);
        var status = await PostAsync(
            InvocationPath(invocation, "error"), invocation.InvocationId, content, error.FunctionErrorType, cancellationToken);
        return Interpret(status, "error", invocation.RequestId);
    }

    /// <summary>Tells Lambda the cold start failed; the process must exit afterwards.</summary>
    public async Task ReportInitErrorAsync(LambdaError error, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(error);
        using var content = ErrorContent(error);
        var status = await PostAsync("runtime/init/error", null, content, error.FunctionErrorType, cancellationToken);
        Interpret(status, "init error", null);
    }

    public void Dispose() => _http.Dispose();

    // Request ids are opaque to us: escape them so one can never change the path it is posted to.
    private static string InvocationPath(LambdaInvocation invocation, string action) =>
        $"runtime/invocation/{Uri.EscapeDataString(invocation.RequestId)}/{action}";

    private async Task<HttpStatusCode> PostAsync(
        string path, string? invocationId, HttpContent content, string? functionErrorType, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(path, UriKind.Relative)) { Content = content };
        if (invocationId is not null)
        {
            request.Headers.TryAddWithoutValidation(InvocationIdHeader, invocationId);
        }

        if (functionErrorType is not null)
        {
            request.Headers.TryAddWithoutValidation(FunctionErrorTypeHeader, functionErrorType);
        }

        using var response = await _http.SendAsync(request, cancellationToken);
        return response.StatusCode;
    }

    // 410 means the invocation already ended (typically it timed out): nothing is wrong with the environment. Any
    // other refusal means this process and the Runtime API disagree about the invocation; exiting lets Lambda
    // start a fresh environment rather than serve events from a confused one.
    private static RuntimeApiOutcome Interpret(HttpStatusCode status, string call, string? requestId)
    {
        if ((int)status is >= 200 and < 300)
        {
            return RuntimeApiOutcome.Accepted;
        }

        if (status == HttpStatusCode.Gone)
        {
            return RuntimeApiOutcome.Gone;
        }

        var subject = requestId is null ? call : $"{call} for {requestId}";
        throw new LambdaRuntimeException($"The Runtime API refused the {subject} with {(int)status}.");
    }

    private static ByteArrayContent ErrorContent(LambdaError error)
    {
        var body = new LambdaErrorBody(error.ErrorMessage, error.ErrorType, []);
        var content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(body, LambdaRuntimeJsonContext.Default.LambdaErrorBody));
        content.Headers.ContentType = new MediaTypeHeaderValue(ErrorContentType);
        return content;
    }

    private static string? Header(HttpResponseHeaders headers, string name) =>
        headers.NonValidated.TryGetValues(name, out var values) && values.Count > 0 ? values.ToString() : null;

    private static async Task<string> DescribeAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        return text.Length <= 512 ? text : text[..512];
    }
}
