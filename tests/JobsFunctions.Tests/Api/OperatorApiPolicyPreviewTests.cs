using JobsFunctions.Domain.Executions;
using JobsFunctions.Domain.Recording;
using static JobsFunctions.Tests.Api.ApiHarness;

namespace JobsFunctions.Tests.Api;

public sealed class OperatorApiPolicyPreviewTests
{
    private const string QueuedAnHour = """{"timeoutConfig":{"queuedTimeoutInMinutes":60,"action":"CANCEL"}}""";

    private readonly ApiHarness _api = new();

    private async Task RecordAsync(string thingName, ExecutionStatus status, int minutesAgo, long version)
    {
        var recorder = new StatusRecorder(_api.Records, _api.Clock);
        await recorder.RecordAsync(
            new ExecutionObservation(JobId, thingName, status, new Dictionary<string, string>(), ObservationSource.Snapshot, $"seed:{thingName}",
                _api.Clock.GetUtcNow().AddMinutes(-minutesAgo), version, 1),
            TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task The_sample_preview_answers_the_actions_the_policy_would_take_and_why()
    {
        await RecordAsync("pump-1", ExecutionStatus.Queued, minutesAgo: 90, version: 1);
        await RecordAsync("pump-2", ExecutionStatus.Queued, minutesAgo: 30, version: 1);

        var reply = await _api.InvokeAsync("api-preview-job-policy.json");

        Assert.Equal(200, reply.Status);
        Assert.Null(reply.Body["revision"]);
        Assert.Equal(60, reply.Body["policy"]?["timeoutConfig"]?["queuedTimeoutInMinutes"]?.GetValue<int>());
        var action = Assert.Single(reply.Body["actions"]!.AsArray())!;
        Assert.Equal(("CancelJobExecution", "pump-1", "QUEUED", false),
            (action["action"]?.GetValue<string>(), action["thingName"]?.GetValue<string>(), action["status"]?.GetValue<string>(), action["force"]?.GetValue<bool>()));
        Assert.Contains("queuedTimeoutInMinutes 60", action["reason"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_preview_writes_nothing_audits_nothing_and_calls_no_IoT_API()
    {
        await RecordAsync("pump-1", ExecutionStatus.Queued, minutesAgo: 90, version: 1);
        var before = _api.Records.Executions.Single().Revision;

        await _api.InvokeAsync("api-preview-job-policy.json");

        Assert.Equal(0, _api.Jobs.Calls);
        Assert.Empty(_api.Audit.Entries);
        Assert.Equal(before, _api.Records.Executions.Single().Revision);
        Assert.Empty(_api.PolicyStore.Policies);
    }

    [Fact]
    public async Task Without_a_body_the_stored_policy_is_previewed_with_its_revision()
    {
        await RecordAsync("pump-1", ExecutionStatus.Queued, minutesAgo: 90, version: 1);
        await _api.InvokeAsync(WithBody(Event("api-put-job-policy.json"), QueuedAnHour));

        var reply = await _api.InvokeAsync(WithBody(Event("api-preview-job-policy.json"), null));

        Assert.Equal((200, 1L), (reply.Status, reply.Body["revision"]?.GetValue<long>()));
        Assert.Single(reply.Body["actions"]!.AsArray());
    }

    [Fact]
    public async Task Without_a_body_or_a_stored_policy_the_preview_is_a_404() =>
        Assert.Equal((404, "notFound.policy"), await StatusAndCodeAsync(WithBody(Event("api-preview-job-policy.json"), "")));

    [Fact]
    public async Task A_malformed_preview_body_is_a_400_naming_the_field() =>
        Assert.Equal((400, "validation.timeoutConfig.action.invalid"),
            await StatusAndCodeAsync(WithBody(Event("api-preview-job-policy.json"), """{"timeoutConfig":{"queuedTimeoutInMinutes":60,"action":"DELETE"}}""")));

    [Fact]
    public async Task A_policy_with_nothing_to_do_previews_no_actions()
    {
        await RecordAsync("pump-2", ExecutionStatus.Queued, minutesAgo: 30, version: 1);

        var reply = await _api.InvokeAsync("api-preview-job-policy.json");

        Assert.Empty(reply.Body["actions"]!.AsArray());
    }

    [Fact]
    public async Task A_preview_is_paged_and_its_totals_count_the_whole_plan()
    {
        for (var i = 0; i < 5; i++)
        {
            await RecordAsync($"pump-{i}", ExecutionStatus.Queued, minutesAgo: 90, version: 1);
        }

        var first = await _api.InvokeAsync(WithQuery(Event("api-preview-job-policy.json"), ("limit", "2")));
        var token = first.Body["nextToken"]!.GetValue<string>();
        var second = await _api.InvokeAsync(WithQuery(Event("api-preview-job-policy.json"), ("limit", "2"), ("nextToken", token)));
        var last = await _api.InvokeAsync(WithQuery(Event("api-preview-job-policy.json"), ("limit", "2"), ("nextToken", second.Body["nextToken"]!.GetValue<string>())));

        Assert.Equal(["pump-0", "pump-1", "pump-2", "pump-3", "pump-4"],
            new[] { first, second, last }.SelectMany(reply => reply.Body["actions"]!.AsArray()).Select(action => action!["thingName"]!.GetValue<string>()));
        Assert.All(new[] { first, second, last }, reply => Assert.Equal(5, reply.Body["totals"]?["CancelJobExecution"]?.GetValue<int>()));
        Assert.False(last.Body.ContainsKey("nextToken"));
    }

    [Fact]
    public async Task A_preview_answers_100_actions_a_page_unless_asked_and_never_more_than_1000()
    {
        for (var i = 0; i < 101; i++)
        {
            await RecordAsync($"pump-{i:D3}", ExecutionStatus.Queued, minutesAgo: 90, version: 1);
        }

        var reply = await _api.InvokeAsync("api-preview-job-policy.json");

        Assert.Equal(100, reply.Body["actions"]!.AsArray().Count);
        Assert.NotNull(reply.Body["nextToken"]);
        Assert.Equal((400, "validation.limit.tooLarge"), await StatusAndCodeAsync(WithQuery(Event("api-preview-job-policy.json"), ("limit", "1001"))));
        Assert.Equal((400, "validation.nextToken.invalid"), await StatusAndCodeAsync(WithQuery(Event("api-preview-job-policy.json"), ("nextToken", "bm90LW91cnM="))));
    }

    private async Task<(int, string?)> StatusAndCodeAsync(System.Text.Json.Nodes.JsonObject @event)
    {
        var reply = await _api.InvokeAsync(@event);
        return (reply.Status, reply.Code);
    }
}
