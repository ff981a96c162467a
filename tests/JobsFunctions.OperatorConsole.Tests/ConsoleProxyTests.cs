using System.Net;
using JobsFunctions.Aws.Signing;

namespace JobsFunctions.OperatorConsole.Tests;

/// <summary>
/// The console relays the page's calls to the operator API: signed here for execute-api in the API's region, with
/// none of the browser's own credentials, and only for its own page on loopback.
/// </summary>
public sealed class ConsoleProxyTests
{
    private static readonly SigningCredentials Operator = new("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "session-token-of-the-operator");

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_call_is_signed_for_execute_api_in_the_API_s_region_and_the_browser_s_Authorization_and_cookies_are_dropped()
    {
        await using var api = await RecordingApi.StartAsync();
        await using var console = await ConsoleHost.StartAsync(Signed(api.Url, "eu-west-1"), IPAddress.Loopback, 0, Cancel);
        using var browser = new HttpClient { BaseAddress = console.BaseAddress };
        using var request = new HttpRequestMessage(HttpMethod.Put, "api/jobs/fw-1/policy") { Content = new StringContent("""{"dryRun":true}""") };
        request.Headers.TryAddWithoutValidation("x-jobs-console", "1");
        request.Headers.TryAddWithoutValidation("Authorization", "AWS4-HMAC-SHA256 Credential=AKIDSTOLEN/20260101/us-east-1/execute-api/aws4_request, SignedHeaders=host, Signature=00");
        request.Headers.TryAddWithoutValidation("Cookie", "session=abc");
        request.Headers.TryAddWithoutValidation("X-Amz-Security-Token", "browser-token");
        request.Headers.TryAddWithoutValidation("If-Match", "\"3\"");
        request.Headers.TryAddWithoutValidation("x-jobs-reason", "tighten the abort");
        request.Content.Headers.ContentType = new("application/json");

        using var answer = await browser.SendAsync(request, Cancel);

        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.Equal("\"7\"", answer.Headers.ETag?.ToString());
        var (method, pathAndQuery, headers) = Assert.Single(api.Requests);
        Assert.Equal(("PUT", "/jobs/fw-1/policy"), (method, pathAndQuery));
        Assert.StartsWith($"AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/{DateTime.UtcNow:yyyyMMdd}/eu-west-1/execute-api/aws4_request, ", headers["authorization"]);
        Assert.Equal("session-token-of-the-operator", headers["x-amz-security-token"]);
        Assert.False(headers.ContainsKey("cookie"));
        Assert.Equal(("\"3\"", "tighten the abort"), (headers["if-match"], headers["x-jobs-reason"]));
        Assert.DoesNotContain("x-jobs-console", headers.Keys);
    }

    [Fact]
    public async Task The_signature_is_the_one_SigV4_gives_for_the_request_as_the_API_receives_it()
    {
        using var http = new HttpClient();
        var proxy = new OperatorApiProxy(http, Signed(new Uri("https://abc123.execute-api.ap-southeast-2.amazonaws.com/"), "ap-southeast-2"), TimeProvider.System);

        using var message = await proxy.BuildAsync(
            new ProxyCall("GET", "/jobs", [new("status", "IN_PROGRESS"), new("nextToken", "a b/c")], new Dictionary<string, string>(), []), Cancel);

        Assert.Equal("https://abc123.execute-api.ap-southeast-2.amazonaws.com/jobs?status=IN_PROGRESS&nextToken=a%20b%2Fc", message.RequestUri!.AbsoluteUri);
        var sent = message.Headers.NonValidated["Authorization"].ToString();
        var date = DateTimeOffset.ParseExact(message.Headers.GetValues("X-Amz-Date").Single(), "yyyyMMdd'T'HHmmss'Z'", System.Globalization.CultureInfo.InvariantCulture,
            System.Globalization.DateTimeStyles.AssumeUniversal);
        using var again = new HttpRequestMessage(HttpMethod.Get, message.RequestUri);
        Assert.Equal(SigV4Signer.Sign(again, ReadOnlyMemory<byte>.Empty, Operator, "ap-southeast-2", "execute-api", date).Authorization, sent);
    }

    [Fact]
    public void The_region_comes_from_an_execute_api_URL_and_a_local_http_API_is_called_unsigned()
    {
        var deployed = ApiTarget.Resolve(new ConsoleSettings(new Uri("https://abc123.execute-api.eu-central-1.amazonaws.com")));
        var local = ApiTarget.Resolve(new ConsoleSettings(new Uri("http://127.0.0.1:8080")));

        Assert.Equal(("eu-central-1", true), (deployed.Region, deployed.Signed));
        Assert.Equal(("eu-west-3", true), (ApiTarget.Resolve(new ConsoleSettings(new Uri("https://ops.example.com/"), Region: "eu-west-3")) is var custom ? custom.Region : null, custom.Signed));
        Assert.False(local.Signed);
        Assert.Equal(new Uri("http://127.0.0.1:8080/"), local.BaseAddress);
    }

    [Theory]
    [InlineData("0.0.0.0")]
    [InlineData("192.168.1.10")]
    [InlineData("::")]
    public async Task The_console_refuses_to_listen_on_anything_but_loopback(string address)
    {
        var refused = await Assert.ThrowsAsync<ArgumentException>(() =>
            ConsoleHost.StartAsync(new ConsoleSettings(new Uri("http://127.0.0.1:8080"), Port: 0), Cancel, IPAddress.Parse(address)));

        Assert.Contains("loopback only", refused.Message);
    }

    [Theory]
    [InlineData(null, null, "console.crossSite")]
    [InlineData("1", "https://evil.example", "console.crossSite")]
    [InlineData("1", null, null)]
    public async Task Only_the_console_s_own_page_can_call_through_it(string? pageHeader, string? origin, string? refusal)
    {
        await using var api = await RecordingApi.StartAsync();
        await using var console = await ConsoleHost.StartAsync(Signed(api.Url, "eu-west-1"), IPAddress.Loopback, 0, Cancel);
        using var browser = new HttpClient { BaseAddress = console.BaseAddress };
        using var request = new HttpRequestMessage(HttpMethod.Get, "api/jobs");
        request.Headers.TryAddWithoutValidation("x-jobs-console", pageHeader);
        request.Headers.TryAddWithoutValidation("Origin", origin);

        using var answer = await browser.SendAsync(request, Cancel);

        var body = await answer.Content.ReadAsStringAsync(Cancel);
        if (refusal is null)
        {
            Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
            Assert.Single(api.Requests);
        }
        else
        {
            Assert.Equal(HttpStatusCode.Forbidden, answer.StatusCode);
            Assert.Contains(refusal, body);
            Assert.Empty(api.Requests);
        }
    }

    [Fact]
    public async Task A_request_by_another_host_name_is_refused_so_a_rebound_DNS_name_cannot_reach_it()
    {
        await using var api = await RecordingApi.StartAsync();
        await using var console = await ConsoleHost.StartAsync(Signed(api.Url, "eu-west-1"), IPAddress.Loopback, 0, Cancel);
        using var browser = new HttpClient { BaseAddress = console.BaseAddress };
        using var request = new HttpRequestMessage(HttpMethod.Get, "api/jobs");
        request.Headers.Host = $"attacker.example:{console.BaseAddress.Port}";
        request.Headers.TryAddWithoutValidation("x-jobs-console", "1");

        using var answer = await browser.SendAsync(request, Cancel);

        Assert.Equal(HttpStatusCode.MisdirectedRequest, answer.StatusCode);
        Assert.Empty(api.Requests);
    }

    [Theory]
    [InlineData("GET", "/jobs", true)]
    [InlineData("GET", "/jobs/fw-1/iot", true)]
    [InlineData("PUT", "/things/thing:1/jobs/fw-1/cancel", true)]
    [InlineData("POST", "/jobs/fw-1/policy/preview", true)]
    [InlineData("DELETE", "/jobs/fw-1", false)]
    [InlineData("POST", "/_emulator/clock", false)]
    [InlineData("GET", "/jobs/../policies", false)]
    [InlineData("GET", "//evil.example/jobs", false)]
    [InlineData("GET", "/jobs/fw-1/executions/extra", false)]
    public void Only_the_operator_API_s_own_routes_are_relayed(string method, string path, bool relayed) =>
        Assert.Equal(relayed, OperatorApiProxy.IsOperatorRoute(method, path));

    [Fact]
    public async Task The_page_and_its_scripts_come_from_the_console_itself()
    {
        await using var console = await ConsoleHost.StartAsync(new ApiTarget(new Uri("http://127.0.0.1:9/"), null, null, null), IPAddress.Loopback, 0, Cancel);
        using var browser = new HttpClient { BaseAddress = console.BaseAddress };

        using var page = await browser.GetAsync(new Uri("/", UriKind.Relative), Cancel);
        var html = await page.Content.ReadAsStringAsync(Cancel);

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("default-src 'none'; script-src 'self'", page.Headers.GetValues("Content-Security-Policy").Single());
        Assert.DoesNotContain("http", html.Replace("http-equiv", "", StringComparison.Ordinal), StringComparison.Ordinal);
        foreach (var script in new[] { "/app.js", "/lib.js", "/jobs.js", "/job.js", "/policy.js", "/executions.js", "/charts.js", "/writes.js", "/update-job.js", "/app.css" })
        {
            using var asset = await browser.GetAsync(new Uri(script, UriKind.Relative), Cancel);
            Assert.True(asset.IsSuccessStatusCode, script);
            var text = await asset.Content.ReadAsStringAsync(Cancel);
            Assert.DoesNotMatch(@"(from\s*[""']|import\(\s*[""']|url\(\s*[""']?|fetch\(\s*[""'`])(https?:)?//", text);
        }
    }

    private static ApiTarget Signed(Uri api, string region) => new(api, region, new StaticCredentialsSource(Operator), null);
}
