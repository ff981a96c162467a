using System.Text.Json;
using System.Text.Json.Nodes;
using Amazon.DynamoDBv2;
using JobsFunctions.Aws.Dynamo;
using JobsFunctions.Domain.Executions;
using JobsFunctions.IntegrationTests.Contract;
using JobsFunctions.Local.Runtime;
using JobsFunctions.Local.Stack;
using JobsFunctions.TestSupport;

using static JobsFunctions.IntegrationTests.Bootstrap.OperatorApiCalls;

namespace JobsFunctions.IntegrationTests.Bootstrap;

/// <summary>
/// The operator API from the published bootstrap: HTTP API 2.0 events in through a Runtime API, the records table in
/// moto, IoT played on loopback at AWS_ENDPOINT_URL_IOT / AWS_ENDPOINT_URL_IOT_JOBS_DATA_PLANE.
/// </summary>
public sealed class ApiBootstrapTests(MotoServer moto, PublishedBootstrap bootstrap) : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private readonly AmazonDynamoDBClient _dynamo = LocalDynamo.CreateClient(moto.Endpoint);

    [Fact]
    public async Task Every_route_answers_from_the_bootstrap_and_writes_reach_iot_the_ledger_and_the_audit_trail()
    {
        var table = await TemplateTable.CreateAsync(_dynamo, RepositoryPaths.Template);
        await using var iot = new ScriptedIotEndpoint();
        await using var runtime = LocalRuntimeApi.Start();
        using var process = bootstrap.Start(Environment(runtime, table, iot.Url));

        var update = await SendAsync(runtime, "update-execution", Sample("api-update-job-execution.json"));
        // The scripted IoT endpoint accepts every write. On AWS a cancel at expectedVersion 2 after the update moved the
        // execution to 3 would be a VersionConflict; here the cancel names no version, so what it implies is unversioned
        // and the update's versioned SUCCEEDED stays the execution's state.
        var cancelRequest = Sample("api-cancel-job-execution.json");
        cancelRequest["body"] = """{"statusDetails":{"canceledBy":"operator","ticket":"OPS-1234"}}""";
        var cancel = await SendAsync(runtime, "cancel", cancelRequest);
        var updateJob = await SendAsync(runtime, "update-job", Sample("api-update-job.json"));
        var replay = await SendAsync(runtime, "replay", Sample("api-update-job-execution.json"));
        var reads = new Dictionary<string, JsonObject>();
        foreach (var name in new[] { "api-get-job.json", "api-list-job-executions.json", "api-get-execution-ledger.json", "api-list-thing-executions.json", "api-list-job-audit.json", "api-list-jobs.json", "api-get-job-iot.json" })
        {
            reads[name] = await SendAsync(runtime, name, Sample(name));
        }

        process.Kill();

        Assert.Equal(200, Status(update));
        Assert.Equal("SUCCEEDED", Body(update)["executionState"]!["status"]!.GetValue<string>());
        Assert.Equal(200, Status(cancel));
        Assert.Equal(200, Status(updateJob));
        Assert.Equal(Body(update).ToJsonString(), Body(replay).ToJsonString());
        Assert.Single(iot.Requests, request => request.Method == "POST");
        Assert.All(iot.Requests, request => Assert.StartsWith("AWS4-HMAC-SHA256 Credential=testing/", request.Authorization));
        Assert.All(reads, read => Assert.Equal(200, Status(read.Value)));
        var listed = Assert.Single(Body(reads["api-list-jobs.json"])["jobs"]!.AsArray());
        Assert.Equal(Body(reads["api-get-job.json"])["counts"]!.ToJsonString(), listed!["counts"]!.ToJsonString());
        var inIot = Body(reads["api-get-job-iot.json"]);
        Assert.Equal(("IN_PROGRESS", 1, 0), (inIot["status"]!.GetValue<string>(), inIot["jobProcessDetails"]!["numberOfSucceededThings"]!.GetValue<int>(),
            inIot["jobProcessDetails"]!["numberOfFailedThings"]!.GetValue<int>()));

        var recorded = await new DynamoRecordStore(_dynamo, new StoreOptions(table, 4, null)).FindExecutionAsync("fw-2026-11", "sensor-42", TestContext.Current.CancellationToken);
        Assert.Equal(ExecutionStatus.Succeeded, recorded!.Status);
        Assert.Contains(recorded.Ledger, entry => entry.Source == ObservationSource.OperatorUpdate && entry.VersionNumber == 3);
    }

    [Fact]
    public async Task An_invalid_request_gets_a_400_naming_the_field_and_makes_no_iot_call()
    {
        var table = await TemplateTable.CreateAsync(_dynamo, RepositoryPaths.Template);
        await using var iot = new ScriptedIotEndpoint();
        await using var runtime = LocalRuntimeApi.Start();
        using var process = bootstrap.Start(Environment(runtime, table, iot.Url));
        var invalid = Sample("api-update-job.json");
        invalid["body"] = """{"abortConfig":{"criteriaList":[{"failureType":"FAILED","action":"CANCEL","thresholdPercentage":10.555,"minNumberOfExecutedThings":10}]}}""";
        var unknown = Sample("api-update-job-execution.json");
        unknown["body"] = """{"status":"SUCCEEDED","colour":"blue"}""";
        unknown["headers"]!.AsObject().Remove("idempotency-key");

        var decimals = await SendAsync(runtime, "decimals", invalid);
        var unknownField = await SendAsync(runtime, "unknown", unknown);
        process.Kill();

        Assert.Equal(400, Status(decimals));
        Assert.Equal("abortConfig.criteriaList[0].thresholdPercentage", Body(decimals)["field"]!.GetValue<string>());
        Assert.Equal(400, Status(unknownField));
        Assert.Equal("colour", Body(unknownField)["field"]!.GetValue<string>());
        Assert.Empty(iot.Requests);
    }

    [Fact]
    public async Task The_policy_routes_answer_from_the_bootstrap_and_every_refusal_reaches_the_trail_with_its_expiry()
    {
        var table = await TemplateTable.CreateAsync(_dynamo, RepositoryPaths.Template);
        await using var iot = new ScriptedIotEndpoint();
        await using var runtime = LocalRuntimeApi.Start();
        var environment = Environment(runtime, table, iot.Url);
        environment["DEFAULT_POLICY"] = """{"dryRun":true,"timeoutConfig":{"queuedTimeoutInMinutes":1440,"action":"FAIL"}}""";
        environment["AUDIT_RETENTION_DAYS"] = "30";
        using var process = bootstrap.Start(environment);
        var refused = Sample("api-put-job-policy.json");
        refused["body"] = """{"timeoutConfig":{"queuedTimeoutInMinutes":60},"colour":"blue"}""";

        var missing = await SendAsync(runtime, "get-missing", Sample("api-get-job-policy.json"));
        var put = await SendAsync(runtime, "put", Sample("api-put-job-policy.json"));
        var shapeRefused = await SendAsync(runtime, "put-refused", refused);
        var get = await SendAsync(runtime, "get", Sample("api-get-job-policy.json"));
        var list = await SendAsync(runtime, "list", Sample("api-list-policies.json"));
        var preview = await SendAsync(runtime, "preview", Sample("api-preview-job-policy.json"));
        var delete = await SendAsync(runtime, "delete", Sample("api-delete-job-policy.json"));
        var audit = await SendAsync(runtime, "audit", Sample("api-list-job-audit.json"));
        process.Kill();

        Assert.Equal([404, 200, 400, 200, 200, 200, 200, 200], new[] { missing, put, shapeRefused, get, list, preview, delete, audit }.Select(Status));
        var listed = Assert.Single(Body(list)["policies"]!.AsArray());
        Assert.Equal(("fw-2026-11", 1L), (listed!["jobId"]!.GetValue<string>(), listed["revision"]!.GetValue<long>()));
        Assert.Equal("FAIL", Body(list)["defaultPolicy"]!["timeoutConfig"]!["action"]!.GetValue<string>());
        var entries = Body(audit)["entries"]!.AsArray();
        Assert.Equal(["DeleteJobPolicy", "PutJobPolicy", "PutJobPolicy"], entries.Select(entry => entry!["operation"]!.GetValue<string>()));
        Assert.Equal(("validation.body.unknownField", "colour"), (entries[1]!["outcome"]!.GetValue<string>(), entries[1]!["field"]!.GetValue<string>()));
        var expiries = (await _dynamo.QueryAsync(new Amazon.DynamoDBv2.Model.QueryRequest
        {
            TableName = table,
            KeyConditionExpression = "PK = :pk AND begins_with(SK, :audit)",
            ExpressionAttributeValues = new() { [":pk"] = new() { S = "JOB#fw-2026-11" }, [":audit"] = new() { S = "AUDIT#" } },
        }, TestContext.Current.CancellationToken)).Items.Select(item => DateTimeOffset.FromUnixTimeSeconds(long.Parse(item["expiresAt"].N, System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Equal(3, expiries.Count());
        Assert.All(expiries, expiry => Assert.InRange(expiry, DateTimeOffset.UtcNow.AddDays(29), DateTimeOffset.UtcNow.AddDays(31)));
    }

    [Fact]
    public async Task AWS_refusing_the_function_s_credentials_gets_a_502_naming_AWS_s_code_audited_with_the_key_settled()
    {
        var table = await TemplateTable.CreateAsync(_dynamo, RepositoryPaths.Template);
        await using var iot = new ScriptedIotEndpoint { RefuseWith = "InvalidSignatureException" };
        await using var runtime = LocalRuntimeApi.Start();
        using var process = bootstrap.Start(Environment(runtime, table, iot.Url));

        var update = await SendAsync(runtime, "update-execution", Sample("api-update-job-execution.json"));
        // The scripted IoT endpoint accepts every write. On AWS a cancel at expectedVersion 2 after the update moved the
        // execution to 3 would be a VersionConflict; here the cancel names no version, so what it implies is unversioned
        // and the update's versioned SUCCEEDED stays the execution's state.
        var cancelRequest = Sample("api-cancel-job-execution.json");
        cancelRequest["body"] = """{"statusDetails":{"canceledBy":"operator","ticket":"OPS-1234"}}""";
        var cancel = await SendAsync(runtime, "cancel", cancelRequest);
        var replay = await SendAsync(runtime, "replay", Sample("api-update-job-execution.json"));
        var audit = await SendAsync(runtime, "audit", Sample("api-list-job-audit.json"));
        process.Kill();

        Assert.All([update, cancel, replay], response =>
        {
            Assert.Equal(502, Status(response));
            Assert.Equal("aws.InvalidSignatureException", Body(response)["code"]!.GetValue<string>());
        });
        Assert.Equal(2, iot.Requests.Count);
        var outcomes = Body(audit)["entries"]!.AsArray().Select(entry => entry!["outcome"]!.GetValue<string>()).ToList();
        Assert.Equal(3, outcomes.Count);
        Assert.All(outcomes, outcome => Assert.Equal("aws.InvalidSignatureException", outcome));
    }

    /// <summary>Sends one request; every answer the bootstrap gives must be one openapi.yaml describes for its route and status.</summary>
    private static async Task<JsonObject> SendAsync(LocalRuntimeApi runtime, string label, JsonObject apiEvent)
    {
        var answer = await OperatorApiCalls.SendAsync(runtime, label, apiEvent, Patience);
        OpenApiContract.Instance.AssertAnswers(apiEvent["routeKey"]!.GetValue<string>(), answer);
        return answer;
    }

    private Dictionary<string, string> Environment(LocalRuntimeApi runtime, string table, string iot) => new()
    {
        ["AWS_LAMBDA_RUNTIME_API"] = runtime.Address,
        ["_HANDLER"] = "api",
        ["TABLE_NAME"] = table,
        ["AWS_REGION"] = "us-east-1",
        ["AWS_ACCESS_KEY_ID"] = "testing",
        ["AWS_SECRET_ACCESS_KEY"] = "testing",
        ["AWS_ENDPOINT_URL_DYNAMODB"] = moto.Endpoint.ToString(),
        ["AWS_ENDPOINT_URL_IOT"] = iot,
        ["AWS_ENDPOINT_URL_IOT_JOBS_DATA_PLANE"] = iot,
    };

    public void Dispose() => _dynamo.Dispose();
}
