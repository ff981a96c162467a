namespace JobsFunctions.Aws.Signing;

/// <summary>Knobs that differ between AWS services (and between cases of the AWS SigV4 test suite).</summary>
public sealed record SigV4Options
{
    public static SigV4Options Default { get; } = new();

    /// <summary>
    /// Remove <c>.</c>/<c>..</c> segments and repeated slashes before encoding the path. Every service except S3 wants
    /// this; botocore does it for iot and iot-jobs-data.
    /// </summary>
    public bool NormalizePath { get; init; } = true;

    /// <summary>
    /// Send and sign <c>x-amz-content-sha256</c>. Only S3-style services require it; botocore does not send it to
    /// iot or iot-jobs-data, so it is off by default.
    /// </summary>
    public bool AddContentSha256Header { get; init; }

    /// <summary>
    /// Include <c>x-amz-security-token</c> in the signed headers. A few services want the token attached after
    /// signing; IoT, like most, wants it signed.
    /// </summary>
    public bool SignSessionToken { get; init; } = true;
}

/// <summary>
/// A request as the signer sees it: the path and query exactly as they go on the wire (already percent-encoded by
/// the serializer), the headers in order (repeats allowed), and the body bytes.
/// </summary>
public sealed record SignableRequest
{
    public required string Method { get; init; }

    public required string Path { get; init; }

    /// <summary>The raw query string without the leading <c>?</c>; empty when there is none.</summary>
    public string Query { get; init; } = "";

    public IReadOnlyList<KeyValuePair<string, string>> Headers { get; init; } = [];

    public ReadOnlyMemory<byte> Body { get; init; } = ReadOnlyMemory<byte>.Empty;
}

/// <summary>
/// The outcome of signing: the intermediate strings (so they can be checked against the AWS suite) and the headers
/// to add to the request, in the order they should be appended.
/// </summary>
public sealed record SigV4Signature(
    string CanonicalRequest,
    string StringToSign,
    string Signature,
    string SignedHeaders,
    string Authorization,
    IReadOnlyList<KeyValuePair<string, string>> HeadersToAdd);
