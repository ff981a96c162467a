namespace JobsFunctions.Aws.Iot;

/// <summary>
/// Where and how the IoT clients talk: region (also the signing region), the control-plane endpoint, and an optional
/// fixed jobs data-plane endpoint (when absent it is discovered with DescribeEndpoint).
/// </summary>
public sealed record IotClientOptions
{
    public required string Region { get; init; }

    public required Uri ControlPlaneEndpoint { get; init; }

    /// <summary>A fixed data-plane endpoint; null means "ask DescribeEndpoint(iot:Jobs), else the regional default".</summary>
    public Uri? JobsDataEndpoint { get; init; }

    public RetryOptions Retry { get; init; } = RetryOptions.Default;

    /// <summary>
    /// The call-rate buckets and counters every client built from these options shares. Unpaced unless set (the
    /// environment's options pace the control plane: <see cref="IotCallPacing.FromEnvironment"/>).
    /// </summary>
    public IotCallPacing Pacing { get; init; } = IotCallPacing.Unpaced();

    public static Uri DefaultControlPlaneEndpoint(string region) => new($"https://iot.{CheckRegion(region)}.amazonaws.com");

    public static Uri DefaultJobsDataEndpoint(string region) => new($"https://data.jobs.iot.{CheckRegion(region)}.amazonaws.com");

    /// <summary>
    /// Reads the variables the AWS SDKs read: <c>AWS_REGION</c> (then <c>AWS_DEFAULT_REGION</c>),
    /// <c>AWS_ENDPOINT_URL_IOT</c> / <c>AWS_ENDPOINT_URL_IOT_JOBS_DATA_PLANE</c>, the global <c>AWS_ENDPOINT_URL</c>, and
    /// <c>AWS_IGNORE_CONFIGURED_ENDPOINT_URLS</c>, and this product's <c>IOT_CONTROL_TPS</c> (calls per second per
    /// control-plane API, default 5). Fails with the variable's name when a value is missing or unusable,
    /// so a misconfigured function fails its cold start rather than its first call.
    /// </summary>
    public static IotClientOptions FromEnvironment(Func<string, string?>? getVariable = null)
    {
        getVariable ??= Environment.GetEnvironmentVariable;
        var region = AwsEnvironment.Value(getVariable, "AWS_REGION") ?? AwsEnvironment.Value(getVariable, "AWS_DEFAULT_REGION")
            ?? throw new InvalidOperationException("AWS_REGION is not set: the IoT clients need a region to sign requests.");
        CheckRegion(region);

        return new IotClientOptions
        {
            Region = region,
            ControlPlaneEndpoint = AwsEnvironment.ConfiguredEndpoint(getVariable, "AWS_ENDPOINT_URL_IOT") ?? DefaultControlPlaneEndpoint(region),
            JobsDataEndpoint = AwsEnvironment.ConfiguredEndpoint(getVariable, "AWS_ENDPOINT_URL_IOT_JOBS_DATA_PLANE"),
            Pacing = IotCallPacing.FromEnvironment(getVariable),
        };
    }

    /// <summary>A region becomes part of a host name, so only the characters of real region names are accepted.</summary>
    private static string CheckRegion(string region)
    {
        if (string.IsNullOrEmpty(region) || !region.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-'))
        {
            throw new InvalidOperationException($"'{region}' is not a valid AWS region name.");
        }

        return region;
    }
}

/// <summary>
/// Retry bounds for throttling, 5xx and transport failures. Backoff is "full jitter": a random delay between zero
/// and <c>min(MaxDelay, BaseDelay * 2^(attempt-1))</c>, never shorter than a Retry-After the service asked for.
/// </summary>
public sealed record RetryOptions
{
    public static RetryOptions Default { get; } = new();

    /// <summary>Total attempts including the first; 1 disables retries.</summary>
    public int MaxAttempts { get; init; } = 4;

    public TimeSpan BaseDelay { get; init; } = TimeSpan.FromMilliseconds(100);

    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>One attempt that hangs longer than this counts as a transport failure and is retried.</summary>
    public TimeSpan AttemptTimeout { get; init; } = TimeSpan.FromSeconds(15);
}
