using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace JobsFunctions.Aws.Signing;

/// <summary>
/// AWS Signature Version 4 with the signature in the <c>Authorization</c> header. Written to the published algorithm
/// and checked against the AWS SigV4 test suite and against what botocore produces for the IoT services.
/// </summary>
public static class SigV4Signer
{
    public const string Algorithm = "AWS4-HMAC-SHA256";

    private const string DateHeader = "X-Amz-Date";
    private const string TokenHeader = "X-Amz-Security-Token";
    private const string ContentSha256Header = "x-amz-content-sha256";
    private const string AuthorizationHeader = "Authorization";

    /// <summary>
    /// Headers never signed on an <see cref="HttpRequestMessage"/>: hop-by-hop headers a proxy may rewrite, the user
    /// agent and trace id that infrastructure may append to (botocore's list), and Content-Length, which HttpClient
    /// fills in after signing — botocore does not sign it for these services either.
    /// </summary>
    private static readonly HashSet<string> UnsignedHttpHeaders = new(StringComparer.OrdinalIgnoreCase)
    {
        "authorization", "connection", "expect", "keep-alive", "proxy-authenticate", "proxy-authorization", "te",
        "trailer", "transfer-encoding", "upgrade", "user-agent", "x-amzn-trace-id", "content-length",
    };

    public static SigV4Signature Sign(
        SignableRequest request,
        SigningCredentials credentials,
        string region,
        string service,
        DateTimeOffset now,
        SigV4Options? options = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(credentials);
        ArgumentException.ThrowIfNullOrEmpty(region);
        ArgumentException.ThrowIfNullOrEmpty(service);
        options ??= SigV4Options.Default;

        var amzDate = now.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
        var day = amzDate[..8];
        var payloadHash = Hex(SHA256.HashData(request.Body.Span));
        var token = string.IsNullOrEmpty(credentials.SessionToken) ? null : credentials.SessionToken;

        var signedInput = new List<KeyValuePair<string, string>>(request.Headers.Count + 3);
        foreach (var header in request.Headers)
        {
            // A retried request may still carry the previous attempt's signature headers.
            if (!IsOneOf(header.Key, AuthorizationHeader, DateHeader, TokenHeader, ContentSha256Header))
            {
                signedInput.Add(header);
            }
        }

        var added = new List<KeyValuePair<string, string>>(4);
        if (token is not null)
        {
            added.Add(new(TokenHeader, token));
            if (options.SignSessionToken)
            {
                signedInput.Add(new(TokenHeader, token));
            }
        }

        added.Add(new(DateHeader, amzDate));
        signedInput.Add(new(DateHeader, amzDate));
        if (options.AddContentSha256Header)
        {
            added.Add(new(ContentSha256Header, payloadHash));
            signedInput.Add(new(ContentSha256Header, payloadHash));
        }

        var (canonicalHeaders, signedHeaders) = CanonicalHeaders(signedInput);
        var canonicalRequest = string.Join(
            '\n',
            request.Method.ToUpperInvariant(),
            CanonicalPath(request.Path, options.NormalizePath),
            CanonicalQuery(request.Query),
            canonicalHeaders,
            signedHeaders,
            payloadHash);

        var scope = $"{day}/{region}/{service}/aws4_request";
        var stringToSign = string.Join(
            '\n',
            Algorithm,
            amzDate,
            scope,
            Hex(SHA256.HashData(Encoding.UTF8.GetBytes(canonicalRequest))));

        var signingKey = SigningKey(credentials.SecretAccessKey, day, region, service);
        var signature = Hex(HMACSHA256.HashData(signingKey, Encoding.UTF8.GetBytes(stringToSign)));
        var authorization =
            $"{Algorithm} Credential={credentials.AccessKeyId}/{scope}, SignedHeaders={signedHeaders}, Signature={signature}";
        added.Add(new(AuthorizationHeader, authorization));

        return new SigV4Signature(canonicalRequest, stringToSign, signature, signedHeaders, authorization, added);
    }

    /// <summary>
    /// Signs an outgoing request in place. <paramref name="body"/> must be the exact bytes of its content (the
    /// caller serialized them; reading an <see cref="HttpContent"/> back would be async and may not be repeatable).
    /// </summary>
    public static SigV4Signature Sign(
        HttpRequestMessage message,
        ReadOnlyMemory<byte> body,
        SigningCredentials credentials,
        string region,
        string service,
        DateTimeOffset now,
        SigV4Options? options = null)
    {
        ArgumentNullException.ThrowIfNull(message);
        var uri = message.RequestUri ?? throw new ArgumentException("The request has no RequestUri.", nameof(message));
        if (!uri.IsAbsoluteUri)
        {
            throw new ArgumentException("The request URI must be absolute to be signed.", nameof(message));
        }

        var headers = new List<KeyValuePair<string, string>>
        {
            new("Host", message.Headers.Host ?? uri.Authority),
        };
        foreach (var header in message.Headers.NonValidated)
        {
            if (!UnsignedHttpHeaders.Contains(header.Key) && !header.Key.Equals("Host", StringComparison.OrdinalIgnoreCase))
            {
                foreach (var value in header.Value)
                {
                    headers.Add(new(header.Key, value));
                }
            }
        }

        if (message.Content is not null)
        {
            foreach (var header in message.Content.Headers.NonValidated)
            {
                if (!UnsignedHttpHeaders.Contains(header.Key))
                {
                    foreach (var value in header.Value)
                    {
                        headers.Add(new(header.Key, value));
                    }
                }
            }
        }

        var signable = new SignableRequest
        {
            Method = message.Method.Method,
            Path = uri.AbsolutePath,
            Query = uri.Query.StartsWith('?') ? uri.Query[1..] : uri.Query,
            Headers = headers,
            Body = body,
        };
        var signature = Sign(signable, credentials, region, service, now, options);

        foreach (var name in new[] { AuthorizationHeader, DateHeader, TokenHeader, ContentSha256Header })
        {
            message.Headers.Remove(name);
        }

        foreach (var header in signature.HeadersToAdd)
        {
            message.Headers.TryAddWithoutValidation(header.Key, header.Value);
        }

        return signature;
    }

    internal static string CanonicalPath(string path, bool normalize)
    {
        if (normalize)
        {
            path = RemoveDotSegments(path);
        }

        return path.Length == 0 ? "/" : AwsUriEncoding.EncodePath(path);
    }

    /// <summary>
    /// RFC 3986 §5.2.4 dot-segment removal, plus collapsing empty segments, which AWS services also expect. A
    /// trailing slash survives unless nothing is left but the root.
    /// </summary>
    internal static string RemoveDotSegments(string path)
    {
        if (path.Length == 0)
        {
            return "/";
        }

        var output = new List<string>();
        foreach (var segment in path.Split('/'))
        {
            if (segment.Length == 0 || segment == ".")
            {
                continue;
            }

            if (segment == "..")
            {
                if (output.Count > 0)
                {
                    output.RemoveAt(output.Count - 1);
                }

                continue;
            }

            output.Add(segment);
        }

        var leading = path[0] == '/' ? "/" : "";
        var trailing = path[^1] == '/' && output.Count > 0 ? "/" : "";
        return leading + string.Join('/', output) + trailing;
    }

    /// <summary>
    /// Each key and value is decoded and re-encoded so that raw and already-encoded input give the same canonical
    /// form, then pairs are sorted by encoded key and, for repeated keys, by encoded value.
    /// </summary>
    internal static string CanonicalQuery(string query)
    {
        if (string.IsNullOrEmpty(query))
        {
            return "";
        }

        var pairs = new List<(string Key, string Value)>();
        foreach (var part in query.Split('&'))
        {
            if (part.Length == 0)
            {
                continue;
            }

            var equals = part.IndexOf('=', StringComparison.Ordinal);
            var key = equals < 0 ? part : part[..equals];
            var value = equals < 0 ? "" : part[(equals + 1)..];
            pairs.Add((AwsUriEncoding.Encode(AwsUriEncoding.Decode(key)), AwsUriEncoding.Encode(AwsUriEncoding.Decode(value))));
        }

        pairs.Sort((a, b) =>
        {
            var byKey = string.CompareOrdinal(a.Key, b.Key);
            return byKey != 0 ? byKey : string.CompareOrdinal(a.Value, b.Value);
        });
        return string.Join('&', pairs.Select(p => $"{p.Key}={p.Value}"));
    }

    private static (string Canonical, string Signed) CanonicalHeaders(List<KeyValuePair<string, string>> headers)
    {
        var byName = new SortedDictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var header in headers)
        {
            var name = header.Key.Trim().ToLowerInvariant();
            if (!byName.TryGetValue(name, out var values))
            {
                values = [];
                byName.Add(name, values);
            }

            values.Add(TrimAll(header.Value));
        }

        var canonical = new StringBuilder();
        foreach (var (name, values) in byName)
        {
            canonical.Append(name).Append(':').AppendJoin(',', values).Append('\n');
        }

        return (canonical.ToString(), string.Join(';', byName.Keys));
    }

    /// <summary>Trims the value and folds every run of whitespace (including obsolete line folding) to one space.</summary>
    private static string TrimAll(string value) =>
        string.Join(' ', value.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));

    private static byte[] SigningKey(string secret, string day, string region, string service)
    {
        var key = HMACSHA256.HashData(Encoding.UTF8.GetBytes("AWS4" + secret), Encoding.UTF8.GetBytes(day));
        key = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(region));
        key = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(service));
        return HMACSHA256.HashData(key, "aws4_request"u8);
    }

    private static bool IsOneOf(string name, params ReadOnlySpan<string> candidates)
    {
        foreach (var candidate in candidates)
        {
            if (name.Trim().Equals(candidate, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    private static string Hex(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(bytes);
}
