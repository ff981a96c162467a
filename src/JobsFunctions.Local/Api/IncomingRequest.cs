namespace JobsFunctions.Local.Api;

/// <summary>An HTTP request as it reached the local API, before API Gateway's translation.</summary>
/// <param name="RawTarget">The request target as sent: path and query, still percent-encoded.</param>
/// <param name="Headers">Header fields in arrival order; a repeated name appears once per field.</param>
public sealed record IncomingRequest(
    string Method,
    string RawTarget,
    IReadOnlyList<KeyValuePair<string, string>> Headers,
    byte[] Body,
    string SourceIp,
    int Port,
    string Protocol = "HTTP/1.1");

/// <summary>Who the local API says is calling: an AWS_IAM route records this identity in the audit trail.</summary>
public sealed record LocalCaller(string AccountId, string UserArn, string UserId, string AccessKey)
{
    public static LocalCaller Operator { get; } = new(
        "000000000000", "arn:aws:iam::000000000000:user/local-operator", "AIDALOCALOPERATOR0000", "AKIALOCALOPERATOR000");
}
