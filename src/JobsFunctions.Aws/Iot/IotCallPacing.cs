using System.Globalization;
using System.Threading.RateLimiting;
using JobsFunctions.Domain.Sweeping;

namespace JobsFunctions.Aws.Iot;

/// <summary>
/// Paces the process's IoT calls and counts them. Each control-plane API (CancelJob, ListJobExecutionsForJob, …) has
/// its own token bucket, because AWS IoT's quotas are per API ("AWS IoT Jobs limits" in the AWS IoT Core endpoints
/// and quotas reference: 10 TPS for most control-plane job APIs). Every client built from the same
/// <see cref="IotClientOptions"/> shares this one object, so every caller in the process shares the buckets.
/// A bucket holds one second's worth of calls and gets a call back every 1/TPS seconds (the BCL limiter's own timer,
/// on the machine's clock); callers wait in order, and never past their own token (the invocation deadline). The jobs data plane is counted but not paced: its quotas
/// are far above what an operator or the sweeper sends.
/// </summary>
public sealed class IotCallPacing : IDisposable
{
    /// <summary>The share of the usual 10 TPS control-plane quota taken when nothing else is configured.</summary>
    public const double DefaultControlPlaneTps = 5;

    private readonly Lock _gate = new();
    private readonly Dictionary<string, TokenBucketRateLimiter> _buckets = new(StringComparer.Ordinal);
    private bool _disposed;

    /// <param name="controlPlaneTps">Calls per second per control-plane API; null leaves calls unpaced.</param>
    public IotCallPacing(double? controlPlaneTps)
    {
        if (controlPlaneTps is { } tps && !(tps > 0 && double.IsFinite(tps)))
        {
            throw new ArgumentOutOfRangeException(nameof(controlPlaneTps), tps, "A call rate must be a positive number of calls per second.");
        }

        ControlPlaneTps = controlPlaneTps;
    }

    /// <summary>Calls per second per control-plane API, or null when unpaced.</summary>
    public double? ControlPlaneTps { get; }

    /// <summary>What was sent and what AWS throttled, since the process started.</summary>
    public IotCallStats Stats { get; } = new();

    /// <summary>No pacing, counting only (tests, tools).</summary>
    public static IotCallPacing Unpaced() => new(null);

    /// <summary>
    /// Reads <c>IOT_CONTROL_TPS</c> (calls per second per control-plane API; default <see cref="DefaultControlPlaneTps"/>).
    /// A value that is not a positive number fails naming the variable.
    /// </summary>
    public static IotCallPacing FromEnvironment(Func<string, string?> getVariable)
    {
        ArgumentNullException.ThrowIfNull(getVariable);
        var text = AwsEnvironment.Value(getVariable, "IOT_CONTROL_TPS");
        if (text is null)
        {
            return new IotCallPacing(DefaultControlPlaneTps);
        }

        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var tps) && tps > 0 && double.IsFinite(tps)
            ? new IotCallPacing(tps)
            : throw new InvalidOperationException($"IOT_CONTROL_TPS is '{text}': it must be a positive number of calls per second.");
    }

    /// <summary>
    /// Waits for the API's turn (control plane only), then counts the call. Throws <see cref="OperationCanceledException"/>
    /// when <paramref name="cancellationToken"/> fires first; the call was then never sent.
    /// </summary>
    internal async ValueTask WaitTurnAsync(bool controlPlane, string operation, CancellationToken cancellationToken)
    {
        if (controlPlane && Bucket(operation) is { } bucket)
        {
            using var lease = await bucket.AcquireAsync(1, cancellationToken);
            if (!lease.IsAcquired)
            {
                throw new InvalidOperationException($"The {operation} call-rate bucket refused a turn.");
            }
        }

        Stats.CountCall();
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
            foreach (var bucket in _buckets.Values)
            {
                bucket.Dispose();
            }

            _buckets.Clear();
        }
    }

    private TokenBucketRateLimiter? Bucket(string operation)
    {
        if (ControlPlaneTps is not { } tps)
        {
            return null;
        }

        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (!_buckets.TryGetValue(operation, out var bucket))
            {
                bucket = new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
                {
                    TokenLimit = Math.Max(1, (int)Math.Ceiling(tps)),
                    TokensPerPeriod = 1,
                    ReplenishmentPeriod = TimeSpan.FromSeconds(1 / tps),
                    AutoReplenishment = true,
                    QueueLimit = int.MaxValue,
                    QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
                });
                _buckets[operation] = bucket;
            }

            return bucket;
        }
    }
}

/// <summary>
/// Counts of IoT calls since the process started, kept where every attempt and every answer passes (the channel
/// counts each attempt as it is sent and each throttled answer as it arrives, before any retry); thread-safe. The
/// sweeper reads it (<see cref="IJobsCallMeter"/>) before and after a run.
/// </summary>
public sealed class IotCallStats : IJobsCallMeter
{
    private long _calls;
    private long _throttles;

    /// <summary>Requests sent (every attempt, retries included).</summary>
    public long Calls => Interlocked.Read(ref _calls);

    /// <summary>Answers AWS gave as throttling (ThrottlingException, LimitExceededException, HTTP 429, …), retried or not.</summary>
    public long Throttles => Interlocked.Read(ref _throttles);

    public JobsCallCounts Read() => new(Calls, Throttles);

    internal void CountCall() => Interlocked.Increment(ref _calls);

    internal void CountThrottle() => Interlocked.Increment(ref _throttles);
}
