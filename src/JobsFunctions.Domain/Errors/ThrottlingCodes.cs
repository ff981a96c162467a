namespace JobsFunctions.Domain.Errors;

/// <summary>
/// The AWS error codes a client treats as throttling (the AWS SDKs' retry behaviour,
/// https://docs.aws.amazon.com/sdkref/latest/guide/feature-retry-behavior.html), whatever the HTTP status: the
/// product's IoT client retries on them, and the emulator counts its answers with them the way that client does.
/// </summary>
public static class ThrottlingCodes
{
    private static readonly HashSet<string> Codes = new(StringComparer.Ordinal)
    {
        "ThrottlingException", "TooManyRequestsException", "LimitExceededException", "RequestThrottled",
        "Throttling", "ThrottledException", "RequestThrottledException", "RequestLimitExceeded", "SlowDown",
    };

    public static bool Contains(string errorCode) => Codes.Contains(errorCode);
}
