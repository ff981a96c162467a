using JobsFunctions.Domain.Operations;

namespace JobsFunctions.Domain.Tests.Operations;

public sealed class RequestParametersTests
{
    [Fact]
    public void Parameters_are_flattened_to_the_same_field_paths_validation_speaks_of()
    {
        var parameters = RequestParameters.Of(new UpdateJob("fw", AbortConfig: new AbortConfig([new AbortCriteria("ALL", "CANCEL", 12.50m, 3)])));

        Assert.Equal("12.5", parameters["abortConfig.criteriaList[0].thresholdPercentage"]);
        Assert.Equal("ALL", parameters["abortConfig.criteriaList[0].failureType"]);
        Assert.Equal("fw", parameters["jobId"]);
        Assert.False(parameters.ContainsKey("description"));
    }

    [Fact]
    public void Status_details_are_kept_one_parameter_per_key()
    {
        var parameters = RequestParameters.Of(new UpdateJobExecution("fw", "t1", "FAILED", new Dictionary<string, string> { ["reason"] = "disk full" }, ExpectedVersion: 2));

        Assert.Equal("disk full", parameters["statusDetails.reason"]);
        Assert.Equal("2", parameters["expectedVersion"]);
    }

    [Fact]
    public void The_same_number_spelled_with_trailing_zeros_has_the_same_fingerprint()
    {
        var a = RequestParameters.Of(new UpdateJob("fw", AbortConfig: new AbortConfig([new AbortCriteria("ALL", "CANCEL", 1.5m, 3)])));
        var b = RequestParameters.Of(new UpdateJob("fw", AbortConfig: new AbortConfig([new AbortCriteria("ALL", "CANCEL", 1.50m, 3)])));

        Assert.Equal(RequestParameters.Fingerprint("UpdateJob", a), RequestParameters.Fingerprint("UpdateJob", b));
    }

    [Fact]
    public void Different_requests_have_different_fingerprints()
    {
        var cancel = RequestParameters.Of(new CancelJobExecution("fw", "t1"));
        var forced = RequestParameters.Of(new CancelJobExecution("fw", "t1", Force: true));

        Assert.NotEqual(RequestParameters.Fingerprint("CancelJobExecution", cancel), RequestParameters.Fingerprint("CancelJobExecution", forced));
        Assert.NotEqual(RequestParameters.Fingerprint("CancelJobExecution", cancel), RequestParameters.Fingerprint("UpdateJobExecution", cancel));
    }

    [Fact]
    public void Values_cannot_run_together_into_another_request()
    {
        var one = new Dictionary<string, string> { ["a"] = "bc" };
        var other = new Dictionary<string, string> { ["ab"] = "c" };

        Assert.NotEqual(RequestParameters.Fingerprint("op", one), RequestParameters.Fingerprint("op", other));
    }
}
