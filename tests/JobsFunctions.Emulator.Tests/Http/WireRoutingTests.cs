using JobsFunctions.Emulator.Http;
using JobsFunctions.Emulator.Model;
using Microsoft.AspNetCore.Http;

namespace JobsFunctions.Emulator.Tests.Http;

public sealed class WireRoutingTests
{
    [Theory]
    [InlineData("AWS4-HMAC-SHA256 Credential=AKID/20261123/us-west-2/iot-jobs-data/aws4_request, SignedHeaders=host, Signature=ab", "JobsData", "us-west-2")]
    [InlineData("AWS4-HMAC-SHA256 Credential=AKID/20261123/eu-west-1/iot/aws4_request, SignedHeaders=host, Signature=ab", "Control", "eu-west-1")]
    [InlineData("", "Control", null)]
    [InlineData("Bearer token", "Control", null)]
    public void Plane_and_region_are_the_service_and_region_of_the_SigV4_credential_scope_and_unsigned_requests_are_control_plane_in_no_region(
        string authorization, string plane, string? region)
    {
        var context = new DefaultHttpContext();
        context.Request.Path = "/things/t1/jobs";
        context.Request.Headers.Authorization = authorization;

        Assert.Equal(new SigningScope(Enum.Parse<Plane>(plane), region), WireRouting.ScopeOf(context.Request));
    }

    [Fact]
    public void A_presigned_query_names_the_plane_and_region_too_and_emulator_paths_are_the_emulators_own()
    {
        var presigned = new DefaultHttpContext();
        presigned.Request.Path = "/things/t1/jobs";
        presigned.Request.QueryString = new QueryString("?X-Amz-Credential=AKID%2F20261123%2Fap-southeast-2%2Fiot-jobs-data%2Faws4_request");
        var clock = new DefaultHttpContext();
        clock.Request.Path = "/_emulator/clock";
        var signedClock = new DefaultHttpContext();
        signedClock.Request.Path = "/_emulator/clock";
        signedClock.Request.Headers.Authorization = "AWS4-HMAC-SHA256 Credential=AKID/20261123/eu-west-1/iot/aws4_request, SignedHeaders=host, Signature=ab";

        Assert.Equal(new SigningScope(Plane.JobsData, "ap-southeast-2"), WireRouting.ScopeOf(presigned.Request));
        Assert.Equal(new SigningScope(Plane.Emulator, null), WireRouting.ScopeOf(clock.Request));
        Assert.Equal(new SigningScope(Plane.Emulator, "eu-west-1"), WireRouting.ScopeOf(signedClock.Request));
    }

    [Fact]
    public void Path_segments_are_decoded_once_so_an_encoded_next_is_next_and_a_thing_name_keeps_its_colons()
    {
        Assert.Equal(["things", "plant:7:pump-3", "jobs", "$next"], WireRouting.Segments("/things/plant%3A7%3Apump-3/jobs/%24next?x=1"));
    }

    [Theory]
    [InlineData(ErrorCodes.Throttling, "Control", 400)]
    [InlineData(ErrorCodes.Throttling, "JobsData", 429)]
    [InlineData(ErrorCodes.LimitExceeded, "Control", 410)]
    [InlineData(ErrorCodes.TerminalState, "JobsData", 410)]
    [InlineData(ErrorCodes.VersionConflict, "Control", 409)]
    [InlineData(ErrorCodes.InvalidStateTransition, "JobsData", 409)]
    [InlineData(ErrorCodes.ResourceNotFound, "JobsData", 404)]
    [InlineData(ErrorCodes.InvalidRequest, "Control", 400)]
    public void Each_error_code_has_the_HTTP_status_its_planes_model_gives_it(string code, string plane, int status) =>
        Assert.Equal(status, EmulatorHost.StatusOf(code, Enum.Parse<Plane>(plane)));

    [Fact]
    public void A_route_template_captures_its_labels_and_matches_nothing_of_another_shape()
    {
        var route = new WireRoute(Plane.Control, "DELETE", "/things/{thingName}/jobs/{jobId}/executionNumber/{executionNumber}", "DeleteJobExecution", _ => []);

        var labels = route.Match("DELETE", ["things", "t1", "jobs", "j1", "executionNumber", "2"]);

        Assert.Equal(("t1", "j1", "2"), (labels!["thingName"], labels["jobId"], labels["executionNumber"]));
        Assert.Null(route.Match("GET", ["things", "t1", "jobs", "j1", "executionNumber", "2"]));
        Assert.Null(route.Match("DELETE", ["things", "t1", "jobs", "j1"]));
    }
}
