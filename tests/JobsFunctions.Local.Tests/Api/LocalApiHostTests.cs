using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using JobsFunctions.Local.Api;
using JobsFunctions.Local.Runtime;
using JobsFunctions.Local.Stack;
using JobsFunctions.TestSupport;

namespace JobsFunctions.Local.Tests.Api;

/// <summary>The local API over real loopback HTTP, with a function that answers from the event it was given.</summary>
public sealed class LocalApiHostTests : IAsyncDisposable
{
    private readonly LocalApiHost _host = LocalApiHost.Listen(MotoServer.FreeLoopbackPort());
    private readonly ScriptedFunction _function = new();
    private readonly HttpClient _http = new();

    public LocalApiHostTests() =>
        _host.Serve(new RouteTable(StackTemplate.Load(RepositoryPaths.Template).HttpApiRouteKeys()), _function, LocalCaller.Operator, TextWriter.Null);

    [Fact]
    public async Task A_request_reaches_the_function_as_an_event_and_its_response_reaches_the_client()
    {
        _function.Answer = incoming => Respond(201, $$"""{"jobId":"{{incoming.GetProperty("pathParameters").GetProperty("jobId").GetString()}}"}""", ("x-custom", "yes"));

        using var response = await _http.GetAsync(new Uri(_host.BaseAddress, "/jobs/fw%2D2026?limit=5"), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("""{"jobId":"fw-2026"}""", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Equal("yes", response.Headers.GetValues("x-custom").Single());
        Assert.True(response.Headers.Contains("apigw-requestid"));
        var seen = Assert.Single(_function.Events);
        Assert.Equal("GET /jobs/{jobId}", seen.GetProperty("routeKey").GetString());
        Assert.Equal("limit=5", seen.GetProperty("rawQueryString").GetString());
        Assert.Equal("arn:aws:iam::000000000000:user/local-operator",
            seen.GetProperty("requestContext").GetProperty("authorizer").GetProperty("iam").GetProperty("userArn").GetString());
    }

    [Fact]
    public async Task A_request_body_reaches_the_function()
    {
        _function.Answer = incoming => Respond(200, incoming.GetProperty("body").GetString()!);

        using var content = new StringContent("""{"description":"wave 2"}""", Encoding.UTF8, "application/json");
        using var response = await _http.PatchAsync(new Uri(_host.BaseAddress, "/jobs/fw-2026-11"), content, TestContext.Current.CancellationToken);

        Assert.Equal("""{"description":"wave 2"}""", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Equal("application/json; charset=utf-8", Assert.Single(_function.Events).GetProperty("headers").GetProperty("content-type").GetString());
    }

    [Fact]
    public async Task A_path_with_no_route_answers_404_without_invoking_the_function()
    {
        using var response = await _http.DeleteAsync(new Uri(_host.BaseAddress, "/jobs/fw-2026-11"), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("""{"message":"Not Found"}""", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Empty(_function.Events);
    }

    [Fact]
    public async Task A_failed_invocation_answers_500_as_API_Gateway_does()
    {
        _function.Fail = true;

        using var response = await _http.GetAsync(new Uri(_host.BaseAddress, "/jobs/fw-2026-11"), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal("""{"message":"Internal Server Error"}""", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task The_api_answers_on_localhost_as_well()
    {
        _function.Answer = _ => Respond(200, "{}");

        using var response = await _http.GetAsync(new Uri($"http://localhost:{_host.Port}/jobs/a"), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public void A_port_in_use_is_reported_naming_the_port_and_the_option()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port;

        var error = Assert.Throws<LocalStackException>(() => LocalApiHost.Listen(port));

        Assert.Contains($"127.0.0.1:{port}", error.Message);
        Assert.Contains("--port", error.Message);
    }

    [Fact]
    public async Task A_stopped_host_frees_its_port_for_the_next_one_at_once()
    {
        var port = _host.Port;

        await _host.DisposeAsync();
        await using var again = LocalApiHost.Listen(port);

        Assert.Equal(port, again.Port);
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await _host.DisposeAsync();
    }

    private static byte[] Respond(int status, string body, params (string Name, string Value)[] headers)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteNumber("statusCode", status);
            json.WriteStartObject("headers");
            foreach (var (name, value) in headers)
            {
                json.WriteString(name, value);
            }

            json.WriteEndObject();
            json.WriteString("body", body);
            json.WriteEndObject();
        }

        return buffer.ToArray();
    }

    private sealed class ScriptedFunction : IFunctionInvoker
    {
        public Func<JsonElement, byte[]> Answer { get; set; } = _ => [];

        public bool Fail { get; set; }

        public List<JsonElement> Events { get; } = [];

        public Task<InvocationResult> InvokeAsync(byte[] payload, CancellationToken cancellationToken)
        {
            var incoming = JsonDocument.Parse(payload).RootElement.Clone();
            Events.Add(incoming);
            return Task.FromResult(Fail
                ? new InvocationResult("r-1", InvocationOutcome.Error, """{"errorType":"Boom","errorMessage":"failed"}"""u8.ToArray(), TimeSpan.Zero, null, null)
                : new InvocationResult("r-1", InvocationOutcome.Response, Answer(incoming), TimeSpan.Zero, null, null));
        }
    }
}
