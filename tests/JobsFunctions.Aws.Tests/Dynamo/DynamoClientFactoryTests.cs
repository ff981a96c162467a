using JobsFunctions.Aws.Dynamo;

namespace JobsFunctions.Aws.Tests.Dynamo;

public sealed class DynamoClientFactoryTests
{
    [Fact]
    public void A_call_is_retried_three_times_and_goes_to_the_configured_endpoint()
    {
        var variables = new Dictionary<string, string>
        {
            ["AWS_ENDPOINT_URL_DYNAMODB"] = "http://127.0.0.1:4566",
            ["AWS_REGION"] = "eu-west-1",
            ["AWS_ACCESS_KEY_ID"] = "AKIDEXAMPLE",
            ["AWS_SECRET_ACCESS_KEY"] = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
        };

        using var client = DynamoClientFactory.Create(variables.GetValueOrDefault);

        Assert.Equal(3, client.Config.MaxErrorRetry);
        Assert.Equal("http://127.0.0.1:4566/", client.Config.ServiceURL);
        Assert.Equal("eu-west-1", client.Config.AuthenticationRegion);
    }
}
