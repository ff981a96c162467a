using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using YamlDotNet.RepresentationModel;

namespace JobsFunctions.Local.Stack;

/// <summary>
/// Creates tables from template.yaml's own <c>RecordsTable</c> definition, so the local stack and the integration
/// tests use exactly the key schema, indexes and TTL that a deploy creates — a change to the template is a change to
/// what runs locally and what is tested.
/// </summary>
public static class TemplateTable
{
    public const string LogicalId = "RecordsTable";

    public static Task<string> CreateAsync(IAmazonDynamoDB dynamo, string templatePath, string? name = null) =>
        CreateAsync(dynamo, StackTemplate.Load(templatePath), name);

    public static async Task<string> CreateAsync(IAmazonDynamoDB dynamo, StackTemplate template, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(dynamo);
        ArgumentNullException.ThrowIfNull(template);
        var tableName = name ?? $"records-{Guid.NewGuid():N}";
        var properties = template.ResourceProperties(LogicalId);
        var request = new CreateTableRequest
        {
            TableName = tableName,
            BillingMode = BillingMode.FindValue(Scalar(properties, "BillingMode")),
            AttributeDefinitions = Sequence(properties, "AttributeDefinitions")
                .Select(node => new AttributeDefinition(Scalar(node, "AttributeName"), ScalarAttributeType.FindValue(Scalar(node, "AttributeType"))))
                .ToList(),
            KeySchema = KeySchema(properties),
            GlobalSecondaryIndexes = Sequence(properties, "GlobalSecondaryIndexes")
                .Select(index => new GlobalSecondaryIndex
                {
                    IndexName = Scalar(index, "IndexName"),
                    KeySchema = KeySchema(index),
                    Projection = Projection((YamlMappingNode)index["Projection"]),
                })
                .ToList(),
        };
        await dynamo.CreateTableAsync(request);

        var ttl = (YamlMappingNode)properties["TimeToLiveSpecification"];
        await dynamo.UpdateTimeToLiveAsync(new UpdateTimeToLiveRequest
        {
            TableName = tableName,
            TimeToLiveSpecification = new TimeToLiveSpecification
            {
                AttributeName = Scalar(ttl, "AttributeName"),
                Enabled = bool.Parse(Scalar(ttl, "Enabled")),
            },
        });
        return tableName;
    }

    private static List<KeySchemaElement> KeySchema(YamlMappingNode owner) => Sequence(owner, "KeySchema")
        .Select(node => new KeySchemaElement(Scalar(node, "AttributeName"), KeyType.FindValue(Scalar(node, "KeyType"))))
        .ToList();

    private static Projection Projection(YamlMappingNode node)
    {
        var projection = new Projection { ProjectionType = ProjectionType.FindValue(Scalar(node, "ProjectionType")) };
        if (node.Children.TryGetValue(new YamlScalarNode("NonKeyAttributes"), out var attributes))
        {
            projection.NonKeyAttributes = ((YamlSequenceNode)attributes).Children.Select(item => ((YamlScalarNode)item).Value!).ToList();
        }

        return projection;
    }

    private static IEnumerable<YamlMappingNode> Sequence(YamlMappingNode owner, string key) =>
        ((YamlSequenceNode)owner[key]).Children.Cast<YamlMappingNode>();

    private static string Scalar(YamlMappingNode owner, string key) => ((YamlScalarNode)owner[key]).Value!;
}
