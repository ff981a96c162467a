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

    private async Task<(int, string?)> StatusAndCodeAsync(System.Text.Json.Nodes.JsonObject @event)
    {
        var reply = await _api.InvokeAsync(@event);
        return (reply.Status, reply.Code);
    }
}
