using System.Globalization;
using System.Text;
using System.Text.Json;
using JobsFunctions.Aws.Signing;
using JobsFunctions.Aws.Tests.Support;

namespace JobsFunctions.Aws.Tests.Signing;

/// <summary>
/// The AWS SigV4 test suite (header-signing variant), one case per folder under Signing/TestData/sigv4 (copied to the
/// test output; see its NOTICE): each has the request, the signing context, and the expected canonical request, string
/// to sign, signature and signed request.
/// </summary>
public sealed class SigV4SuiteTests
{
    private const string MissingSuite = "<suite missing>";

    private static string SuiteDirectory => Path.Combine(AppContext.BaseDirectory, "Signing", "TestData", "sigv4");

    public static TheoryData<string> Cases()
    {
        var data = new TheoryData<string>();
        if (!Directory.Exists(SuiteDirectory))
        {
            // A row that fails, so a missing suite is a red test rather than a theory that silently runs nothing.
            data.Add(MissingSuite);
            return data;
        }

        foreach (var dir in Directory.GetDirectories(SuiteDirectory).Order(StringComparer.Ordinal))
        {
            if (File.Exists(Path.Combine(dir, "header-signature.txt")))
            {
                data.Add(Path.GetFileName(dir));
            }
        }

        return data;
    }

    [Fact]
    public void The_suite_is_present_with_all_its_header_signing_cases()
    {
        Assert.True(Directory.Exists(SuiteDirectory), $"The AWS SigV4 test suite was not found; looked in {SuiteDirectory}.");
        var cases = Cases().Count;
        Assert.True(cases >= 30, $"Expected the full AWS SigV4 suite (about 38 cases) in {SuiteDirectory}, found {cases}.");
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Signing_matches_the_canonical_request_string_to_sign_signature_and_signed_request(string name)
    {
        Assert.False(name == MissingSuite, $"The AWS SigV4 test suite was not found; looked in {SuiteDirectory}.");
        var dir = Path.Combine(SuiteDirectory, name);
        var context = SuiteContext.Load(Path.Combine(dir, "context.json"));
        var request = SuiteRequest.Parse(File.ReadAllBytes(Path.Combine(dir, "request.txt")));

        var signature = SigV4Signer.Sign(
            request.ToSignable(),
            context.Credentials,
            context.Region,
            context.Service,
            context.Timestamp,
            context.Options);

        Assert.Equal(Expected(dir, "header-canonical-request.txt"), signature.CanonicalRequest);
        Assert.Equal(Expected(dir, "header-string-to-sign.txt"), signature.StringToSign);
        Assert.Equal(Expected(dir, "header-signature.txt"), signature.Signature);
        Assert.Equal(Expected(dir, "header-signed-request.txt"), request.Render(signature.HeadersToAdd));
    }

    private static string Expected(string dir, string file) =>
        File.ReadAllText(Path.Combine(dir, file), Encoding.UTF8).Replace("\r\n", "\n", StringComparison.Ordinal);

    private sealed record SuiteContext(
        SigningCredentials Credentials, string Region, string Service, DateTimeOffset Timestamp, SigV4Options Options)
    {
        public static SuiteContext Load(string path)
        {
            using var json = JsonDocument.Parse(File.ReadAllBytes(path));
            var root = json.RootElement;
            var credentials = root.GetProperty("credentials");
            var token = credentials.TryGetProperty("token", out var t) ? t.GetString() : null;
            return new SuiteContext(
                new SigningCredentials(
                    credentials.GetProperty("access_key_id").GetString()!,
                    credentials.GetProperty("secret_access_key").GetString()!,
                    token),
                root.GetProperty("region").GetString()!,
                root.GetProperty("service").GetString()!,
                DateTimeOffset.Parse(root.GetProperty("timestamp").GetString()!, CultureInfo.InvariantCulture),
                new SigV4Options
                {
                    NormalizePath = root.GetProperty("normalize").GetBoolean(),
                    AddContentSha256Header = root.GetProperty("sign_body").GetBoolean(),
                    SignSessionToken = !(root.TryGetProperty("omit_session_token", out var omit) && omit.GetBoolean()),
                });
        }
    }

    /// <summary>The suite's raw HTTP/1.1 request, kept line for line so the signed request can be rebuilt exactly.</summary>
    private sealed record SuiteRequest(string RequestLine, string Method, string Target, List<string> HeaderLines, string Body)
    {
        public static SuiteRequest Parse(byte[] raw)
        {
            var text = Encoding.UTF8.GetString(raw).Replace("\r\n", "\n", StringComparison.Ordinal);
            var split = text.IndexOf("\n\n", StringComparison.Ordinal);
            var head = split < 0 ? text : text[..split];
            var body = split < 0 ? "" : text[(split + 2)..];
            var lines = head.TrimEnd('\n').Split('\n').ToList();
            var requestLine = lines[0];

            // The target may contain spaces ("/example space/"), so take what lies between the method and the version.
            var method = requestLine[..requestLine.IndexOf(' ', StringComparison.Ordinal)];
            var target = requestLine[(method.Length + 1)..requestLine.LastIndexOf(' ')];
            return new SuiteRequest(requestLine, method, target, lines.Skip(1).ToList(), body);
        }

        public SignableRequest ToSignable()
        {
            var headers = new List<KeyValuePair<string, string>>();
            foreach (var line in HeaderLines)
            {
                if (line.Length > 0 && char.IsWhiteSpace(line[0]) && headers.Count > 0)
                {
                    // Obsolete line folding: the continuation belongs to the previous header's value.
                    var last = headers[^1];
                    headers[^1] = new(last.Key, last.Value + "\n" + line);
                    continue;
                }

                var colon = line.IndexOf(':', StringComparison.Ordinal);
                headers.Add(new(line[..colon], line[(colon + 1)..]));
            }

            var question = Target.IndexOf('?', StringComparison.Ordinal);
            return new SignableRequest
            {
                Method = Method,
                Path = question < 0 ? Target : Target[..question],
                Query = question < 0 ? "" : Target[(question + 1)..],
                Headers = headers,
                Body = Encoding.UTF8.GetBytes(Body),
            };
        }

        public string Render(IEnumerable<KeyValuePair<string, string>> added) =>
            RequestLine + "\n"
            + string.Join("\n", HeaderLines.Concat(added.Select(h => $"{h.Key}:{h.Value}")))
            + "\n\n" + Body;
    }
}
