using JobsFunctions.Domain.Operations;

namespace JobsFunctions.Api;

// Request bodies: the AWS body members of each operation and nothing else (path and query members are not body
// members, so a body naming them is refused as an unknown field). Nested structures are the domain's own records,
// which have exactly the AWS shape.

internal sealed record UpdateJobBody(
    string? Description = null,
    PresignedUrlConfig? PresignedUrlConfig = null,
    JobExecutionsRolloutConfig? JobExecutionsRolloutConfig = null,
    AbortConfig? AbortConfig = null,
    TimeoutConfig? TimeoutConfig = null,
    JobExecutionsRetryConfig? JobExecutionsRetryConfig = null);

internal sealed record CancelJobExecutionBody(long? ExpectedVersion = null, Dictionary<string, string>? StatusDetails = null);

internal sealed record UpdateJobExecutionBody(
    string? Status = null,
    Dictionary<string, string>? StatusDetails = null,
    long? StepTimeoutInMinutes = null,
    long? ExpectedVersion = null,
    bool? IncludeJobExecutionState = null,
    bool? IncludeJobDocument = null,
    long? ExecutionNumber = null);
