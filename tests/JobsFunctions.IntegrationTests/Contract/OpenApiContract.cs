using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using JobsFunctions.TestSupport;
using Json.Schema;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace JobsFunctions.IntegrationTests.Contract;

/// <summary>
/// openapi.yaml at the repository root, read as JSON, with its schemas compiled by JsonSchema.Net (JSON Schema
/// 2020-12, the dialect OpenAPI 3.1 uses), so an API answer can be checked against what the document promises for its
/// route and status.
/// </summary>
internal sealed class OpenApiContract
{
    /// <summary>Where the document is registered for its own <c>#/components/...</c> references to resolve.</summary>
    private static readonly Uri DocumentUri = new("https://jobsfunctions.invalid/openapi.json");

    private static readonly Lazy<OpenApiContract> Loaded = new(() => new OpenApiContract(File.ReadAllText(Path)));

    private readonly BuildOptions _build;

    private OpenApiContract(string yaml)
    {
        Document = ToJson(yaml).AsObject();
        _build = new BuildOptions { SchemaRegistry = new SchemaRegistry() };
        _build.SchemaRegistry.Register(DocumentUri, new JsonElementBaseDocument(JsonSerializer.SerializeToElement(Document), DocumentUri));
    }

    public static string Path => System.IO.Path.Combine(RepositoryPaths.Root, "openapi.yaml");

    public static OpenApiContract Instance => Loaded.Value;

    public JsonObject Document { get; }

    /// <summary>Every path and method the document describes, as API Gateway route keys (<c>GET /jobs/{jobId}</c>).</summary>
    public IReadOnlyList<string> RouteKeys => [.. Document["paths"]!.AsObject()
        .SelectMany(path => path.Value!.AsObject()
            .Where(member => member.Key != "parameters")
            .Select(operation => $"{operation.Key.ToUpperInvariant()} {path.Key}"))];

    /// <summary>
    /// Checks a Lambda proxy answer (statusCode, headers, body) for <paramref name="routeKey"/>: the status is one the
    /// operation documents, the documented headers are there, and the body validates against the documented schema.
    /// </summary>
    public void AssertAnswers(string routeKey, JsonObject answer)
    {
        var (method, path) = (routeKey.Split(' ')[0].ToLowerInvariant(), routeKey.Split(' ')[1]);
        var status = answer["statusCode"]!.GetValue<int>().ToString(CultureInfo.InvariantCulture);
        var operation = Document["paths"]?[path]?[method]
            ?? throw new Xunit.Sdk.XunitException($"openapi.yaml has no operation {routeKey}.");
        var response = Resolve(operation["responses"]?[status]
            ?? throw new Xunit.Sdk.XunitException($"openapi.yaml documents no {status} answer for {routeKey}; the API gave one: {answer["body"]}"));

        var headers = answer["headers"]?.AsObject().Select(header => header.Key.ToLowerInvariant()).ToHashSet() ?? [];
        foreach (var header in response["headers"]?.AsObject() ?? [])
        {
            Assert.True(headers.Contains(header.Key.ToLowerInvariant()), $"{routeKey} {status} lacks the {header.Key} header openapi.yaml promises.");
        }

        var schema = response["content"]?["application/json"]?["schema"]?["$ref"]?.GetValue<string>()
            ?? throw new Xunit.Sdk.XunitException($"{routeKey} {status}: openapi.yaml gives no application/json schema by reference.");
        var compiled = Schema(schema);
        using var body = JsonDocument.Parse(answer["body"]!.GetValue<string>());
        var result = compiled.Evaluate(body.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
        Assert.True(result.IsValid, $"{routeKey} {status} does not match {schema}: {Failures(result)}\nbody: {answer["body"]}");
    }

    /// <summary>The schema at <paramref name="pointer"/> (<c>#/components/schemas/PolicyDocument</c>), its references resolved in the document.</summary>
    public JsonSchema Schema(string pointer) =>
        JsonSchema.Build(JsonSerializer.SerializeToElement(new JsonObject { ["$ref"] = $"{DocumentUri}{pointer}" }), _build);

    private JsonNode Resolve(JsonNode node)
    {
        while (node["$ref"]?.GetValue<string>() is { } target)
        {
            node = target.TrimStart('#').Split('/', StringSplitOptions.RemoveEmptyEntries)
                .Aggregate((JsonNode)Document, (at, segment) => at[segment.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal)]!);
        }

        return node;
    }

    private static string Failures(EvaluationResults result) => string.Join("; ", ((IEnumerable<EvaluationResults>)[result, .. result.Details ?? []])
        .Where(detail => detail.Errors is { Count: > 0 })
        .SelectMany(detail => detail.Errors!.Select(error => $"{detail.InstanceLocation}: {error.Value}")));

    /// <summary>
    /// YAML to JSON as YAML 1.2's core schema reads plain scalars: true/false, null, integers and decimals are JSON
    /// values; everything quoted, and every other plain scalar, is a string.
    /// </summary>
    public static JsonNode ToJson(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        return Convert(stream.Documents[0].RootNode)!;
    }

    private static JsonNode? Convert(YamlNode node) => node switch
    {
        YamlMappingNode mapping => new JsonObject(mapping.Children.Select(pair =>
            KeyValuePair.Create(((YamlScalarNode)pair.Key).Value!, Convert(pair.Value)))),
        YamlSequenceNode sequence => new JsonArray([.. sequence.Children.Select(Convert)]),
        YamlScalarNode { Style: ScalarStyle.Plain } scalar => Plain(scalar.Value ?? ""),
        YamlScalarNode scalar => JsonValue.Create(scalar.Value),
        _ => throw new InvalidOperationException($"Unexpected YAML node {node.NodeType} at {node.Start}."),
    };

    private static JsonNode? Plain(string text) => text switch
    {
        "true" => JsonValue.Create(true),
        "false" => JsonValue.Create(false),
        "null" or "~" or "" => null,
        _ when long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var whole) => JsonValue.Create(whole),
        _ when decimal.TryParse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number) => JsonValue.Create(number),
        _ => JsonValue.Create(text),
    };
}
