using JobsFunctions.Local.Stack;
using JobsFunctions.TestSupport;

namespace JobsFunctions.Local.Tests.Stack;

public sealed class StackTemplateTests : IDisposable
{
    private const string Yaml = """
        Parameters:
          CounterShards:
            Type: Number
            Default: 8
        Globals:
          Function:
            Timeout: 30
            MemorySize: 256
            LoggingConfig:
              LogFormat: JSON
            Environment:
              Variables:
                TABLE_NAME: !Ref RecordsTable
                COUNTER_SHARDS: !Ref CounterShards
                QUEUE_URL: !GetAtt Queue.Arn
                MODE: global
        Resources:
          RecordsTable:
            Type: AWS::DynamoDB::Table
          ApiFunction:
            Type: AWS::Serverless::Function
            Properties:
              Handler: api
              Timeout: 10
              Environment:
                Variables:
                  MODE: api
                  SHARDS_LONG_FORM: { Ref: CounterShards }
              Events:
                GetJob:
                  Type: HttpApi
                  Properties:
                    Method: get
                    Path: /jobs/{jobId}
                PatchJob:
                  Type: HttpApi
                  Properties:
                    Method: PATCH
                    Path: /jobs/{jobId}
                Nightly:
                  Type: Schedule
                  Properties:
                    Schedule: rate(1 day)
          RecorderFunction:
            Type: AWS::Serverless::Function
            Properties:
              Handler: recorder
        """;

    private readonly string _path = Path.Combine(Path.GetTempPath(), $"template-{Guid.NewGuid():N}.yaml");
    private readonly StackTemplate _template;

    public StackTemplateTests()
    {
        File.WriteAllText(_path, Yaml);
        _template = StackTemplate.Load(_path);
    }

    [Fact]
    public void A_function_gets_the_global_variables_overlaid_with_its_own_with_references_resolved()
    {
        var (variables, unresolved) = _template.FunctionEnvironment("ApiFunction", new Dictionary<string, string> { ["RecordsTable"] = "records-local" });

        Assert.Equal("records-local", variables["TABLE_NAME"]);
        Assert.Equal("8", variables["COUNTER_SHARDS"]);
        Assert.Equal("8", variables["SHARDS_LONG_FORM"]);
        Assert.Equal("api", variables["MODE"]);
        Assert.False(variables.ContainsKey("QUEUE_URL"));
        Assert.Equal(["QUEUE_URL"], unresolved);
    }

    [Fact]
    public void A_function_without_settings_of_its_own_takes_the_globals()
    {
        Assert.Equal("RecorderFunction", _template.FunctionWithHandler("recorder"));
        Assert.Equal(TimeSpan.FromSeconds(30), _template.FunctionTimeout("RecorderFunction"));
        Assert.Equal(TimeSpan.FromSeconds(10), _template.FunctionTimeout("ApiFunction"));
        Assert.Equal(256, _template.FunctionMemory("RecorderFunction"));
        Assert.Equal("JSON", _template.LogFormat("RecorderFunction"));
        Assert.Null(_template.FunctionWithHandler("sweeper"));
    }

    [Fact]
    public void HttpApi_events_become_route_keys_and_other_events_are_ignored()
    {
        Assert.Equal(["GET /jobs/{jobId}", "PATCH /jobs/{jobId}"], _template.HttpApiRouteKeys());
    }

    [Fact]
    public void The_real_template_runs_the_recorder_on_the_given_table_with_its_counter_shards()
    {
        var template = StackTemplate.Load(RepositoryPaths.Template);
        var recorder = template.FunctionWithHandler("recorder");

        var (variables, _) = template.FunctionEnvironment(recorder, new Dictionary<string, string> { [TemplateTable.LogicalId] = "records-local" });

        Assert.NotNull(recorder);
        Assert.Equal("records-local", variables["TABLE_NAME"]);
        Assert.Equal("4", variables["COUNTER_SHARDS"]);
        Assert.Equal("JSON", template.LogFormat(recorder));
    }

    public void Dispose() => File.Delete(_path);
}
