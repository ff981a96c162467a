using System.Text.Json.Serialization;

namespace JobsFunctions.Api;

// API Gateway HTTP API, payload format 2.0. The envelope grows over time (cookies, stageVariables, domainName…),
// so unlike request bodies it skips what it does not know.

[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Skip)]
internal sealed record HttpApiRequest(
    string? Version,
    string? RouteKey,
    string? RawPath,
    string? RawQueryString,
    Dictionary<string, string>? Headers,
    Dictionary<string, string>? QueryStringParameters,
    Dictionary<string, string>? PathParameters,
    string? Body,
    bool IsBase64Encoded,
    HttpApiRequestContext? RequestContext);

[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Skip)]
internal sealed record HttpApiRequestContext(string? RequestId, long? TimeEpoch, HttpApiHttp? Http, HttpApiAuthorizer? Authorizer);

[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Skip)]
internal sealed record HttpApiHttp(string? Method, string? Path, string? SourceIp, string? UserAgent);

[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Skip)]
internal sealed record HttpApiAuthorizer(HttpApiIamIdentity? Iam);

/// <summary>The caller as the AWS_IAM authorizer saw it; any member may be null.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Skip)]
internal sealed record HttpApiIamIdentity(
    string? AccessKey,
    string? AccountId,
    string? CallerId,
    string? UserArn,
    string? UserId,
    string? PrincipalOrgId);

/// <summary>The full response form (a bare object would also be accepted, but its status would always be 200).</summary>
internal sealed record HttpApiResponse(int StatusCode, Dictionary<string, string> Headers, string Body, bool IsBase64Encoded = false);
