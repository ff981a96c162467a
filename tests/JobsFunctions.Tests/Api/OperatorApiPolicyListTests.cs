using JobsFunctions.Domain.Policies;
using static JobsFunctions.Tests.Api.ApiHarness;

namespace JobsFunctions.Tests.Api;

public sealed class OperatorApiPolicyListTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 22, 18, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task The_jobs_with_a_policy_are_listed_by_job_id_with_revision_and_dryRun_page_by_page()
    {
        var api = new ApiHarness();
        await Store(api, "job-c", revision: 1, dryRun: false);
        await Store(api, "job-a", revision: 4, dryRun: true);
        await Store(api, "job-b", revision: 2, dryRun: false);

        var first = await api.InvokeAsync(WithQuery(Event("api-list-policies.json"), ("limit", "2")));
        var second = await api.InvokeAsync(WithQuery(Event("api-list-policies.json"), ("limit", "2"), ("nextToken", first.Body["nextToken"]!.GetValue<string>())));

        Assert.Equal((200, 200), (first.Status, second.Status));
        Assert.Equal([("job-a", 4L, true), ("job-b", 2L, false)], Summaries(first));
        Assert.Equal([("job-c", 1L, false)], Summaries(second));
        Assert.Null(second.Body["nextToken"]);
        Assert.Equal("arn:aws:iam::111122223333:user/alice", first.Body["policies"]![0]!["updatedBy"]!.GetValue<string>());
        Assert.Null(first.Body["defaultPolicy"]);
    }

    [Fact]
    public async Task A_configured_DefaultPolicy_is_listed_apart_from_the_jobs_own_policies()
    {
        var api = new ApiHarness(new JobPolicy(true, [], new PolicyTimeouts(QueuedTimeoutInMinutes: 1440, Action: TimeoutAction.Fail)));

        var reply = await api.InvokeAsync("api-list-policies.json");

        Assert.Equal(200, reply.Status);
        Assert.Empty(reply.Body["policies"]!.AsArray());
        var defaultPolicy = reply.Body["defaultPolicy"]!;
        Assert.True(defaultPolicy["dryRun"]!.GetValue<bool>());
        Assert.Equal((1440, "FAIL"), (defaultPolicy["timeoutConfig"]!["queuedTimeoutInMinutes"]!.GetValue<int>(), defaultPolicy["timeoutConfig"]!["action"]!.GetValue<string>()));
    }

    [Theory]
    [InlineData("limit", "0", "limit")]
    [InlineData("limit", "251", "limit")]
    [InlineData("limit", "ten", "limit")]
    [InlineData("jobId", "job-a", "jobId")]
    public async Task A_bad_query_is_a_400_naming_the_parameter(string name, string value, string field)
    {
        var reply = await new ApiHarness().InvokeAsync(WithQuery(Event("api-list-policies.json"), (name, value)));

        Assert.Equal((400, field), (reply.Status, reply.Field));
    }

    [Fact]
    public async Task Listing_policies_is_a_read_and_leaves_no_audit_entry()
    {
        var api = new ApiHarness();

        await api.InvokeAsync("api-list-policies.json");

        Assert.Empty(api.Audit.Entries);
        Assert.Equal(0, api.Jobs.Calls);
    }

    private static Task Store(ApiHarness api, string jobId, long revision, bool dryRun) => api.PolicyStore.TryPutAsync(
        new StoredPolicy(jobId, new JobPolicy(dryRun, [new AbortCriterion(FailureType.Failed, ThresholdCount: 3)], null), revision, At,
            "arn:aws:iam::111122223333:user/alice"),
        expectedRevision: null, TestContext.Current.CancellationToken);

    private static List<(string, long, bool)> Summaries(ApiReply reply) => [.. reply.Body["policies"]!.AsArray().Select(policy =>
        (policy!["jobId"]!.GetValue<string>(), policy["revision"]!.GetValue<long>(), policy["dryRun"]!.GetValue<bool>()))];
}
