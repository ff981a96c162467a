using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using YamlDotNet.RepresentationModel;

namespace JobsFunctions.TestSupport;

/// <summary>
/// Creates tables from template.yaml's own <c>RecordsTable</c> definition, so integration tests exercise exactly the
/// key schema, indexes and TTL that a deploy creates — a change to the template is a change to what is tested.
/// </summary>
public static class TemplateTable
{
    public const string LogicalId = "RecordsTable";

    public static YamlMappingNode Properties()
    {
        var yaml = new YamlStream();
        using (var reader = File.OpenText(RepositoryPaths.Template))
        {
            yaml.Load(reader);
        }

        var root = (YamlMappingNode)yaml.Documents[0].RootNode;
        var resources = (YamlMappingNode)root["Resources"];
        var table = (YamlMappingNode)resources[LogicalId];
        return (YamlMappingNode)table["Properties"];
    }

    public static async Task<string> CreateAsync(IAmazonDynamoDB dynamo, string? name = null)
    {
        var tableName = name ?? $"records-{Guid.NewGuid():N}";
        var properties = Properties();
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
