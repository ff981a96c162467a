using System.Net;
using System.Text;
using System.Text.Json;
using JobsFunctions.Local.Api;
using JobsFunctions.Local.Runtime;
using JobsFunctions.Local.Stack;
using JobsFunctions.TestSupport;

namespace JobsFunctions.Local.Tests.Stack;

/// <summary>The functions as the local stack configures them from template.yaml, recorder and operator API together.</summary>
public sealed class LocalDeploymentTests(MotoServer moto, PublishedBootstrap bootstrap) : IAsyncLifetime
{
    private LocalDeployment _stack = null!;

    public async ValueTask InitializeAsync() =>
        _stack = await LocalDeployment.StartAsync(
            new StackSettings(moto.Endpoint, null, bootstrap.Path, false, null), TextWriter.Null, TestContext.Current.CancellationToken);

    [Fact]
    public void Functions_take_their_handler_timeout_and_variables_from_the_template_and_reach_only_loopback()
    {
        var api = _stack.Function("api", TextWriter.Null);

        Assert.Equal("ApiFunction", api.Name);
        Assert.Equal("api", api.Handler);
        Assert.Equal(TimeSpan.FromSeconds(29), api.Timeout);
        Assert.Equal(_stack.TableName, api.Environment["TABLE_NAME"]);
        Assert.Equal("4", api.Environment["COUNTER_SHARDS"]);
        Assert.Equal(moto.Endpoint, new Uri(api.Environment["AWS_ENDPOINT_URL_DYNAMODB"]));
        foreach (var name in new[] { "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_IOT", "AWS_ENDPOINT_URL_IOT_JOBS_DATA_PLANE" })
        {
            Assert.True(new Uri(api.Environment[name]).IsLoopback, $"{name} = {api.Environment[name]}");
        }
    }

    [Fact]
    public async Task The_operator_api_serves_over_http_what_the_recorder_recorded_and_refuses_changes_without_iot()
    {
        await using (var recorder = await LocalFunction.StartAsync(_stack.Function("recorder", TextWriter.Null), null, true, TestContext.Current.CancellationToken))
        {
            var sample = await File.ReadAllBytesAsync(Path.Combine(RepositoryPaths.Root, "events", "job-execution-failed.json"), TestContext.Current.CancellationToken);
            Assert.Equal(InvocationOutcome.Response, (await recorder.InvokeAsync(sample, TestContext.Current.CancellationToken)).Outcome);
        }

        await using var api = await LocalFunction.StartAsync(_stack.Function("api", TextWriter.Null), null, false, TestContext.Current.CancellationToken);
        await using var host = LocalApiHost.Listen(MotoServer.FreeLoopbackPort());
        host.Serve(new RouteTable(_stack.Template.HttpApiRouteKeys()), api, LocalCaller.Operator, TextWriter.Null);
        using var http = new HttpClient { BaseAddress = host.BaseAddress };

        using var ledger = await http.GetAsync(new Uri("/things/plant%3A7%3Apump-3/jobs/fw-2026-11/ledger", UriKind.Relative), TestContext.Current.CancellationToken);
        using var content = new StringContent("""{"description":"wave 2"}""", Encoding.UTF8, "application/json");
        using var update = await http.PatchAsync(new Uri("/jobs/fw-2026-11", UriKind.Relative), content, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, ledger.StatusCode);
        using var body = JsonDocument.Parse(await ledger.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Equal("FAILED", body.RootElement.GetProperty("execution").GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.ServiceUnavailable, update.StatusCode);
    }

    public async ValueTask DisposeAsync() => await _stack.DisposeAsync();
}
