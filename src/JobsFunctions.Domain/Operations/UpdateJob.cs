namespace JobsFunctions.Domain.Operations;

/// <summary>
/// UpdateJob as the IoT control plane takes it (<c>PATCH /jobs/{jobId}?namespaceId=</c>), member for member.
/// Members are nullable because every one of them is optional on the wire (or required only inside an optional
/// structure); <see cref="UpdateJobRules"/> says which combinations AWS accepts. Enumerated values stay wire
/// strings so an adapter forwards exactly what was validated.
/// </summary>
public sealed record UpdateJob(
    string JobId,
    string? NamespaceId = null,
    string? Description = null,
    PresignedUrlConfig? PresignedUrlConfig = null,
    JobExecutionsRolloutConfig? JobExecutionsRolloutConfig = null,
    AbortConfig? AbortConfig = null,
    TimeoutConfig? TimeoutConfig = null,
    JobExecutionsRetryConfig? JobExecutionsRetryConfig = null);

public sealed record PresignedUrlConfig(string? RoleArn = null, long? ExpiresInSec = null);

public sealed record JobExecutionsRolloutConfig(int? MaximumPerMinute = null, ExponentialRolloutRate? ExponentialRate = null);

public sealed record ExponentialRolloutRate(
    int? BaseRatePerMinute = null,
    decimal? IncrementFactor = null,
    RateIncreaseCriteria? RateIncreaseCriteria = null);

public sealed record RateIncreaseCriteria(int? NumberOfNotifiedThings = null, int? NumberOfSucceededThings = null);

public sealed record AbortConfig(IReadOnlyList<AbortCriteria?>? CriteriaList = null);

public sealed record AbortCriteria(
    string? FailureType = null,
    string? Action = null,
    decimal? ThresholdPercentage = null,
    int? MinNumberOfExecutedThings = null);

public sealed record TimeoutConfig(long? InProgressTimeoutInMinutes = null);

public sealed record JobExecutionsRetryConfig(IReadOnlyList<RetryCriteria?>? CriteriaList = null);

public sealed record RetryCriteria(string? FailureType = null, int? NumberOfRetries = null);
