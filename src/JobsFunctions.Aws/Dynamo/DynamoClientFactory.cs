using Amazon.DynamoDBv2;

namespace JobsFunctions.Aws.Dynamo;

/// <summary>Builds the process's one DynamoDB client: region and credentials from the SDK's own chain, endpoint from the environment.</summary>
public static class DynamoClientFactory
{
    /// <summary>
    /// Retries of one request, unless <c>AWS_MAX_ATTEMPTS</c> says otherwise. The SDK's DynamoDB default is 10, with a
    /// backoff that grows to 20 seconds: one throttled call could then outlast a whole invocation (the recorder has 30
    /// seconds, the API 29). Three keep each call within a second or so; the recorder repeats a failed recording
    /// itself (<see cref="TransientRetry"/>), and the API's caller and the sweeper's next run do the same for theirs.
    /// </summary>
    public const int MaxErrorRetry = 3;

    public static AmazonDynamoDBClient Create(Func<string, string?> getVariable)
    {
        ArgumentNullException.ThrowIfNull(getVariable);
        var config = new AmazonDynamoDBConfig();
        if (AwsEnvironment.Value(getVariable, "AWS_MAX_ATTEMPTS") is null)
        {
            config.MaxErrorRetry = MaxErrorRetry;
        }

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
