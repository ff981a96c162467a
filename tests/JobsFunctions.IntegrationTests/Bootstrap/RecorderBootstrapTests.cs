using System.Diagnostics;
using Amazon.DynamoDBv2;
using JobsFunctions.Aws.Dynamo;
using JobsFunctions.Domain.Executions;
using JobsFunctions.Local.Runtime;
using JobsFunctions.Local.Stack;
using JobsFunctions.TestSupport;

namespace JobsFunctions.IntegrationTests.Bootstrap;

/// <summary>
/// The published Native AOT bootstrap, run as Lambda runs it: a separate process, the template's environment
/// variables, a Runtime API serving events, and DynamoDB at AWS_ENDPOINT_URL_DYNAMODB (moto).
/// </summary>
public sealed class RecorderBootstrapTests(MotoServer moto, PublishedBootstrap bootstrap) : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private readonly AmazonDynamoDBClient _dynamo = LocalDynamo.CreateClient(moto.Endpoint);

    [Fact]
    public async Task The_bootstrap_records_the_sample_events_shuffled_and_tripled_into_the_same_table_as_one_ordered_delivery()
    {
        var samples = SampleEvents();
        var tripled = samples.Concat(samples).Concat(samples).ToArray();
        new Random(7).Shuffle(tripled);

        var ordered = await RunRecorderAsync(samples);
        var shuffled = await RunRecorderAsync(tripled);

        var expected = await TableSnapshot.TakeAsync(_dynamo, ordered.Table, "recordedAt", "GSI2SK");
        Assert.Equal(expected, await TableSnapshot.TakeAsync(_dynamo, shuffled.Table, "recordedAt", "GSI2SK"));
        Assert.All(shuffled.Results, post => Assert.Equal(RuntimePostKind.Response, post.Kind));
        var counts = await new DynamoRecordStore(_dynamo, new StoreOptions(shuffled.Table, 4, null)).GetCountsAsync("fw-2026-11", TestContext.Current.CancellationToken);
        Assert.Equal(5, counts.Total);
        Assert.Equal(1, counts[ExecutionStatus.Failed]);
    }

    [Fact]
    public async Task A_malformed_event_is_acknowledged_logged_once_and_writes_nothing()
    {
        var malformed = File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "events", "job-execution-malformed-thing-arn.json"));

        var run = await RunRecorderAsync([malformed]);

        Assert.Equal(RuntimePostKind.Response, Assert.Single(run.Results).Kind);
        Assert.Empty(await TableSnapshot.TakeAsync(_dynamo, run.Table));
        var line = Assert.Single(run.Output.Split('\n'), text => text.Contains("\"outcome\":\"malformed\"", StringComparison.Ordinal));
        Assert.Contains("thingArn", line);
    }

    [Fact]
    public async Task A_missing_table_name_fails_the_cold_start_naming_the_variable()
    {
        await using var runtime = LocalRuntimeApi.Start();
        var environment = Environment(runtime, table: "");
        environment.Remove("TABLE_NAME");
        using var process = bootstrap.Start(environment);

        var initError = await runtime.WaitForInitErrorAsync(Patience);
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);

        Assert.Contains("TABLE_NAME", initError.BodyText);
        Assert.Equal(1, process.ExitCode);
    }

    [Fact]
    public async Task A_store_failure_fails_the_invocation_so_lambda_retries_it()
    {
        await using var runtime = LocalRuntimeApi.Start();
        using var process = bootstrap.Start(Environment(runtime, table: "no-such-table"));
        var requestId = runtime.Enqueue(new LocalInvocation(SampleEvents()[0]));

        var result = await runtime.WaitForResultAsync(requestId, Patience);
        process.Kill();

        Assert.Equal(RuntimePostKind.Error, result.Kind);
        Assert.DoesNotContain("fw-2026-11", result.BodyText);
    }

    private async Task<(string Table, List<RuntimePost> Results, string Output)> RunRecorderAsync(IEnumerable<byte[]> events)
    {
        var table = await TemplateTable.CreateAsync(_dynamo, RepositoryPaths.Template);
        await using var runtime = LocalRuntimeApi.Start();
        using var process = bootstrap.Start(Environment(runtime, table));
        var output = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var requestIds = events.Select(payload => runtime.Enqueue(new LocalInvocation(payload))).ToList();
        var results = new List<RuntimePost>();
        foreach (var requestId in requestIds)
        {
            results.Add(await runtime.WaitForResultAsync(requestId, Patience));
        }

        process.Kill();
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);
        return (table, results, await output);
    }

    private Dictionary<string, string> Environment(LocalRuntimeApi runtime, string table) => new()
    {
        ["AWS_LAMBDA_RUNTIME_API"] = runtime.Address,
        ["_HANDLER"] = "recorder",
        ["TABLE_NAME"] = table,
        ["COUNTER_SHARDS"] = "4",
        ["LEDGER_RETENTION_DAYS"] = "0",
        ["AWS_REGION"] = "us-east-1", // moto keeps tables per region; the test client creates them in us-east-1
        ["AWS_ACCESS_KEY_ID"] = "testing",
        ["AWS_SECRET_ACCESS_KEY"] = "testing",
        ["AWS_ENDPOINT_URL_DYNAMODB"] = moto.Endpoint.ToString(),
        ["AWS_LAMBDA_FUNCTION_NAME"] = "recorder",
    };

    private static byte[][] SampleEvents() => Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "events"), "job*.json")
        .Where(path => !path.Contains("malformed", StringComparison.Ordinal))
        .Order(StringComparer.Ordinal)
        .Select(File.ReadAllBytes)
        .ToArray();

    public void Dispose() => _dynamo.Dispose();
}
