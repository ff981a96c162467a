using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using JobsFunctions.TestSupport;

namespace JobsFunctions.IntegrationTests.Bootstrap;

/// <summary>
/// One IoT job and its executions on loopback, with the state the sweeper needs: DescribeEventConfigurations, ListJobs,
/// ListJobExecutionsForJob by status, DescribeJobExecution, and CancelJobExecution/CancelJob honouring expectedVersion
/// as AWS does (a stale version is a 409 VersionConflictException). Times are epoch seconds, as on AWS's wire.
/// </summary>
public sealed class LoopbackIotJobs : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Task _serving;
    private readonly Lock _lock = new();
    private readonly Dictionary<string, Execution> _executions = new(StringComparer.Ordinal);
    private string _jobStatus = "IN_PROGRESS";

    public LoopbackIotJobs(string jobId)
    {
        JobId = jobId;
        Url = $"http://127.0.0.1:{MotoServer.FreeLoopbackPort()}";
        _listener.Prefixes.Add($"{Url}/");
        _listener.Start();
        _serving = Task.Run(ServeAsync);
    }

    public string JobId { get; }

    public string Url { get; }

    public ConcurrentQueue<(string Method, string PathAndQuery, string Body)> Requests { get; } = new();

    public void AddExecution(string thingName, string status, long version, DateTimeOffset queuedAt, DateTimeOffset? startedAt, DateTimeOffset lastUpdatedAt)
    {
        lock (_lock)
        {
            _executions[thingName] = new Execution(status, version, queuedAt, startedAt, lastUpdatedAt);
        }
    }

    public string StatusOf(string thingName)
    {
        lock (_lock)
        {
            return _executions[thingName].Status;
        }
    }

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
            {
                return;
            }

            using var reader = new StreamReader(context.Request.InputStream);
            var body = await reader.ReadToEndAsync();
            var url = context.Request.Url!;
            Requests.Enqueue((context.Request.HttpMethod, url.PathAndQuery, body));
            var (status, answer) = Answer(context.Request.HttpMethod, url.AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries).Select(Uri.UnescapeDataString).ToArray(),
                context.Request.QueryString, body);
            var bytes = Encoding.UTF8.GetBytes(answer);
            context.Response.StatusCode = status;
            context.Response.ContentType = "application/json";
            context.Response.Headers["x-amzn-RequestId"] = Guid.NewGuid().ToString();
            if (status >= 400)
            {
                context.Response.Headers["x-amzn-ErrorType"] = JsonNode.Parse(answer)!["__type"]!.GetValue<string>();
            }

            await context.Response.OutputStream.WriteAsync(bytes);
            context.Response.Close();
        }
    }

    private (int Status, string Body) Answer(string method, string[] path, System.Collections.Specialized.NameValueCollection query, string body)
    {
        lock (_lock)
        {
            switch (method, path)
            {
                case ("GET", ["event-configurations"]):
                    return (200, """{"eventConfigurations":{"JOB":{"Enabled":true},"JOB_EXECUTION":{"Enabled":true}}}""");
                case ("GET", ["jobs"]):
                    return (200, query["status"] is { } wanted && wanted != _jobStatus
                        ? """{"jobs":[]}"""
                        : $$"""{"jobs":[{"jobId":"{{JobId}}","status":"{{_jobStatus}}"}]}""");
                case ("GET", ["jobs", var job, "things"]) when job == JobId:
                    var summaries = new JsonArray([.. _executions
                        .Where(pair => query["status"] is not { } wanted || pair.Value.Status == wanted)
                        .Select(pair => (JsonNode)new JsonObject
                        {
                            ["thingArn"] = $"arn:aws:iot:us-east-1:111122223333:thing/{pair.Key}",
                            ["jobExecutionSummary"] = pair.Value.Summary(),
                        })]);
                    return (200, new JsonObject { ["executionSummaries"] = summaries }.ToJsonString());
                case ("GET", ["things", var thing, "jobs", var job]) when job == JobId && _executions.TryGetValue(thing, out var execution):
                    var described = execution.Summary();
                    described["jobId"] = JobId;
                    described["thingArn"] = $"arn:aws:iot:us-east-1:111122223333:thing/{thing}";
                    described["versionNumber"] = execution.Version;
                    described["statusDetails"] = new JsonObject { ["detailsMap"] = new JsonObject() };
                    return (200, new JsonObject { ["execution"] = described }.ToJsonString());
                case ("PUT", ["things", var thing, "jobs", var job, "cancel"]) when job == JobId && _executions.TryGetValue(thing, out var execution):
                    var expected = JsonNode.Parse(body.Length == 0 ? "{}" : body)!["expectedVersion"]?.GetValue<long>();
                    if (expected is { } version && version != execution.Version)
                    {
                        return (409, """{"__type":"VersionConflictException","message":"expectedVersion does not match the current version"}""");
                    }

                    if (execution.Status is not ("QUEUED" or "IN_PROGRESS") || (execution.Status == "IN_PROGRESS" && query["force"] != "true"))
                    {
                        return (409, """{"__type":"InvalidStateTransitionException","message":"The execution cannot be canceled from its status"}""");
                    }

                    _executions[thing] = execution with { Status = "CANCELED", Version = execution.Version + 1, LastUpdatedAt = DateTimeOffset.UtcNow };
                    return (200, "");
                case ("PUT", ["jobs", var job, "cancel"]) when job == JobId:
                    _jobStatus = "CANCELED";
                    return (200, $$"""{"jobId":"{{JobId}}","jobArn":"arn:aws:iot:us-east-1:111122223333:job/{{JobId}}"}""");
                default:
                    return (404, """{"__type":"ResourceNotFoundException","message":"No such resource"}""");
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        _listener.Close();
        await _serving;
    }

    private sealed record Execution(string Status, long Version, DateTimeOffset QueuedAt, DateTimeOffset? StartedAt, DateTimeOffset LastUpdatedAt)
    {
        public JsonObject Summary()
        {
            var summary = new JsonObject
            {
                ["status"] = Status,
                ["queuedAt"] = QueuedAt.ToUnixTimeSeconds(),
                ["lastUpdatedAt"] = LastUpdatedAt.ToUnixTimeSeconds(),
                ["executionNumber"] = 1,
            };
            if (StartedAt is { } started)
            {
                summary["startedAt"] = started.ToUnixTimeSeconds();
            }

            return summary;
        }
    }
}
