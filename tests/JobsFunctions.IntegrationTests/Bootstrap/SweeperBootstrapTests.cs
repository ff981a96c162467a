using System.Text.Json.Nodes;
using Amazon.DynamoDBv2;
using JobsFunctions.Local.Runtime;
using JobsFunctions.Local.Stack;
using JobsFunctions.TestSupport;

namespace JobsFunctions.IntegrationTests.Bootstrap;

/// <summary>
/// The policy sweeper from the published bootstrap, end to end: a policy set through the operator API (the same
/// bootstrap as <c>api</c>), a scheduled event to the bootstrap as <c>sweeper</c>, IoT played on loopback, the
/// records table in moto, and the action read back from the job's audit trail through the API.
/// </summary>
public sealed class SweeperBootstrapTests(MotoServer moto, PublishedBootstrap bootstrap) : IDisposable
{
    private const string JobId = "fw-2026-11";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private readonly AmazonDynamoDBClient _dynamo = LocalDynamo.CreateClient(moto.Endpoint);

    [Fact]
    public async Task A_policy_set_through_the_API_is_acted_on_by_the_sweeper_and_the_audit_trail_shows_it()
    {
        var table = await TemplateTable.CreateAsync(_dynamo, RepositoryPaths.Template);
        await using var iot = new LoopbackIotJobs(JobId);
        var now = DateTimeOffset.UtcNow;
        iot.AddExecution("pump-stuck", "IN_PROGRESS", version: 3, queuedAt: now.AddHours(-4), startedAt: now.AddHours(-3), lastUpdatedAt: now.AddHours(-3));
        iot.AddExecution("pump-busy", "IN_PROGRESS", version: 5, queuedAt: now.AddHours(-1), startedAt: now.AddMinutes(-30), lastUpdatedAt: now.AddMinutes(-1));

        await using (var apiRuntime = LocalRuntimeApi.Start())
        {
            using var api = bootstrap.Start(Environment(apiRuntime, "api", table, iot.Url));
            var put = await SendAsync(apiRuntime, "put-policy", PutPolicy("""{"timeoutConfig":{"inProgressTimeoutInMinutes":120,"action":"CANCEL"}}"""));
            api.Kill();
            Assert.Equal((200, "\"1\""), (Status(put), put["headers"]!["etag"]!.GetValue<string>()));
        }

        await using (var sweeperRuntime = LocalRuntimeApi.Start())
        {
            using var sweeper = bootstrap.Start(Environment(sweeperRuntime, "sweeper", table, iot.Url));
            var scheduled = new LocalInvocation(new JsonObject
            {
                ["version"] = "0",
                ["id"] = Guid.NewGuid().ToString(),
                ["detail-type"] = "Scheduled Event",
                ["source"] = "aws.events",
                ["account"] = "111122223333",
                ["time"] = now.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture),
                ["region"] = "us-east-1",
                ["resources"] = new JsonArray("arn:aws:events:us-east-1:111122223333:rule/sweep"),
                ["detail"] = new JsonObject(),
            }.ToJsonString())
            { Timeout = TimeSpan.FromSeconds(60) };
            var result = await sweeperRuntime.WaitForResultAsync(sweeperRuntime.Enqueue(scheduled), Patience);
            sweeper.Kill();
            Assert.True(result.Kind == RuntimePostKind.Response, result.BodyText);
            Assert.Equal("""{"outcome":"finished"}""", result.BodyText);
        }

        Assert.Equal(("CANCELED", "IN_PROGRESS"), (iot.StatusOf("pump-stuck"), iot.StatusOf("pump-busy")));
        var cancel = Assert.Single(iot.Requests, request => request.Method == "PUT");
        Assert.Equal($"/things/pump-stuck/jobs/{JobId}/cancel?force=true", cancel.PathAndQuery);
        Assert.Equal(3, JsonNode.Parse(cancel.Body)!["expectedVersion"]!.GetValue<long>());

        await using var readRuntime = LocalRuntimeApi.Start();
        using var reader = bootstrap.Start(Environment(readRuntime, "api", table, iot.Url));
        var audit = await SendAsync(readRuntime, "audit", Sample("api-list-job-audit.json"));
        var ledger = Sample("api-get-execution-ledger.json");
        ledger["pathParameters"] = new JsonObject { ["jobId"] = JobId, ["thingName"] = "pump-stuck" };
        var recorded = await SendAsync(readRuntime, "ledger", ledger);
        reader.Kill();

        var entries = Body(audit)["entries"]!.AsArray().Select(entry => entry!.AsObject()).ToList();
        Assert.Equal(["CancelJobExecution", "PutJobPolicy"], entries.Select(entry => entry["operation"]!.GetValue<string>()));
        Assert.Equal(("pump-stuck", "success", "1"), (entries[0]["thingName"]!.GetValue<string>(), entries[0]["outcome"]!.GetValue<string>(),
            entries[0]["parameters"]!["policy.revision"]!.GetValue<string>()));
        Assert.Equal("CANCELED", Body(recorded)["execution"]!["status"]!.GetValue<string>());
    }

    private static JsonObject PutPolicy(string document)
    {
        var put = Sample("api-put-job-policy.json");
        put["body"] = document;
        return put;
    }

    private static async Task<JsonObject> SendAsync(LocalRuntimeApi runtime, string label, JsonObject apiEvent)
    {
        var requestId = runtime.Enqueue(new LocalInvocation(apiEvent.ToJsonString()) { RequestId = $"{label}-{Guid.NewGuid():N}" });
        var result = await runtime.WaitForResultAsync(requestId, Patience);
        Assert.True(result.Kind == RuntimePostKind.Response, $"{label}: {result.BodyText}");
        return JsonNode.Parse(result.BodyText)!.AsObject();
    }

    private static int Status(JsonObject response) => response["statusCode"]!.GetValue<int>();

    private static JsonObject Body(JsonObject response) => JsonNode.Parse(response["body"]!.GetValue<string>())!.AsObject();

    private static JsonObject Sample(string name) =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "events", name)))!.AsObject();

    private Dictionary<string, string> Environment(LocalRuntimeApi runtime, string handler, string table, string iot) => new()
    {
        ["AWS_LAMBDA_RUNTIME_API"] = runtime.Address,
        ["_HANDLER"] = handler,
        ["TABLE_NAME"] = table,
        ["AWS_REGION"] = "us-east-1",
        ["AWS_ACCESS_KEY_ID"] = "testing",
        ["AWS_SECRET_ACCESS_KEY"] = "testing",
        ["AWS_ENDPOINT_URL_DYNAMODB"] = moto.Endpoint.ToString(),
        ["AWS_ENDPOINT_URL_IOT"] = iot,
        ["AWS_ENDPOINT_URL_IOT_JOBS_DATA_PLANE"] = iot,
        ["SWEEP_BUDGET_SECONDS"] = "30",
    };

    public void Dispose() => _dynamo.Dispose();
}
