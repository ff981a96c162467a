using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using JobsFunctions.Aws.Retries;
using JobsFunctions.Aws.Signing;

namespace JobsFunctions.Aws.Iot.Http;

/// <summary>
/// The part both IoT clients share: build the HTTP request, sign it with SigV4 for one service, send it, turn error
/// responses into <see cref="IotServiceException"/>, and retry what is worth retrying under the product's one
/// <see cref="BackoffRetry"/>.
/// </summary>
/// <remarks>
/// Retries are bounded twice: by <see cref="RetryOptions.MaxAttempts"/> and by the caller's token, which is also
/// passed to every backoff sleep so no sleep outlives it. When the token fires during a backoff the last failure is
/// thrown (it says more than "canceled": the caller learns it was throttled or the service was down); when it fires
/// while a request is in flight, the usual <see cref="OperationCanceledException"/> surfaces.
/// </remarks>
internal sealed class RestJsonChannel : IDisposable
{
    private readonly HttpMessageInvoker _http;
    private readonly Func<CancellationToken, ValueTask<Uri>> _endpoint;
    private readonly string _signingName;
    private readonly string _region;
    private readonly ICredentialsSource _credentials;
    private readonly RetryOptions _retry;
    private readonly TimeProvider _time;
    private readonly BackoffRetry _policy;
    private readonly IotCallPacing _pacing;
    private readonly bool _controlPlane;

    public RestJsonChannel(
        HttpMessageHandler handler,
        Func<CancellationToken, ValueTask<Uri>> endpoint,
        string signingName,
        string region,
        ICredentialsSource credentials,
        RetryOptions retry,
        TimeProvider? time = null,
        Func<TimeSpan, CancellationToken, Task>? sleep = null,
        Func<double>? jitter = null,
        IotCallPacing? pacing = null)
    {
        ArgumentNullException.ThrowIfNull(handler);
        ArgumentOutOfRangeException.ThrowIfLessThan(retry.MaxAttempts, 1);
        _http = new HttpMessageInvoker(handler, disposeHandler: false);
        _endpoint = endpoint;
        _signingName = signingName;
        _region = region;
        _credentials = credentials;
        _retry = retry;
        _time = time ?? TimeProvider.System;
        _policy = new BackoffRetry(new Backoff(retry.BaseDelay, retry.MaxDelay), _time, sleep, jitter);
        _pacing = pacing ?? IotCallPacing.Unpaced();
        _controlPlane = signingName == Control.IotControlClient.SigningName;
    }

    public async Task<T> SendAsync<T>(RestRequest request, JsonTypeInfo<T> responseType, CancellationToken cancellationToken)
    {
        var body = await SendAsync(request, cancellationToken);
        try
        {
            var value = body.Length == 0 ? default : JsonSerializer.Deserialize(body, responseType);
            return value ?? JsonSerializer.Deserialize("{}"u8, responseType)!;
        }
        catch (JsonException e)
        {
            throw new IotServiceException(
                "MalformedResponse", 200, $"{request.Operation} returned a body that is not the expected JSON.", null, null, e);
        }
    }

    public async Task<byte[]> SendAsync(RestRequest request, CancellationToken cancellationToken)
    {
        IotServiceException? previous = null;
        var rule = new RetryRule(failure => failure is IotServiceException { IsRetryable: true } service
            && (request.Repeatable || service.HttpStatus != 0 || NeverLeft(service.InnerException)))
        {
            MaxAttempts = _retry.MaxAttempts,
            RetryAfter = failure => (failure as IotServiceException)?.RetryAfter,
            OnRetry = failure => previous = (IotServiceException)failure,
        };
        var answer = await _policy.RunAsync(token => AttemptAsync(request, previous, token), rule, cancellationToken);
        return answer.Error is { } wrapped ? throw wrapped : answer.Body;
    }

    /// <summary>
    /// One attempt: an answer, or its failure thrown as an <see cref="IotServiceException"/> for the policy to judge. An
    /// error wrapped in a 200 answer is returned, not thrown: it is the service's final word, never retried.
    /// </summary>
    private async Task<(byte[] Body, IotServiceException? Error)> AttemptAsync(
        RestRequest request, IotServiceException? previous, CancellationToken cancellationToken)
    {
        await WaitTurnAsync(request, previous, cancellationToken);
        try
        {
            using var attemptTimeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            attemptTimeout.CancelAfter(_retry.AttemptTimeout);
            using var message = await BuildAsync(request, cancellationToken);
            using var response = await _http.SendAsync(message, attemptTimeout.Token);
            var body = await response.Content.ReadAsByteArrayAsync(attemptTimeout.Token);
            if (response.IsSuccessStatusCode)
            {
                return (body, ErrorResponseParser.WrappedError(response, body));
            }

            var failure = ErrorResponseParser.Parse(response, body, RetryAfter(response.Headers.RetryAfter));
            if (failure.IsThrottling)
            {
                _pacing.Stats.CountThrottle();
            }

            throw failure;
        }
        catch (HttpRequestException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw Transport(request, e.Message, e);
        }
        catch (IOException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw Transport(request, e.Message, e);
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw Transport(request, $"no response within {_retry.AttemptTimeout.TotalSeconds:0.###} s", e);
        }
    }

    /// <summary>
    /// Every attempt, retries included, waits for its API's turn (see <see cref="IotCallPacing"/>). A deadline that
    /// comes first means the attempt was never sent: after a failed attempt that failure says more, so it stands.
    /// </summary>
    private async Task WaitTurnAsync(RestRequest request, IotServiceException? previous, CancellationToken cancellationToken)
    {
        try
        {
            await _pacing.WaitTurnAsync(_controlPlane, request.Operation, cancellationToken);
        }
        catch (OperationCanceledException e) when (cancellationToken.IsCancellationRequested)
        {
            throw previous ?? new IotServiceException(
                IotServiceException.NotSentCode, 0, $"{request.Operation} was not sent: the deadline came while it waited for its turn under the call rate.", null, null, e);
        }
    }

    public void Dispose() => _http.Dispose();

    private async Task<HttpRequestMessage> BuildAsync(RestRequest request, CancellationToken cancellationToken)
    {
        var endpoint = await _endpoint(cancellationToken);
        var uri = new Uri(endpoint.AbsoluteUri.TrimEnd('/') + request.Path + (request.Query.Length > 0 ? "?" + request.Query : ""));
        var message = new HttpRequestMessage(request.Method, uri);
        if (request.Body is not null)
        {
            message.Content = new ByteArrayContent(request.Body);
            message.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        }

        var credentials = await _credentials.GetCredentialsAsync(cancellationToken);
        SigV4Signer.Sign(message, request.Body ?? [], credentials, _region, _signingName, _time.GetUtcNow());
        return message;
    }

    private TimeSpan? RetryAfter(RetryConditionHeaderValue? header)
    {
        if (header?.Delta is { } delta)
        {
            return delta;
        }

        if (header?.Date is { } date)
        {
            var wait = date - _time.GetUtcNow();
            return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
        }

        return null;
    }

    /// <summary>
    /// True when a transport failure happened before the request could reach the service: no name, no connection, no
    /// TLS session, no proxy tunnel. A hung attempt or a connection lost mid-exchange may have been served.
    /// </summary>
    internal static bool NeverLeft(Exception? failure) =>
        failure is HttpRequestException
        {
            HttpRequestError: HttpRequestError.NameResolutionError or HttpRequestError.ConnectionError
                or HttpRequestError.SecureConnectionError or HttpRequestError.ProxyTunnelError,
        };

    private static IotServiceException Transport(RestRequest request, string reason, Exception inner) =>
        new(IotServiceException.TransportErrorCode, 0, $"{request.Operation} got no answer: {reason}", null, null, inner);
}
