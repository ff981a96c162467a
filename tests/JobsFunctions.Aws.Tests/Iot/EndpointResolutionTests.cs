using System.Net;
using JobsFunctions.Aws.Iot;
using JobsFunctions.Aws.Iot.JobsData;
using JobsFunctions.Aws.Signing;
using JobsFunctions.Aws.Tests.Support;

namespace JobsFunctions.Aws.Tests.Iot;

public sealed class EndpointResolutionTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static IotClientOptions FromEnvironment(params (string Name, string Value)[] variables)
    {
        var map = variables.ToDictionary(v => v.Name, v => v.Value, StringComparer.Ordinal);
        return IotClientOptions.FromEnvironment(name => map.TryGetValue(name, out var value) ? value : null);
    }

    [Fact]
    public void With_only_a_region_the_control_plane_is_the_regional_endpoint_and_the_data_plane_is_discovered()
    {
        var options = FromEnvironment(("AWS_REGION", "eu-central-1"));

        Assert.Equal("eu-central-1", options.Region);
        Assert.Equal(new Uri("https://iot.eu-central-1.amazonaws.com"), options.ControlPlaneEndpoint);
        Assert.Null(options.JobsDataEndpoint);
    }

    [Fact]
    public void The_service_specific_endpoint_variable_wins_over_the_global_one()
    {
        var options = FromEnvironment(
            ("AWS_REGION", "us-east-1"),
            ("AWS_ENDPOINT_URL", "http://127.0.0.1:4566"),
            ("AWS_ENDPOINT_URL_IOT", "http://127.0.0.1:5000"));

        Assert.Equal(new Uri("http://127.0.0.1:5000"), options.ControlPlaneEndpoint);
        Assert.Equal(new Uri("http://127.0.0.1:4566"), options.JobsDataEndpoint);
    }

    [Fact]
    public void The_jobs_data_plane_has_its_own_endpoint_variable()
    {
        var options = FromEnvironment(
            ("AWS_REGION", "us-east-1"),
            ("AWS_ENDPOINT_URL", "http://127.0.0.1:4566"),
            ("AWS_ENDPOINT_URL_IOT_JOBS_DATA_PLANE", "http://127.0.0.1:6000"));

        Assert.Equal(new Uri("http://127.0.0.1:4566"), options.ControlPlaneEndpoint);
        Assert.Equal(new Uri("http://127.0.0.1:6000"), options.JobsDataEndpoint);
    }

    [Fact]
    public void Configured_endpoints_are_ignored_when_the_sdk_switch_says_so()
    {
        var options = FromEnvironment(
            ("AWS_REGION", "us-east-1"),
            ("AWS_ENDPOINT_URL", "http://127.0.0.1:4566"),
            ("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "true"));

        Assert.Equal(new Uri("https://iot.us-east-1.amazonaws.com"), options.ControlPlaneEndpoint);
        Assert.Null(options.JobsDataEndpoint);
    }

    [Fact]
    public void A_missing_region_fails_with_the_variable_name()
    {
        var error = Assert.Throws<InvalidOperationException>(() => FromEnvironment());

        Assert.Contains("AWS_REGION", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unusable_endpoint_fails_with_the_variable_name()
    {
        var error = Assert.Throws<InvalidOperationException>(
            () => FromEnvironment(("AWS_REGION", "us-east-1"), ("AWS_ENDPOINT_URL_IOT", "iot.local:5000")));

        Assert.Contains("AWS_ENDPOINT_URL_IOT", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_region_that_could_change_the_host_name_is_refused()
    {
        Assert.Throws<InvalidOperationException>(() => FromEnvironment(("AWS_REGION", "evil.com/")));
    }

    [Fact]
    public async Task Without_a_configured_endpoint_the_data_plane_uses_the_account_endpoint_from_DescribeEndpoint_once()
    {
        var handler = new ScriptedHandler();
        handler.Then(HttpStatusCode.OK, """{"endpointAddress":"a1b2c3.jobs.iot.eu-west-1.amazonaws.com"}""");
        handler.Otherwise = _ => ScriptedHandler.Response(HttpStatusCode.OK, """{"execution":{"jobId":"j1","status":"QUEUED"}}""");
        using var clients = Discovering(handler);

        await clients.JobsData.DescribeJobExecutionAsync(new DescribeJobExecutionRequest { ThingName = "t1", JobId = "j1" }, Token);
        await clients.JobsData.DescribeJobExecutionAsync(new DescribeJobExecutionRequest { ThingName = "t1", JobId = "j1" }, Token);

        Assert.Equal(3, handler.Requests.Count);
        Assert.Equal("https://iot.eu-west-1.amazonaws.com/endpoint?endpointType=iot%3AJobs", handler.Requests[0].Uri.AbsoluteUri);
        Assert.Contains("/iot/aws4_request", handler.Requests[0].Header("Authorization"), StringComparison.Ordinal);
        Assert.All(handler.Requests.Skip(1), r =>
        {
            Assert.Equal("a1b2c3.jobs.iot.eu-west-1.amazonaws.com", r.Uri.Host);
            Assert.Contains("/iot-jobs-data/aws4_request", r.Header("Authorization"), StringComparison.Ordinal);
        });
    }

    [Fact]
    public async Task A_refused_DescribeEndpoint_falls_back_to_the_regional_data_endpoint_and_is_not_asked_again()
    {
        var handler = new ScriptedHandler();
        handler.Then(HttpStatusCode.Unauthorized, """{"message":"not allowed"}""", ("x-amzn-ErrorType", "UnauthorizedException"));
        handler.Otherwise = _ => ScriptedHandler.Response(HttpStatusCode.OK, "{}");
        using var clients = Discovering(handler);

        Assert.Equal(new Uri("https://data.jobs.iot.eu-west-1.amazonaws.com"), await clients.JobsDataEndpoint.ResolveAsync(Token));
        Assert.Equal(new Uri("https://data.jobs.iot.eu-west-1.amazonaws.com"), await clients.JobsDataEndpoint.ResolveAsync(Token));

        Assert.Single(handler.Requests);
    }

    [Fact]
    public async Task A_DescribeEndpoint_outage_falls_back_for_now_and_asks_again_next_time()
    {
        var handler = new ScriptedHandler();
        handler.Then(HttpStatusCode.ServiceUnavailable, """{"message":"down"}""")
            .Then(HttpStatusCode.OK, """{"endpointAddress":"a1b2c3.jobs.iot.eu-west-1.amazonaws.com"}""");
        using var clients = Discovering(handler, new RetryOptions { MaxAttempts = 1 });

        Assert.Equal(new Uri("https://data.jobs.iot.eu-west-1.amazonaws.com"), await clients.JobsDataEndpoint.ResolveAsync(Token));
        Assert.Equal(new Uri("https://a1b2c3.jobs.iot.eu-west-1.amazonaws.com"), await clients.JobsDataEndpoint.ResolveAsync(Token));
        Assert.Equal(new Uri("https://a1b2c3.jobs.iot.eu-west-1.amazonaws.com"), await clients.JobsDataEndpoint.ResolveAsync(Token));

        Assert.Equal(2, handler.Requests.Count);
    }

    [Theory]
    [InlineData("http://127.0.0.1:8090", "127.0.0.1:8090", "http://127.0.0.1:8090/")]
    [InlineData("http://localhost:8090", "127.0.0.1", "http://127.0.0.1:8090/")]
    [InlineData("http://127.0.0.1:8090", "[::1]:9000", "http://[::1]:9000/")]
    [InlineData("https://127.0.0.1:8443", "127.0.0.1:8443", "https://127.0.0.1:8443/")]
    [InlineData("http://127.0.0.1:8090", "a1b2c3.jobs.iot.us-west-2.amazonaws.com", "https://a1b2c3.jobs.iot.us-west-2.amazonaws.com/")]
    public async Task A_loopback_DescribeEndpoint_answer_is_reached_with_the_control_plane_scheme_and_any_other_with_https(
        string controlPlane, string answer, string expected)
    {
        var handler = new ScriptedHandler();
        handler.Then(HttpStatusCode.OK, $$"""{"endpointAddress":"{{answer}}"}""");
        var options = TestClients.Options() with { ControlPlaneEndpoint = new Uri(controlPlane), JobsDataEndpoint = null };
        using var clients = new IotClients(options, new StaticCredentialsSource(TestClients.Credentials), handler);

        Assert.Equal(new Uri(expected), await clients.JobsDataEndpoint.ResolveAsync(Token));
        Assert.Equal(controlPlane + "/endpoint?endpointType=iot%3AJobs", Assert.Single(handler.Requests).Uri.AbsoluteUri);
    }

    [Fact]
    public async Task A_configured_data_endpoint_is_used_without_asking_DescribeEndpoint()
    {
        var handler = new ScriptedHandler { Otherwise = _ => ScriptedHandler.Response(HttpStatusCode.OK, "{}") };
        var options = TestClients.Options(dataEndpoint: new Uri("http://127.0.0.1:6000"));
        using var clients = new IotClients(options, new StaticCredentialsSource(TestClients.Credentials), handler);

        await clients.JobsData.UpdateJobExecutionAsync(new UpdateJobExecutionRequest { ThingName = "t1", JobId = "j1", Status = "SUCCEEDED" }, Token);

        var request = Assert.Single(handler.Requests);
        Assert.Equal("http://127.0.0.1:6000/things/t1/jobs/j1", request.Uri.AbsoluteUri);
    }

    private static IotClients Discovering(ScriptedHandler handler, RetryOptions? retry = null)
    {
        var options = TestClients.Options(retry) with { JobsDataEndpoint = null };
        return new IotClients(options, new StaticCredentialsSource(TestClients.Credentials), handler);
    }
}
