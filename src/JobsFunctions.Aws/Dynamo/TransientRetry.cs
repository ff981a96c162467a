using System.Net;
using Amazon.DynamoDBv2.Model;
using Amazon.Runtime;
using JobsFunctions.Aws.Retries;

namespace JobsFunctions.Aws.Dynamo;

/// <summary>
/// Runs a unit of DynamoDB work again, whole, after a transient failure (throttling, a 5xx, no answer), for as long
/// as the caller's time allows, waiting a "full jitter" backoff between rounds. The SDK already retries each request,
/// but its retry quota is a circuit breaker shared by the whole process
/// (https://docs.aws.amazon.com/sdkref/latest/guide/feature-retry-behavior.html): once enough requests have failed, it
/// stops retrying and every further failure surfaces on its first attempt. For the recorder, a spell of throttling
/// would then park events on the failure queue that one more round a moment later would have recorded. The loop is
/// the product's one <see cref="BackoffRetry"/>; this class is DynamoDB's rule for it.
/// Only work that is safe to run twice belongs here: recording an observation is (a second round finds the first
/// one's write and reports a duplicate).
/// </summary>
public sealed class TransientRetry
{
    /// <summary>The first round's wait is up to 50 ms; each further round doubles the ceiling, up to a second, so a long spell is still tried about once a second.</summary>
    public static readonly Backoff Rounds = new(TimeSpan.FromMilliseconds(50), TimeSpan.FromSeconds(1));

    private readonly BackoffRetry _policy;

    /// <param name="sleep">Waits between rounds (tests pass one that does not wait); <see cref="Task.Delay(TimeSpan, TimeProvider, CancellationToken)"/> by default.</param>
    /// <param name="jitter">A number in [0, 1) scaling each wait; <see cref="Random.Shared"/> by default.</param>
    public TransientRetry(TimeProvider clock, Func<TimeSpan, CancellationToken, Task>? sleep = null, Func<double>? jitter = null)
    {
        ArgumentNullException.ThrowIfNull(clock);
        _policy = new BackoffRetry(Rounds, clock, sleep, jitter);
    }

    /// <summary>
    /// Runs <paramref name="work"/> until it succeeds, fails with an error that is not transient, or the next round
    /// could not start before <paramref name="stopBy"/>; the last failure is then thrown as it came.
    /// <paramref name="onRetry"/> hears each transient failure that is followed by another round.
    /// </summary>
    public Task<T> RunAsync<T>(
        Func<CancellationToken, Task<T>> work, DateTimeOffset stopBy, Action<Exception>? onRetry, CancellationToken cancellationToken) =>
        _policy.RunAsync(work, new RetryRule(failure => IsTransient(failure, cancellationToken)) { StopBy = stopBy, OnRetry = onRetry }, cancellationToken);

    /// <summary>
    /// True for what DynamoDB documents as worth retrying
    /// (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Programming.Errors.html): throttling, request
    /// limits, a transaction another transaction holds, any 5xx, a transaction cancelled for one of those, and a
    /// request that got no answer. Never a cancellation the caller asked for (the invocation's deadline).
    /// </summary>
    public static bool IsTransient(Exception failure, CancellationToken cancellationToken) => failure switch
    {
        OperationCanceledException when cancellationToken.IsCancellationRequested => false,
        TransactionCanceledException cancelled => cancelled.CancellationReasons?.Any(reason => TransientCodes.Contains(reason.Code ?? "")) == true,
        ThrottlingException or ProvisionedThroughputExceededException or RequestLimitExceededException
            or TransactionInProgressException or InternalServerErrorException => true,
        AmazonServiceException service => TransientCodes.Contains(service.ErrorCode ?? "") || (int)service.StatusCode >= 500
            || service.StatusCode == HttpStatusCode.TooManyRequests,
        HttpRequestException or IOException or TimeoutException or OperationCanceledException => true,
        _ => false,
    };

    private static readonly HashSet<string> TransientCodes = new(StringComparer.Ordinal)
    {
        "ThrottlingException", "ThrottlingError", "ProvisionedThroughputExceededException", "ProvisionedThroughputExceeded",
        "RequestLimitExceeded", "TransactionInProgressException", "InternalServerError", "InternalServerErrorException",
        "ServiceUnavailable", "ServiceUnavailableException",
    };
}
