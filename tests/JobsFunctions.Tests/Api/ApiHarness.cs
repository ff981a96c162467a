using System.Text;
using System.Text.Json.Nodes;
using JobsFunctions.Api;
using JobsFunctions.Domain.Executions;
using JobsFunctions.Domain.Operations;
using JobsFunctions.Domain.Policies;
using JobsFunctions.Domain.Sweeping;
using JobsFunctions.Hosting;
using JobsFunctions.TestSupport;
using JobsFunctions.TestSupport.Operations;
using Microsoft.Extensions.Time.Testing;

namespace JobsFunctions.Tests.Api;

/// <summary>The operator API handler wired to in-memory ports, invoked with HTTP API 2.0 events as Lambda would.</summary>
internal sealed class ApiHarness
{
    public const string JobId = "fw-2026-11";
    public const string ThingName = "sensor-42";

    private readonly StringBuilder _log = new();

    public ApiHarness(JobPolicy? defaultPolicy = null)
    {
        Jobs = new FakeJobsControl().AddJob(JobId, "{\"firmware\":\"2.4.1\"}");
        Service = new OperatorService(Jobs, new ExecutionActions(Jobs, Records, Audit, Clock), Keys, Clock);
        Policies = new PolicyService(PolicyStore, Audit, Sweepers.Planner(Records, Records), Clock);
        Handler = new OperatorApiHandler(
            Service, new OperatorQueries(Records, Records, Audit), new JobListing(Records, Records, Records, PolicyStore, defaultPolicy, Clock), new IotJobView(Jobs), Policies,
            new PolicyListing(PolicyStore, defaultPolicy), new StringWriter(_log));
    }

    public FakeJobsControl Jobs { get; }

    public InMemoryAuditLog Audit { get; } = new();

    public InMemoryIdempotencyStore Keys { get; } = new();

    public InMemoryRecordStore Records { get; } = new();

    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 11, 22, 19, 0, 0, TimeSpan.Zero));

    public OperatorService Service { get; }

    public InMemoryPolicyStore PolicyStore { get; } = new();

    public PolicyService Policies { get; }

    public OperatorApiHandler Handler { get; }

    public ExecutionRecord? Recorded(string jobId, string thingName) =>
        Records.Executions.SingleOrDefault(record => record.JobId == jobId && record.ThingName == thingName);

    public IReadOnlyList<JsonObject> LogLines => [.. _log.ToString()
        .Split('\n', StringSplitOptions.RemoveEmptyEntries)
        .Select(line => JsonNode.Parse(line)!.AsObject())];

    /// <summary>A sample event from Api/Events, for a test to adjust before invoking.</summary>
    public static JsonObject Event(string name) =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "events", name)))!.AsObject();

    public static JsonObject WithBody(JsonObject @event, string? body)
    {
        @event["body"] = body;
        return @event;
    }

    public static JsonObject WithQuery(JsonObject @event, params (string Name, string Value)[] query)
    {
        var parameters = new JsonObject();
        foreach (var (name, value) in query)
        {
            parameters[name] = value;
        }

        @event["queryStringParameters"] = parameters;
        return @event;
    }

    public static JsonObject WithHeader(JsonObject @event, string name, string? value)
    {
        @event["headers"]![name] = value;
        if (value is null)
        {
            @event["headers"]!.AsObject().Remove(name);
        }

        return @event;
    }

    public Task<ApiReply> InvokeAsync(string eventName) => InvokeAsync(Event(eventName));

    public async Task<ApiReply> InvokeAsync(JsonObject @event)
    {
        var payload = Encoding.UTF8.GetBytes(@event.ToJsonString());
        var context = new InvocationContext("lambda-request-1", Clock.GetUtcNow().AddSeconds(29), "arn:aws:lambda:eu-west-1:111122223333:function:jobs-api", null);
        var bytes = await Handler.HandleAsync(payload, context, TestContext.Current.CancellationToken);
        var response = JsonNode.Parse(bytes)!.AsObject();
        var headers = response["headers"]!.AsObject().ToDictionary(pair => pair.Key, pair => pair.Value!.GetValue<string>());
        var body = response["body"]!.GetValue<string>();
        return new ApiReply(response["statusCode"]!.GetValue<int>(), headers, body, JsonNode.Parse(body)!.AsObject());
    }
}

internal sealed record ApiReply(int Status, IReadOnlyDictionary<string, string> Headers, string RawBody, JsonObject Body)
{
    public string? Code => Body["code"]?.GetValue<string>();

    public string? Field => Body["field"]?.GetValue<string>();
}
