using Amazon.DynamoDBv2;

namespace JobsFunctions.Aws.Dynamo;

/// <summary>Builds the process's one DynamoDB client: region and credentials from the SDK's own chain, endpoint from the environment.</summary>
public static class DynamoClientFactory
{
    public static AmazonDynamoDBClient Create(Func<string, string?> getVariable)
    {
        var config = new AmazonDynamoDBConfig();
        if (AwsEnvironment.ConfiguredEndpoint(getVariable, "AWS_ENDPOINT_URL_DYNAMODB") is { } endpoint)
        {
            config.ServiceURL = endpoint.ToString();
            if (AwsEnvironment.Value(getVariable, "AWS_REGION") is { } region)
            {
                config.AuthenticationRegion = region;
            }
        }

        return new AmazonDynamoDBClient(config);
    }
}
