using Amazon.DynamoDBv2;
using Amazon.Runtime;

namespace JobsFunctions.TestSupport;

/// <summary>The real AWS SDK client pointed at the local DynamoDB-compatible server, with dummy credentials.</summary>
public static class LocalDynamo
{
    public static AmazonDynamoDBClient CreateClient(Uri endpoint, HttpClientFactory? httpClientFactory = null)
    {
        var config = new AmazonDynamoDBConfig
        {
            ServiceURL = endpoint.ToString(),
            AuthenticationRegion = "us-east-1",
            MaxErrorRetry = 0,
        };
        if (httpClientFactory is not null)
        {
            config.HttpClientFactory = httpClientFactory;
        }

        return new AmazonDynamoDBClient(new BasicAWSCredentials("testing", "testing"), config);
    }
}
