using System.Text.Json.Nodes;
using Amazon.DynamoDBv2;
using JobsFunctions.Domain.Executions;
using JobsFunctions.Emulator.Http;
using JobsFunctions.Emulator.Model;
using JobsFunctions.Local.Runtime;
using JobsFunctions.Local.Stack;
using JobsFunctions.TestSupport;

using static JobsFunctions.IntegrationTests.Bootstrap.OperatorApiCalls;

namespace JobsFunctions.IntegrationTests.Bootstrap;

/// <summary>
/// The policy sweeper from the published bootstrap, end to end: a policy set through the operator API (the same
/// bootstrap as <c>api</c>), a scheduled event to the bootstrap as <c>sweeper</c>, IoT played by the emulator on a virtual clock, the
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
        await using var host = await EmulatorHost.StartAsync(new JobsEmulator(new EmulatorClock(frozen: true)), 0, TestContext.Current.CancellationToken);
        var iot = host.BaseAddress.ToString().TrimEnd('/');
        var emulator = host.Emulator;
        emulator.UpdateEventConfigurations(new Dictionary<string, bool> { ["JOB"] = true, ["JOB_EXECUTION"] = true });
        const string Things = "arn:aws:iot:us-east-1:123456789012:thing/";
        emulator.CreateThing("pump-stuck", null);
        emulator.CreateThing("pump-busy", null);
        emulator.CreateJob(new JobSpec { JobId = JobId, Targets = [Things + "pump-stuck", Things + "pump-busy"], Document = "{\"op\":\"flash\"}" });
        emulator.UpdateJobExecution(JobId, "pump-stuck", new DeviceExecutionUpdate { Status = ExecutionStatus.InProgress });
        emulator.Advance(TimeSpan.FromMinutes(150));
        emulator.UpdateJobExecution(JobId, "pump-busy", new DeviceExecutionUpdate { Status = ExecutionStatus.InProgress });
        emulator.Advance(TimeSpan.FromMinutes(30));
        var stuckVersion = emulator.DescribeJobExecution(JobId, "pump-stuck", null).VersionNumber;
        var now = emulator.Clock.Now;

        await using (var apiRuntime = LocalRuntimeApi.Start())
        {
            using var api = bootstrap.Start(Environment(apiRuntime, "api", table, iot));
            var put = await SendAsync(apiRuntime, "put-policy", PutPolicy("""{"timeoutConfig":{"inProgressTimeoutInMinutes":120,"action":"CANCEL"}}"""));
            api.Kill();
            Assert.Equal((200, "\"1\""), (Status(put), put["headers"]!["etag"]!.GetValue<string>()));
        }

        await using (var sweeperRuntime = LocalRuntimeApi.Start())
        {
            using var sweeper = bootstrap.Start(Environment(sweeperRuntime, "sweeper", table, iot));
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

        // Canceled with force (it was IN_PROGRESS) on the version the sweeper described; the busy one left alone.
        var stuck = emulator.DescribeJobExecution(JobId, "pump-stuck", null);
        Assert.Equal((ExecutionStatus.Canceled, true, stuckVersion + 1), (stuck.Status, stuck.ForceCanceled, stuck.VersionNumber));
        Assert.Equal("policy revision 1", stuck.StatusDetails[JobsFunctions.Domain.Sweeping.PolicyEnforcement.PolicyDetailKey]);
        Assert.Equal(ExecutionStatus.InProgress, emulator.DescribeJobExecution(JobId, "pump-busy", null).Status);

        await using var readRuntime = LocalRuntimeApi.Start();
        using var reader = bootstrap.Start(Environment(readRuntime, "api", table, iot));
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

    private static Task<JsonObject> SendAsync(LocalRuntimeApi runtime, string label, JsonObject apiEvent) =>
        OperatorApiCalls.SendAsync(runtime, label, apiEvent, Patience);

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
