using JobsFunctions.Domain.Policies;
using static JobsFunctions.Tests.Api.ApiHarness;

namespace JobsFunctions.Tests.Api;

public sealed class OperatorApiPolicyTests
{
    private readonly ApiHarness _api = new();

    [Fact]
    public async Task The_sample_put_stores_revision_1_and_answers_it_with_its_ETag()
    {
        var reply = await _api.InvokeAsync("api-put-job-policy.json");

        Assert.Equal(200, reply.Status);
        Assert.Equal("\"1\"", reply.Headers["etag"]);
        Assert.Equal((JobId, 1L), (reply.Body["jobId"]?.GetValue<string>(), reply.Body["revision"]?.GetValue<long>()));
        Assert.Equal("arn:aws:sts::111122223333:assumed-role/JobsOperator/alice", reply.Body["updatedBy"]?.GetValue<string>());
        Assert.Equal(10.0m, reply.Body["policy"]?["abortConfig"]?["criteriaList"]?[0]?["thresholdPercentage"]?.GetValue<decimal>());
        Assert.Equal("CANCEL", reply.Body["policy"]?["timeoutConfig"]?["action"]?.GetValue<string>());
        var stored = await _api.PolicyStore.FindAsync(JobId, TestContext.Current.CancellationToken);
        Assert.Equal(new AbortCriterion(FailureType.Failed, false, 10.0m, 50, WindowInMinutes: 15), Assert.Single(stored!.Policy.AbortCriteria));
    }

    [Fact]
    public async Task Get_answers_the_stored_policy_with_the_same_ETag_and_404_when_there_is_none()
    {
        var none = await _api.InvokeAsync("api-get-job-policy.json");
        Assert.Equal((404, "notFound.policy"), (none.Status, none.Code));

        await _api.InvokeAsync("api-put-job-policy.json");
        var reply = await _api.InvokeAsync("api-get-job-policy.json");

        Assert.Equal((200, "\"1\""), (reply.Status, reply.Headers["etag"]));
        Assert.Equal(1440, reply.Body["policy"]?["timeoutConfig"]?["queuedTimeoutInMinutes"]?.GetValue<int>());
        Assert.False(reply.Body["policy"]?["dryRun"]?.GetValue<bool>());
    }

    [Fact]
    public async Task A_put_with_the_current_ETag_replaces_and_one_with_an_old_ETag_is_a_412()
    {
        await _api.InvokeAsync("api-put-job-policy.json");

        var replaced = await _api.InvokeAsync(WithHeader(Event("api-put-job-policy.json"), "if-match", "\"1\""));
        var stale = await _api.InvokeAsync(WithHeader(Event("api-put-job-policy.json"), "if-match", "\"1\""));

        Assert.Equal((200, "\"2\""), (replaced.Status, replaced.Headers["etag"]));
        Assert.Equal((412, "preconditionFailed.policy.revision"), (stale.Status, stale.Code));
        Assert.Contains("\"2\"", stale.Body["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("W/\"1\"")]
    [InlineData("1")]
    [InlineData("\"one\"")]
    public async Task An_If_Match_that_is_not_a_strong_ETag_of_ours_matches_nothing(string ifMatch)
    {
        await _api.InvokeAsync("api-put-job-policy.json");

        var reply = await _api.InvokeAsync(WithHeader(Event("api-put-job-policy.json"), "if-match", ifMatch));

        Assert.Equal(412, reply.Status);
    }

    [Fact]
    public async Task If_Match_star_replaces_an_existing_policy_and_is_a_412_when_there_is_none()
    {
        Assert.Equal(412, (await _api.InvokeAsync(WithHeader(Event("api-put-job-policy.json"), "if-match", "*"))).Status);
        await _api.InvokeAsync("api-put-job-policy.json");

        Assert.Equal(200, (await _api.InvokeAsync(WithHeader(Event("api-put-job-policy.json"), "if-match", "*"))).Status);
    }

    [Theory]
    [InlineData("""{"abortConfig":{"criteriaList":[{"failureType":"FAILED","action":"CANCEL","thresholdPercentage":10.555,"minNumberOfExecutedThings":10}]}}""",
        "abortConfig.criteriaList[0].thresholdPercentage", "validation.abortConfig.criteriaList.thresholdPercentage.decimals")]
    [InlineData("""{"timeoutConfig":{"queuedTimeoutInMinutes":60,"action":"CANCEL","actoin":"FAIL"}}""",
        "timeoutConfig.actoin", "validation.body.unknownField")]
    [InlineData("""{"timeoutConfig":{"queuedTimeoutInMinutes":"60","action":"CANCEL"}}""",
        "timeoutConfig.queuedTimeoutInMinutes", "validation.body.type")]
    [InlineData("""{"dryRun":true,"dryRun":false}""", "dryRun", "validation.body.duplicateField")]
    [InlineData("""{"abortConfig":{"criteriaList":[{"failureType":"FAILED","action":"CANCEL","windowInMinutes":15}]}}""",
        "abortConfig.criteriaList[0]", "validation.abortConfig.criteriaList.noThreshold")]
    [InlineData("", "abortConfig", "validation.abortConfig.required")]
    public async Task A_malformed_policy_is_a_400_naming_the_field_and_nothing_is_stored(string body, string field, string code)
    {
        var reply = await _api.InvokeAsync(WithBody(Event("api-put-job-policy.json"), body));

        Assert.Equal((400, field, code), (reply.Status, reply.Field, reply.Code));
        Assert.Null(await _api.PolicyStore.FindAsync(JobId, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task A_query_parameter_on_a_policy_route_is_refused()
    {
        var reply = await _api.InvokeAsync(WithQuery(Event("api-put-job-policy.json"), ("force", "true")));

        Assert.Equal((400, "validation.query.unknown"), (reply.Status, reply.Code));
    }

    [Fact]
    public async Task A_put_is_audited_in_the_jobs_trail_with_the_caller_reason_and_revision()
    {
        await _api.InvokeAsync("api-put-job-policy.json");

        var trail = await _api.InvokeAsync("api-list-job-audit.json");

        var entry = trail.Body["entries"]![0]!;
        Assert.Equal(("PutJobPolicy", "PUT /jobs/{jobId}/policy", "success"),
            (entry["operation"]?.GetValue<string>(), entry["route"]?.GetValue<string>(), entry["outcome"]?.GetValue<string>()));
        Assert.Equal("stop the rollout when the flash fails", entry["reason"]?.GetValue<string>());
        Assert.Equal(("1", "10"), (entry["parameters"]?["revision"]?.GetValue<string>(),
            entry["parameters"]?["abortConfig.criteriaList[0].thresholdPercentage"]?.GetValue<string>()));
    }

    [Fact]
    public async Task A_refused_put_is_audited_with_its_error_code()
    {
        await _api.InvokeAsync(WithBody(Event("api-put-job-policy.json"), """{"timeoutConfig":{"queuedTimeoutInMinutes":0,"action":"CANCEL"}}"""));

        var entry = Assert.Single(_api.Audit.Entries);
        Assert.Equal(("validation.timeoutConfig.queuedTimeoutInMinutes.tooSmall", "timeoutConfig.queuedTimeoutInMinutes"), (entry.Outcome, entry.Field));
    }

    [Theory]
    [InlineData("""{"timeoutConfig":{"queuedTimeoutInMinutes":60,"action":"CANCEL","actoin":"FAIL"}}""", "validation.body.unknownField", "timeoutConfig.actoin")]
    [InlineData("""{"timeoutConfig":{"queuedTimeoutInMinutes":"60","action":"CANCEL"}}""", "validation.body.type", "timeoutConfig.queuedTimeoutInMinutes")]
    [InlineData("""{"dryRun":true,"dryRun":false}""", "validation.body.duplicateField", "dryRun")]
    [InlineData("""{"dryRun":tru""", "validation.body.malformed", null)]
    [InlineData("""[]""", "validation.body.type", null)]
    public async Task A_put_refused_for_its_shape_is_audited_with_the_code_the_field_and_what_was_sent(string body, string code, string? field)
    {
        var reply = await _api.InvokeAsync(WithHeader(WithBody(Event("api-put-job-policy.json"), body), "if-match", "\"3\""));

        var entry = Assert.Single(_api.Audit.Entries);
        Assert.Equal((400, code), (reply.Status, entry.Outcome));
        Assert.Equal(field, entry.Field);
        Assert.Equal(("PutJobPolicy", JobId, "stop the rollout when the flash fails"), (entry.Operation, entry.JobId, entry.Reason));
        Assert.Equal(body, entry.Parameters["body"]);
        Assert.Equal("\"3\"", entry.Parameters["ifMatch"]);
    }

    [Fact]
    public async Task A_put_refused_for_a_query_parameter_is_audited_too()
    {
        await _api.InvokeAsync(WithQuery(Event("api-put-job-policy.json"), ("force", "true")));

        var entry = Assert.Single(_api.Audit.Entries);
        Assert.Equal(("validation.query.unknown", "force"), (entry.Outcome, entry.Field));
    }

    [Fact]
    public async Task A_refused_body_is_kept_in_the_trail_only_up_to_a_bound_with_its_full_length()
    {
        var body = $$"""{"dryRun":true,"note":"{{new string('x', 100_000)}}"}""";

        await _api.InvokeAsync(WithBody(Event("api-put-job-policy.json"), body));

        var entry = Assert.Single(_api.Audit.Entries);
        Assert.Equal(("validation.body.unknownField", "note"), (entry.Outcome, entry.Field));
        Assert.Equal(PolicyService.MaxRefusedBodyCharacters + 1, entry.Parameters["body"].Length);
        Assert.StartsWith("""{"dryRun":true,"note":"xxx""", entry.Parameters["body"], StringComparison.Ordinal);
        Assert.EndsWith("…", entry.Parameters["body"], StringComparison.Ordinal);
        Assert.Equal(body.Length.ToString(System.Globalization.CultureInfo.InvariantCulture), entry.Parameters["bodyLength"]);
    }

    [Fact]
    public async Task A_refusal_in_the_trail_answers_with_its_field()
    {
        await _api.InvokeAsync(WithBody(Event("api-put-job-policy.json"), """{"colour":"blue"}"""));

        var trail = await _api.InvokeAsync("api-list-job-audit.json");

        var entry = trail.Body["entries"]![0]!;
        Assert.Equal(("validation.body.unknownField", "colour"), (entry["outcome"]?.GetValue<string>(), entry["field"]?.GetValue<string>()));
    }

    [Fact]
    public async Task Delete_removes_the_policy_honouring_If_Match_and_is_audited()
    {
        await _api.InvokeAsync("api-put-job-policy.json");

        var stale = await _api.InvokeAsync(WithHeader(Event("api-delete-job-policy.json"), "if-match", "\"7\""));
        var deleted = await _api.InvokeAsync(WithHeader(Event("api-delete-job-policy.json"), "if-match", "\"1\""));
        var again = await _api.InvokeAsync("api-delete-job-policy.json");

        Assert.Equal((412, 200, 404), (stale.Status, deleted.Status, again.Status));
        Assert.Equal("{}", deleted.RawBody);
        Assert.Null(await _api.PolicyStore.FindAsync(JobId, TestContext.Current.CancellationToken));
        Assert.Equal(["PutJobPolicy", "DeleteJobPolicy", "DeleteJobPolicy", "DeleteJobPolicy"], _api.Audit.Entries.Select(entry => entry.Operation));
    }

    [Fact]
    public async Task The_policy_routes_never_call_IoT()
    {
        await _api.InvokeAsync("api-put-job-policy.json");
        await _api.InvokeAsync("api-get-job-policy.json");
        await _api.InvokeAsync("api-delete-job-policy.json");

        Assert.Equal(0, _api.Jobs.Calls);
    }
}
