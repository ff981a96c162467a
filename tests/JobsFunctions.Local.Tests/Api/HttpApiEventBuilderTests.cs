using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using JobsFunctions.Local.Api;
using JobsFunctions.Local.Stack;
using JobsFunctions.TestSupport;

namespace JobsFunctions.Local.Tests.Api;

public sealed class HttpApiEventBuilderTests
{
    private static readonly RouteTable Routes = new(StackTemplate.Load(RepositoryPaths.Template).HttpApiRouteKeys());
    private static readonly DateTimeOffset ReceivedAt = new(2026, 11, 22, 19, 0, 0, TimeSpan.Zero);

    [Fact]
    public void The_event_names_the_route_and_carries_decoded_path_parameters_and_the_raw_path()
    {
        var built = Build("GET", "/things/plant%3A7/jobs/fw-2026-11/ledger");

        Assert.Equal("2.0", built.Version);
        Assert.Equal("GET /things/{thingName}/jobs/{jobId}/ledger", built.RouteKey);
        Assert.Equal("/things/plant%3A7/jobs/fw-2026-11/ledger", built.RawPath);
        Assert.Equal("plant:7", built.PathParameters!["thingName"]);
        Assert.Equal("fw-2026-11", built.PathParameters["jobId"]);
        Assert.Equal("/things/plant:7/jobs/fw-2026-11/ledger", built.RequestContext.Http.Path);
        Assert.Equal("GET /things/{thingName}/jobs/{jobId}/ledger", built.RequestContext.RouteKey);
    }

    [Fact]
    public void The_query_string_is_passed_raw_and_decoded_with_repeated_keys_joined_by_commas()
    {
        var built = Build("GET", "/jobs/fw-2026-11/executions?status=FAILED&nextToken=a%2Bb%3D&status=QUEUED&note=two+words&flag");

        Assert.Equal("status=FAILED&nextToken=a%2Bb%3D&status=QUEUED&note=two+words&flag", built.RawQueryString);
        Assert.Equal("FAILED,QUEUED", built.QueryStringParameters!["status"]);
        Assert.Equal("a+b=", built.QueryStringParameters["nextToken"]);
        Assert.Equal("two words", built.QueryStringParameters["note"]);
        Assert.Equal(string.Empty, built.QueryStringParameters["flag"]);
    }

    [Fact]
    public void Without_a_query_string_there_are_no_query_parameters()
    {
        var built = Build("GET", "/jobs/fw-2026-11");

        Assert.Equal(string.Empty, built.RawQueryString);
        Assert.Null(built.QueryStringParameters);
    }

    [Fact]
    public void Header_names_are_lower_cased_repeated_headers_joined_and_cookies_listed_apart()
    {
        var built = Build("GET", "/jobs/fw-2026-11", headers:
        [
            new("Host", "localhost:8080"),
            new("X-Jobs-Reason", "wave 2"),
            new("Accept", "application/json"),
            new("accept", "text/plain"),
            new("Cookie", "a=1; b=2"),
        ]);

        Assert.Equal("wave 2", built.Headers["x-jobs-reason"]);
        Assert.Equal("application/json,text/plain", built.Headers["accept"]);
        Assert.Equal("localhost:8080", built.Headers["host"]);
        Assert.All(built.Headers.Keys, name => Assert.Equal(name.ToLowerInvariant(), name));
        Assert.False(built.Headers.ContainsKey("cookie"));
        Assert.Equal(["a=1", "b=2"], built.Cookies!);
        Assert.Equal("localhost", built.RequestContext.DomainName);
        Assert.Equal("127.0.0.1", built.Headers["x-forwarded-for"]);
    }

    [Fact]
    public void A_utf8_body_is_passed_as_text()
    {
        var built = Build("PATCH", "/jobs/fw-2026-11", body: Encoding.UTF8.GetBytes("""{"description":"Größe ✓"}"""));

        Assert.Equal("""{"description":"Größe ✓"}""", built.Body);
        Assert.False(built.IsBase64Encoded);
    }

    [Fact]
    public void A_body_that_is_not_utf8_is_passed_as_base64()
    {
        byte[] bytes = [0x7B, 0xFF, 0xFE, 0x00, 0xC3];

        var built = Build("PATCH", "/jobs/fw-2026-11", body: bytes);

        Assert.True(built.IsBase64Encoded);
        Assert.Equal(bytes, Convert.FromBase64String(built.Body!));
    }

    [Fact]
    public void No_body_is_passed_as_null()
    {
        var built = Build("GET", "/jobs/fw-2026-11");

        Assert.Null(built.Body);
        Assert.False(built.IsBase64Encoded);
    }

    [Fact]
    public void The_caller_is_the_local_operator_as_an_AWS_IAM_authorizer_describes_it()
    {
        var built = Build("GET", "/jobs/fw-2026-11");

        var iam = built.RequestContext.Authorizer.Iam;
        Assert.Equal("arn:aws:iam::000000000000:user/local-operator", iam.UserArn);
        Assert.Equal("000000000000", iam.AccountId);
        Assert.Equal(iam.UserId, iam.CallerId);
        Assert.Equal("GET", built.RequestContext.Http.Method);
        Assert.Equal("127.0.0.1", built.RequestContext.Http.SourceIp);
        Assert.Equal("22/Nov/2026:19:00:00 +0000", built.RequestContext.Time);
        Assert.Equal(ReceivedAt.ToUnixTimeMilliseconds(), built.RequestContext.TimeEpoch);
        Assert.Equal("$default", built.RequestContext.Stage);
    }

    [Fact]
    public void The_serialized_event_has_every_field_of_a_sample_event_from_API_Gateway()
    {
        var sample = JsonNode.Parse(File.ReadAllText(Path.Combine(RepositoryPaths.Root, "events", "api-update-job.json")))!;
        var built = Build("PATCH", "/jobs/fw-2026-11?namespaceId=fleet-eu", [new("Content-Type", "application/json")], "{}"u8.ToArray());

        var json = JsonNode.Parse(JsonSerializer.Serialize(built, LocalJsonContext.Default.HttpApiEvent))!;

        var missing = Paths(sample).Except(Paths(json)).Where(path => !path.StartsWith("headers.", StringComparison.Ordinal)).ToList();
        Assert.Empty(missing);
    }

    private static HttpApiEvent Build(string method, string target, KeyValuePair<string, string>[]? headers = null, byte[]? body = null)
    {
        var request = new IncomingRequest(method, target, headers ?? [], body ?? [], "127.0.0.1", 8080);
        var route = Routes.Match(method, target.Split('?')[0]) ?? throw new InvalidOperationException($"No route for {target}");
        return HttpApiEventBuilder.Build(request, route, LocalCaller.Operator, "Jx8bqhWvIAMEb-w=", ReceivedAt);
    }

    private static IEnumerable<string> Paths(JsonNode node, string prefix = "") => node is JsonObject json
        ? json.SelectMany(pair => pair.Value is JsonObject ? Paths(pair.Value, $"{prefix}{pair.Key}.") : [$"{prefix}{pair.Key}"])
        : [];
}
