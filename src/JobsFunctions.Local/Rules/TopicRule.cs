using System.Text.RegularExpressions;
using JobsFunctions.Local.Stack;
using YamlDotNet.RepresentationModel;

namespace JobsFunctions.Local.Rules;

/// <summary>
/// One <c>AWS::IoT::TopicRule</c> of the template as the local stack plays it: the messages its SQL selects and the
/// function its Lambda action invokes.
/// </summary>
/// <param name="Name">The rule's logical id.</param>
/// <param name="Filter">The topic filter of the SQL's <c>FROM</c> clause.</param>
/// <param name="SqlVersion">The rule's <c>AwsIotSqlVersion</c>.</param>
/// <param name="FunctionLogicalId">The function the Lambda action's <c>FunctionArn</c> names.</param>
public sealed partial record TopicRule(string Name, TopicFilter Filter, string SqlVersion, string FunctionLogicalId)
{
    public const string ResourceType = "AWS::IoT::TopicRule";

    // The SQL versions AWS IoT documents (https://docs.aws.amazon.com/iot/latest/developerguide/iot-rule-sql-version.html).
    // `SELECT *` means the same in each: the whole message.
    private static readonly string[] SqlVersions = ["2015-10-08", "2016-03-23", "beta"];

    /// <summary>
    /// The template's enabled topic rules. Throws <see cref="LocalStackException"/> for a rule the local stack cannot
    /// play faithfully: SQL other than <c>SELECT * FROM '&lt;topic filter&gt;'</c>, an unknown SQL version, or an action
    /// other than one Lambda action naming a function of the template.
    /// </summary>
    public static IReadOnlyList<TopicRule> FromTemplate(StackTemplate template)
    {
        ArgumentNullException.ThrowIfNull(template);
        var rules = new List<TopicRule>();
        foreach (var (logicalId, properties) in template.ResourcesOfType(ResourceType))
        {
            var payload = Child<YamlMappingNode>(properties, "TopicRulePayload")
                ?? throw Unsupported(logicalId, "it has no TopicRulePayload");
            if (Text(payload, "RuleDisabled") is { } disabled && bool.TryParse(disabled, out var off) && off)
            {
                continue;
            }

            var sql = Text(payload, "Sql") ?? throw Unsupported(logicalId, "it has no Sql");
            var match = SelectAll().Match(sql);
            if (!match.Success)
            {
                throw Unsupported(logicalId, $"its Sql \"{sql}\" is not SELECT * FROM '<topic filter>', the only SQL the local stack plays");
            }

            var filter = TopicFilter.TryParse(match.Groups["filter"].Value, out var problem)
                ?? throw Unsupported(logicalId, $"its topic filter '{match.Groups["filter"].Value}' is not valid: {problem}");

            // AWS IoT's default when AwsIotSqlVersion is not given.
            var version = Text(payload, "AwsIotSqlVersion") ?? "2015-10-08";
            if (!SqlVersions.Contains(version, StringComparer.Ordinal))
            {
                throw Unsupported(logicalId, $"its AwsIotSqlVersion '{version}' is not one AWS IoT documents ({string.Join(", ", SqlVersions)})");
            }

            var actions = Child<YamlSequenceNode>(payload, "Actions")?.Children ?? [];
            if (actions is not [YamlMappingNode { Children.Count: 1 } action] || Child<YamlMappingNode>(action, "Lambda") is not { } lambda)
            {
                throw Unsupported(logicalId, "it does not have exactly one action, a Lambda action");
            }

            var function = FunctionOf(lambda) ?? throw Unsupported(logicalId, "its Lambda action's FunctionArn is not !GetAtt <function>.Arn");
            if (template.FunctionHandler(function) is null)
            {
                throw Unsupported(logicalId, $"its Lambda action names {function}, which is not a function of the template");
            }

            rules.Add(new TopicRule(logicalId, filter, version, function));
        }

        return rules;
    }

    private static LocalStackException Unsupported(string logicalId, string reason) =>
        new($"template.yaml's topic rule {logicalId} cannot be played locally: {reason}.");

    // !GetAtt Function.Arn, or its long form {"Fn::GetAtt": [Function, Arn]}.
    private static string? FunctionOf(YamlMappingNode lambda)
    {
        if (!lambda.Children.TryGetValue(new YamlScalarNode("FunctionArn"), out var arn))
        {
            return null;
        }

        return arn switch
        {
            YamlScalarNode { Tag.IsLocal: true, Value: { } value } scalar when scalar.Tag.Value == "!GetAtt" && value.EndsWith(".Arn", StringComparison.Ordinal) => value[..^".Arn".Length],
            YamlMappingNode { Children.Count: 1 } longForm when Child<YamlSequenceNode>(longForm, "Fn::GetAtt") is
            { Children: [YamlScalarNode { Value: { } name }, YamlScalarNode { Value: "Arn" }] } => name,
            _ => null,
        };
    }

    private static T? Child<T>(YamlMappingNode owner, string key)
        where T : YamlNode =>
        owner.Children.TryGetValue(new YamlScalarNode(key), out var node) ? node as T : null;

    private static string? Text(YamlMappingNode owner, string key) => Child<YamlScalarNode>(owner, key)?.Value;

    // Keywords are case-insensitive in AWS IoT SQL; the topic filter is a quoted string.
    [GeneratedRegex(@"^\s*SELECT\s+\*\s+FROM\s+'(?<filter>[^']*)'\s*$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex SelectAll();
}
