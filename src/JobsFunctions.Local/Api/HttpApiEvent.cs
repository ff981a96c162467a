using System.Text.Json.Serialization;

namespace JobsFunctions.Local.Api;

// API Gateway HTTP API, payload format 2.0, as API Gateway sends it to a function: absent values are written as null,
// as they are in the real events.

public sealed record HttpApiEvent(
    string Version,
    string RouteKey,
    string RawPath,
    string RawQueryString,
    IReadOnlyList<string>? Cookies,
    IReadOnlyDictionary<string, string> Headers,
    IReadOnlyDictionary<string, string>? QueryStringParameters,
    HttpApiRequestContext RequestContext,
    string? Body,
    IReadOnlyDictionary<string, string>? PathParameters,
    bool IsBase64Encoded,
    IReadOnlyDictionary<string, string>? StageVariables);

public sealed record HttpApiRequestContext(
    string AccountId,
    string ApiId,
    HttpApiAuthorizer Authorizer,
    string DomainName,
    string DomainPrefix,
    HttpApiHttp Http,
    string RequestId,
    string RouteKey,
    string Stage,
    string Time,
    long TimeEpoch);

public sealed record HttpApiHttp(string Method, string Path, string Protocol, string SourceIp, string UserAgent);

public sealed record HttpApiAuthorizer(HttpApiIamIdentity Iam);

/// <summary>The caller as an AWS_IAM route's authorizer describes it.</summary>
public sealed record HttpApiIamIdentity(
    string AccessKey,
    string AccountId,
    string CallerId,
    string? CognitoIdentity,
    string? PrincipalOrgId,
    string UserArn,
    string UserId);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(HttpApiEvent))]
internal sealed partial class LocalJsonContext : JsonSerializerContext;
