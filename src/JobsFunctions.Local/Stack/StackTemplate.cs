using System.Globalization;
using YamlDotNet.RepresentationModel;

namespace JobsFunctions.Local.Stack;

/// <summary>
/// What the local stack takes from template.yaml, so running locally follows the deployed shape: the records table,
/// each function's handler, environment, timeout and memory, and the operator API's routes.
/// </summary>
public sealed class StackTemplate
{
    private const string FunctionType = "AWS::Serverless::Function";

    private readonly YamlMappingNode _root;

    private StackTemplate(string path, YamlMappingNode root)
    {
        Path = path;
        _root = root;
    }

    public string Path { get; }

    public static StackTemplate Load(string path)
    {
        var yaml = new YamlStream();
        using (var reader = File.OpenText(path))
        {
            yaml.Load(reader);
        }

        return yaml.Documents is [{ RootNode: YamlMappingNode root }, ..]
            ? new StackTemplate(path, root)
            : throw new InvalidDataException($"{path} is not a CloudFormation template (no top-level mapping).");
    }

    /// <summary>The <c>Properties</c> of a resource; throws when the template has no such resource.</summary>
    public YamlMappingNode ResourceProperties(string logicalId) =>
        Mapping(Resource(logicalId) ?? throw new InvalidDataException($"{Path} has no resource {logicalId}."), "Properties")
        ?? throw new InvalidDataException($"{Path}: resource {logicalId} has no Properties.");

    /// <summary>Every resource of the given <c>Type</c>, by logical id, with its <c>Properties</c> (empty when it has none).</summary>
    public IReadOnlyList<(string LogicalId, YamlMappingNode Properties)> ResourcesOfType(string type) => Resources()
        .Where(resource => Scalar(resource.Value, "Type") == type)
        .Select(resource => (resource.Key, Mapping(resource.Value, "Properties") ?? new YamlMappingNode()))
        .ToList();

    /// <summary>The <c>Handler</c> of a function in the template, if it is one.</summary>
    public string? FunctionHandler(string logicalId) =>
        Resource(logicalId) is { } resource && IsFunction(resource) ? FunctionProperty(logicalId, "Handler") : null;

    /// <summary>
    /// How many times Lambda retries a failed asynchronous invocation of the function: its
    /// <c>EventInvokeConfig.MaximumRetryAttempts</c>, else Lambda's default of 2
    /// (https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-error-handling.html).
    /// </summary>
    public int MaximumRetryAttempts(string functionId) =>
        int.Parse(
            Scalar(Mapping(Mapping(Resource(functionId), "Properties"), "EventInvokeConfig"), "MaximumRetryAttempts") ?? "2",
            CultureInfo.InvariantCulture);

    /// <summary>
    /// The schedule expression of a function's SAM <c>Schedule</c> or <c>ScheduleV2</c> event
    /// (https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-property-function-schedule.html),
    /// a <c>!Ref</c> to a parameter taking its default; null when the function has none.
    /// </summary>
    public string? FunctionSchedule(string functionId)
    {
        var events = Mapping(Mapping(Resource(functionId), "Properties"), "Events");
        foreach (var (_, node) in events?.Children ?? Enumerable.Empty<KeyValuePair<YamlNode, YamlNode>>())
        {
            if (node is YamlMappingNode source && Scalar(source, "Type") is "Schedule" or "ScheduleV2"
                && Mapping(source, "Properties") is { } properties)
            {
                var expression = properties.Children.TryGetValue(new YamlScalarNode("Schedule"), out var schedule)
                    || properties.Children.TryGetValue(new YamlScalarNode("ScheduleExpression"), out schedule)
                    ? schedule
                    : null;
                if (expression is not null)
                {
                    return Resolve(expression, new Dictionary<string, string>(StringComparer.Ordinal));
                }
            }
        }

        return null;
    }

    /// <summary>The logical id of the function whose <c>Handler</c> is <paramref name="handler"/>, if the template has one.</summary>
    public string? FunctionWithHandler(string handler) => Resources()
        .Where(resource => IsFunction(resource.Value))
        .FirstOrDefault(resource => string.Equals(FunctionProperty(resource.Key, "Handler"), handler, StringComparison.Ordinal))
        .Key;

    /// <summary>
    /// The environment a function gets: the template's global variables overlaid with the function's own.
    /// <c>!Ref</c> to a parameter takes its default; <paramref name="resourceNames"/> supplies what a <c>!Ref</c> to a
    /// resource means locally (the table's name). Variables whose value cannot be worked out here are returned in
    /// <c>Unresolved</c> instead of being guessed.
    /// </summary>
    public (Dictionary<string, string> Variables, List<string> Unresolved) FunctionEnvironment(
        string? functionId, IReadOnlyDictionary<string, string> resourceNames)
    {
        ArgumentNullException.ThrowIfNull(resourceNames);
        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        var unresolved = new List<string>();
        var sources = new[] { GlobalFunction(), functionId is null ? null : Mapping(Resource(functionId), "Properties") };
        foreach (var owner in sources)
        {
            var declared = Mapping(Mapping(owner, "Environment"), "Variables");
            if (declared is null)
            {
                continue;
            }

            foreach (var (key, value) in declared.Children)
            {
                var name = ((YamlScalarNode)key).Value!;
                if (Resolve(value, resourceNames) is { } resolved)
                {
                    variables[name] = resolved;
                    unresolved.Remove(name);
                }
                else
                {
                    variables.Remove(name);
                    unresolved.Add(name);
                }
            }
        }

        return (variables, unresolved);
    }

    public TimeSpan FunctionTimeout(string? functionId) =>
        TimeSpan.FromSeconds(int.Parse(FunctionProperty(functionId, "Timeout") ?? "3", CultureInfo.InvariantCulture));

    public int FunctionMemory(string? functionId) =>
        int.Parse(FunctionProperty(functionId, "MemorySize") ?? "128", CultureInfo.InvariantCulture);

    /// <summary>Whether the functions log as JSON (LoggingConfig.LogFormat), which Lambda announces in AWS_LAMBDA_LOG_FORMAT.</summary>
    public string LogFormat(string? functionId)
    {
        var own = Scalar(Mapping(Mapping(Resource(functionId), "Properties"), "LoggingConfig"), "LogFormat");
        return own ?? Scalar(Mapping(GlobalFunction(), "LoggingConfig"), "LogFormat") ?? "Text";
    }

    /// <summary>Every <c>HttpApi</c> event of every function, as API Gateway route keys (<c>METHOD /path</c>).</summary>
    public IReadOnlyList<string> HttpApiRouteKeys() => Resources()
        .Where(resource => IsFunction(resource.Value))
        .SelectMany(resource => Mapping(Mapping(resource.Value, "Properties"), "Events")?.Children.Values.OfType<YamlMappingNode>() ?? [])
        .Where(trigger => Scalar(trigger, "Type") == "HttpApi")
        .Select(trigger => Mapping(trigger, "Properties"))
        .Where(properties => Scalar(properties, "Method") is not null && Scalar(properties, "Path") is not null)
        .Select(properties => $"{Scalar(properties, "Method")!.ToUpperInvariant()} {Scalar(properties, "Path")}")
        .Distinct(StringComparer.Ordinal)
        .ToList();

    private string? FunctionProperty(string? functionId, string name) =>
        Scalar(Mapping(Resource(functionId), "Properties"), name) ?? Scalar(GlobalFunction(), name);

    private string? Resolve(YamlNode value, IReadOnlyDictionary<string, string> resourceNames)
    {
        string? reference;
        switch (value)
        {
            case YamlScalarNode { Tag.IsLocal: false } literal:
                return literal.Value ?? string.Empty;
            case YamlScalarNode tagged when tagged.Tag.Value == "!Ref":
                reference = tagged.Value;
                break;
            case YamlMappingNode { Children.Count: 1 } longForm:
                reference = Scalar(longForm, "Ref");
                break;
            default:
                return null; // !GetAtt, !Sub and the like name things that only exist once deployed
        }

        if (reference is null)
        {
            return null;
        }

        return resourceNames.TryGetValue(reference, out var local)
            ? local
            : Scalar(Mapping(Mapping(_root, "Parameters"), reference), "Default");
    }

    private IEnumerable<KeyValuePair<string, YamlMappingNode>> Resources() =>
        (Mapping(_root, "Resources")?.Children ?? Enumerable.Empty<KeyValuePair<YamlNode, YamlNode>>())
            .Where(pair => pair.Key is YamlScalarNode && pair.Value is YamlMappingNode)
            .Select(pair => KeyValuePair.Create(((YamlScalarNode)pair.Key).Value!, (YamlMappingNode)pair.Value));

    private YamlMappingNode? Resource(string? logicalId) => logicalId is null ? null : Mapping(Mapping(_root, "Resources"), logicalId);

    private YamlMappingNode? GlobalFunction() => Mapping(Mapping(_root, "Globals"), "Function");

    private static bool IsFunction(YamlMappingNode resource) => Scalar(resource, "Type") == FunctionType;

    private static YamlMappingNode? Mapping(YamlMappingNode? owner, string key) =>
        owner is not null && owner.Children.TryGetValue(new YamlScalarNode(key), out var node) ? node as YamlMappingNode : null;

    private static string? Scalar(YamlMappingNode? owner, string key) =>
        owner is not null && owner.Children.TryGetValue(new YamlScalarNode(key), out var node) && node is YamlScalarNode scalar
            ? scalar.Value
            : null;
}
