using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Amazon.Runtime;

namespace JobsFunctions.Local.Stack;

/// <summary>
/// The records table on a local DynamoDB-compatible server, reached with dummy credentials in the stack's region
/// (us-east-1 unless a command chooses another: moto, like DynamoDB, keeps each region's tables apart).
/// </summary>
public static class LocalTables
{
    public const string Region = "us-east-1";
    public const string AccessKeyId = "local";
    public const string SecretAccessKey = "local";

    public static AmazonDynamoDBClient CreateClient(Uri endpoint, string region = Region)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentException.ThrowIfNullOrEmpty(region);
        var config = new AmazonDynamoDBConfig
        {
            ServiceURL = endpoint.ToString(),
            AuthenticationRegion = region,
            MaxErrorRetry = 1,
        };
        return new AmazonDynamoDBClient(new BasicAWSCredentials(AccessKeyId, SecretAccessKey), config);
    }

    /// <summary>
    /// The table to use: <paramref name="name"/> as it is when it exists, else created from the template under that
    /// name; a fresh name when none is given, so runs against a shared server never mix.
    /// </summary>
    /// <returns>The table's name and whether it was created now.</returns>
    public static async Task<(string Name, bool Created)> PrepareAsync(
        IAmazonDynamoDB dynamo, StackTemplate template, string? name, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dynamo);
        if (name is not null)
        {
            try
            {
                await dynamo.DescribeTableAsync(name, cancellationToken);
                return (name, false);
            }
            catch (ResourceNotFoundException)
            {
            }
        }

        var tableName = name ?? $"records-local-{Guid.NewGuid().ToString("N")[..8]}";
        try
        {
            return (await TemplateTable.CreateAsync(dynamo, template, tableName), true);
        }
        catch (AmazonServiceException e)
        {
            throw new LocalStackException($"Could not create the table {tableName}: {e.Message}", e);
        }
    }
}
