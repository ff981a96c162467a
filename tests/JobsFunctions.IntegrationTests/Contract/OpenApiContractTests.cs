using System.Text.Json;
using JobsFunctions.IntegrationTests.Bootstrap;
using JobsFunctions.Local.Stack;
using JobsFunctions.TestSupport;
using Json.Schema;
using Microsoft.OpenApi;
using Microsoft.OpenApi.Reader;
using Microsoft.OpenApi.YamlReader;

namespace JobsFunctions.IntegrationTests.Contract;

/// <summary>openapi.yaml is a valid OpenAPI 3.1 document and describes exactly the routes the template deploys.</summary>
public sealed class OpenApiContractTests
{
    [Fact]
    public void Its_paths_and_methods_are_exactly_the_templates_routes() =>
        Assert.Equal(
            StackTemplate.Load(RepositoryPaths.Template).HttpApiRouteKeys().Order(StringComparer.Ordinal),
            OpenApiContract.Instance.RouteKeys.Order(StringComparer.Ordinal));

    [Fact]
    public void It_reads_as_OpenAPI_3_1_with_no_errors_and_passes_Microsoft_OpenApis_validation_rules()
    {
        var settings = new OpenApiReaderSettings();
        settings.AddYamlReader();
        using var stream = new MemoryStream(File.ReadAllBytes(OpenApiContract.Path));

        var (document, diagnostic) = OpenApiDocument.Load(stream, "yaml", settings);

        Assert.Empty(diagnostic!.Errors.Select(error => $"{error.Pointer}: {error.Message}"));
        Assert.Equal(OpenApiSpecVersion.OpenApi3_1, diagnostic.SpecificationVersion);
        Assert.Empty(document!.Validate(ValidationRuleSet.GetDefaultRuleSet())!.Select(error => $"{error.Pointer}: {error.Message}"));
    }

    /// <summary>A misspelt keyword (<c>minimun</c>) is silently ignored by a lenient validator; here it fails.</summary>
    [Fact]
    public void Every_schema_uses_only_JSON_Schema_2020_12_keywords()
    {
        var strict = new BuildOptions
        {
            SchemaRegistry = new SchemaRegistry(),
            Dialect = Dialect.Draft202012.With([], new Uri("https://jobsfunctions.invalid/strict-2020-12"), allowUnknownKeywords: false),
        };
        var document = OpenApiContract.Instance.Document;
        var uri = new Uri("https://jobsfunctions.invalid/openapi.json");
        strict.SchemaRegistry.Register(uri, new JsonElementBaseDocument(JsonSerializer.SerializeToElement(document), uri));

        foreach (var (name, schema) in document["components"]!["schemas"]!.AsObject())
        {
            var failure = Record.Exception(() => JsonSchema.Build(JsonSerializer.SerializeToElement(schema), strict));
            Assert.True(failure is null, $"components.schemas.{name}: {failure?.Message}");
        }
    }

    [Fact]
    public void The_policy_document_schema_accepts_the_sample_and_refuses_what_the_API_refuses()
    {
        var schema = OpenApiContract.Instance.Schema("#/components/schemas/PolicyDocument");
        var sample = OperatorApiCalls.Sample("api-put-job-policy.json")["body"]!.GetValue<string>();

        Assert.True(Valid(sample));
        Assert.False(Valid("""{"dryRun":true}"""));
        Assert.False(Valid("""{"timeoutConfig":{"queuedTimeoutInMinutes":60,"actoin":"FAIL"}}"""));
        Assert.False(Valid("""{"abortConfig":{"criteriaList":[{"failureType":"FAILED","action":"CANCEL","thresholdPercentage":10}]}}"""));

        bool Valid(string body)
        {
            using var parsed = JsonDocument.Parse(body);
            return schema.Evaluate(parsed.RootElement).IsValid;
        }
    }
}
