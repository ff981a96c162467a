using System.Text.Json.Serialization;
using JobsFunctions.Domain.Policies;

namespace JobsFunctions.Api;

/// <summary>
/// Every type the operator API reads or writes. Bodies refuse members they do not know (a misspelt
/// <c>thresholdPercentge</c> must not be silently dropped) and duplicate members; the API Gateway envelope opts
/// out of the first rule on its own types.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    AllowDuplicateProperties = false,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(HttpApiRequest))]
[JsonSerializable(typeof(HttpApiResponse))]
[JsonSerializable(typeof(UpdateJobBody))]
[JsonSerializable(typeof(CancelJobExecutionBody))]
[JsonSerializable(typeof(UpdateJobExecutionBody))]
[JsonSerializable(typeof(ErrorBody))]
[JsonSerializable(typeof(EmptyBody))]
[JsonSerializable(typeof(UpdateJobExecutionResponse))]
[JsonSerializable(typeof(JobResponse))]
[JsonSerializable(typeof(JobListResponse))]
[JsonSerializable(typeof(JobIotResponse))]
[JsonSerializable(typeof(ExecutionListResponse))]
[JsonSerializable(typeof(ExecutionLedgerResponse))]
[JsonSerializable(typeof(AuditListResponse))]
[JsonSerializable(typeof(PolicyDocument))]
[JsonSerializable(typeof(PolicyResponse))]
[JsonSerializable(typeof(PolicyPreviewResponse))]
[JsonSerializable(typeof(PolicyListResponse))]
internal sealed partial class ApiJsonContext : JsonSerializerContext;
