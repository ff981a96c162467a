using JobsFunctions.Local.Stack;

namespace JobsFunctions.Local.Tests.Stack;

public sealed class StackRegionTests
{
    [Theory]
    [InlineData("eu-west-1", "us-east-2", "eu-west-1")]
    [InlineData(null, "us-east-2", "us-east-2")]
    [InlineData("", " ap-south-1 ", "ap-south-1")]
    [InlineData(null, null, "us-west-2")]
    [InlineData(" ", "", "us-west-2")]
    public void The_region_is_AWS_REGION_then_AWS_DEFAULT_REGION_then_the_reference_examples_region(string? awsRegion, string? awsDefaultRegion, string expected)
    {
        var environment = new Dictionary<string, string?> { ["AWS_REGION"] = awsRegion, ["AWS_DEFAULT_REGION"] = awsDefaultRegion };

        Assert.Equal(expected, StackRegion.FromEnvironment(name => environment.GetValueOrDefault(name)));
    }

    [Theory]
    [InlineData("us-west-2", true)]
    [InlineData("eu-central-1", true)]
    [InlineData("us-gov-west-1", true)]
    [InlineData("US-WEST-2", false)]
    [InlineData("us-west", false)]
    [InlineData("us-west-2/../x", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    public void Only_names_shaped_like_AWS_regions_are_accepted(string? region, bool valid) =>
        Assert.Equal(valid, StackRegion.IsValid(region));
}
