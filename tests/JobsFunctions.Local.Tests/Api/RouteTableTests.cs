using JobsFunctions.Local.Api;
using JobsFunctions.Local.Stack;
using JobsFunctions.TestSupport;

namespace JobsFunctions.Local.Tests.Api;

public sealed class RouteTableTests
{
    private static readonly RouteTable Operator = new(StackTemplate.Load(RepositoryPaths.Template).HttpApiRouteKeys());

    [Theory]
    [InlineData("PATCH", "/jobs/fw-2026-11", "PATCH /jobs/{jobId}", "jobId=fw-2026-11")]
    [InlineData("PUT", "/things/sensor-42/jobs/fw-2026-11/cancel", "PUT /things/{thingName}/jobs/{jobId}/cancel", "thingName=sensor-42;jobId=fw-2026-11")]
    [InlineData("POST", "/things/sensor-42/jobs/fw-2026-11", "POST /things/{thingName}/jobs/{jobId}", "thingName=sensor-42;jobId=fw-2026-11")]
    [InlineData("GET", "/jobs/fw-2026-11", "GET /jobs/{jobId}", "jobId=fw-2026-11")]
    [InlineData("GET", "/jobs/fw-2026-11/executions", "GET /jobs/{jobId}/executions", "jobId=fw-2026-11")]
    [InlineData("GET", "/things/sensor-42/jobs/fw-2026-11/ledger", "GET /things/{thingName}/jobs/{jobId}/ledger", "thingName=sensor-42;jobId=fw-2026-11")]
    [InlineData("GET", "/things/sensor-42/executions", "GET /things/{thingName}/executions", "thingName=sensor-42")]
    [InlineData("GET", "/jobs/fw-2026-11/audit", "GET /jobs/{jobId}/audit", "jobId=fw-2026-11")]
    [InlineData("PUT", "/jobs/fw-2026-11/policy", "PUT /jobs/{jobId}/policy", "jobId=fw-2026-11")]
    [InlineData("DELETE", "/jobs/fw-2026-11/policy", "DELETE /jobs/{jobId}/policy", "jobId=fw-2026-11")]
    [InlineData("POST", "/jobs/fw-2026-11/policy/preview", "POST /jobs/{jobId}/policy/preview", "jobId=fw-2026-11")]
    [InlineData("GET", "/policies", "GET /policies", "")]
    public void Each_operator_route_matches_its_path_and_names_its_parameters(string method, string path, string routeKey, string parameters)
    {
        var match = Operator.Match(method, path);

        Assert.NotNull(match);
        Assert.Equal(routeKey, match.RouteKey);
        Assert.Equal(parameters, string.Join(";", match.PathParameters.Select(pair => $"{pair.Key}={pair.Value}")));
    }

    [Theory]
    [InlineData("DELETE", "/jobs/fw-2026-11")]
    [InlineData("DELETE", "/jobs")]
    [InlineData("GET", "/jobs/")]
    [InlineData("GET", "/jobs/fw-2026-11/executions/extra")]
    [InlineData("POST", "/things/sensor-42/jobs/fw-2026-11/cancel")]
    [InlineData("GET", "/")]
    public void A_path_or_method_the_api_does_not_declare_matches_no_route(string method, string path) =>
        Assert.Null(Operator.Match(method, path));

    [Fact]
    public void Path_parameters_are_decoded_and_an_encoded_slash_stays_inside_its_parameter()
    {
        var match = Operator.Match("GET", "/things/plant%3A7%2Fpump-3/jobs/fw%202026/ledger");

        Assert.NotNull(match);
        Assert.Equal("plant:7/pump-3", match.PathParameters["thingName"]);
        Assert.Equal("fw 2026", match.PathParameters["jobId"]);
    }

    [Fact]
    public void Methods_match_whatever_their_case()
    {
        Assert.Equal("GET /jobs/{jobId}", Operator.Match("get", "/jobs/a")?.RouteKey);
    }

    [Fact]
    public void A_literal_segment_wins_over_a_parameter_and_a_named_method_over_ANY()
    {
        var routes = new RouteTable(["ANY /jobs/{jobId}", "GET /jobs/{jobId}", "GET /jobs/summary", "GET /files/{path+}"]);

        Assert.Equal("GET /jobs/summary", routes.Match("GET", "/jobs/summary")?.RouteKey);
        Assert.Equal("GET /jobs/{jobId}", routes.Match("GET", "/jobs/fw-1")?.RouteKey);
        Assert.Equal("ANY /jobs/{jobId}", routes.Match("DELETE", "/jobs/fw-1")?.RouteKey);
    }

    [Fact]
    public void A_greedy_parameter_takes_the_rest_of_the_path()
    {
        var match = new RouteTable(["GET /files/{path+}"]).Match("GET", "/files/a/b%20c/d");

        Assert.Equal("a/b c/d", match?.PathParameters["path"]);
    }

    [Theory]
    [InlineData("GET")]
    [InlineData("GET jobs/{jobId}")]
    [InlineData("GET /{rest+}/more")]
    public void A_malformed_route_key_is_refused_naming_it(string key)
    {
        var error = Assert.Throws<FormatException>(() => new RouteTable([key]));

        Assert.Contains(key, error.Message);
    }
}
