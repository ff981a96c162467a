using JobsFunctions.Domain.Executions;
using static JobsFunctions.Tests.Api.ApiHarness;

namespace JobsFunctions.Tests.Api;

/// <summary>What the API answers to bodies and query strings that are not well-formed requests: 400s that name the field.</summary>
public sealed class OperatorApiBodyTests
{
    private readonly ApiHarness _api = new();

    public OperatorApiBodyTests() => _api.Jobs.AddExecution(JobId, ThingName, ExecutionStatus.Queued);

    private Task<ApiReply> UpdateExecution(string body) => _api.InvokeAsync(WithBody(Event("api-update-job-execution.json"), body));

    private Task<ApiReply> UpdateJob(string body) => _api.InvokeAsync(WithBody(Event("api-update-job.json"), body));

    [Theory]
    [InlineData("""{"status":"SUCCEEDED","statusDetail":{"a":"b"}}""", "statusDetail")]
    [InlineData("""{"status":"SUCCEEDED","Status":"FAILED"}""", "Status")]
    [InlineData("""{"status":"SUCCEEDED","clientToken":"abc"}""", "clientToken")]
    [InlineData("""{"status":"SUCCEEDED","jobId":"other-job"}""", "jobId")]
    public async Task An_unknown_field_is_a_400_naming_it(string body, string field)
    {
        var reply = await UpdateExecution(body);

        Assert.Equal((400, "validation.body.unknownField", field), (reply.Status, reply.Code, reply.Field));
        Assert.Equal(0, _api.Jobs.Calls);
    }

    [Fact]
    public async Task An_unknown_field_deep_in_a_structure_is_named_by_its_path()
    {
        var reply = await UpdateJob("""{"abortConfig":{"criteriaList":[{"failureType":"ALL","action":"CANCEL","thresholdPercentge":5,"minNumberOfExecutedThings":1}]}}""");

        Assert.Equal(("validation.body.unknownField", "abortConfig.criteriaList[0].thresholdPercentge"), (reply.Code, reply.Field));
    }

    [Theory]
    [InlineData("""{"status":""")]
    [InlineData("""{"status":"SUCCEEDED",}""")]
    [InlineData("""{"status":"SUCCEEDED"} trailing""")]
    [InlineData("status=SUCCEEDED")]
    public async Task Malformed_JSON_is_a_400_without_parser_text(string body)
    {
        var reply = await UpdateExecution(body);

        Assert.Equal((400, "validation.body.malformed"), (reply.Status, reply.Code));
        Assert.StartsWith("The request body is not valid JSON (line 1, byte ", reply.Body["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(0, _api.Jobs.Calls);
    }

    [Theory]
    [InlineData("""["SUCCEEDED"]""", null)]
    [InlineData("""{"status":3}""", "status")]
    [InlineData("""{"status":"SUCCEEDED","expectedVersion":"2"}""", "expectedVersion")]
    [InlineData("""{"status":"SUCCEEDED","expectedVersion":2.5}""", "expectedVersion")]
    [InlineData("""{"status":"SUCCEEDED","includeJobDocument":"true"}""", "includeJobDocument")]
    [InlineData("""{"status":"SUCCEEDED","statusDetails":["a"]}""", "statusDetails")]
    [InlineData("""{"status":"SUCCEEDED","statusDetails":{"step":1}}""", "statusDetails.step")]
    [InlineData("""{"status":"SUCCEEDED","stepTimeoutInMinutes":1e3}""", "stepTimeoutInMinutes")]
    [InlineData("""{"status":"SUCCEEDED","executionNumber":99999999999999999999}""", "executionNumber")]
    public async Task A_value_of_the_wrong_JSON_type_is_a_400_naming_the_field(string body, string? field)
    {
        var reply = await UpdateExecution(body);

        Assert.Equal((400, "validation.body.type", field), (reply.Status, reply.Code, reply.Field));
        Assert.Equal(0, _api.Jobs.Calls);
    }

    [Theory]
    [InlineData("""{"timeoutConfig":{"inProgressTimeoutInMinutes":"60"}}""", "timeoutConfig.inProgressTimeoutInMinutes")]
    [InlineData("""{"jobExecutionsRolloutConfig":{"maximumPerMinute":3000000000}}""", "jobExecutionsRolloutConfig.maximumPerMinute")]
    [InlineData("""{"abortConfig":{"criteriaList":{"failureType":"ALL"}}}""", "abortConfig.criteriaList")]
    [InlineData("""{"abortConfig":{"criteriaList":[{"thresholdPercentage":"5"}]}}""", "abortConfig.criteriaList[0].thresholdPercentage")]
    [InlineData("""{"abortConfig":{"criteriaList":[{"thresholdPercentage":1e400}]}}""", "abortConfig.criteriaList[0].thresholdPercentage")]
    [InlineData("""{"abortConfig":{"criteriaList":[{"thresholdPercentage":10.000000000000000000000000000001}]}}""", "abortConfig.criteriaList[0].thresholdPercentage")]
    [InlineData("""{"presignedUrlConfig":"arn:aws:iam::111122223333:role/x"}""", "presignedUrlConfig")]
    public async Task Wrong_types_in_nested_structures_are_named_by_their_path(string body, string field)
    {
        var reply = await UpdateJob(body);

        Assert.Equal((400, "validation.body.type", field), (reply.Status, reply.Code, reply.Field));
    }

    [Theory]
    [InlineData("""{"status":"SUCCEEDED","status":"FAILED"}""", "status")]
    [InlineData("""{"status":"FAILED","statusDetails":{"step":"a","step":"b"}}""", "statusDetails.step")]
    public async Task A_field_given_twice_is_a_400_rather_than_a_silent_last_wins(string body, string field)
    {
        var reply = await UpdateExecution(body);

        Assert.Equal((400, "validation.body.duplicateField", field), (reply.Status, reply.Code, reply.Field));
    }

    [Theory]
    [InlineData("1.50")]
    [InlineData("1.5")]
    [InlineData("15e-1")]
    public async Task An_increment_factor_is_judged_by_its_value_however_it_is_spelt(string factor)
    {
        var body = """{"jobExecutionsRolloutConfig":{"exponentialRate":{"baseRatePerMinute":10,"incrementFactor":FACTOR,"rateIncreaseCriteria":{"numberOfNotifiedThings":5}}}}""";

        var reply = await UpdateJob(body.Replace("FACTOR", factor, StringComparison.Ordinal));

        Assert.Equal(200, reply.Status);
        Assert.Equal(1.5m, _api.Jobs.UpdateJobCalls[^1].JobExecutionsRolloutConfig?.ExponentialRate?.IncrementFactor);
    }

    [Fact]
    public async Task Null_members_count_as_absent()
    {
        var reply = await UpdateExecution("""{"status":"IN_PROGRESS","statusDetails":null,"expectedVersion":null}""");

        Assert.Equal(200, reply.Status);
    }

    [Fact]
    public async Task A_missing_body_is_an_empty_request()
    {
        var reply = await UpdateExecution("");

        Assert.Equal((400, "validation.status.required"), (reply.Status, reply.Code));
        Assert.Equal(200, (await _api.InvokeAsync(WithBody(Event("api-cancel-job-execution.json"), null))).Status);
    }

    [Theory]
    [InlineData("yes")]
    [InlineData("TRUE")]
    [InlineData("")]
    public async Task Force_must_be_true_or_false(string force)
    {
        var reply = await _api.InvokeAsync(WithQuery(Event("api-cancel-job-execution.json"), ("force", force)));

        Assert.Equal((400, "validation.force.type", "force"), (reply.Status, reply.Code, reply.Field));
        Assert.Equal(0, _api.Jobs.Calls);
    }

    [Fact]
    public async Task A_query_parameter_the_route_does_not_take_is_a_400_naming_it()
    {
        var reply = await _api.InvokeAsync(WithQuery(Event("api-cancel-job-execution.json"), ("force", "true"), ("forced", "true")));

        Assert.Equal((400, "validation.query.unknown", "forced"), (reply.Status, reply.Code, reply.Field));
    }

    [Fact]
    public async Task An_invalid_path_parameter_is_a_400_from_the_domain_rules()
    {
        var @event = Event("api-update-job-execution.json");
        @event["pathParameters"]!["jobId"] = "fw.2026";

        var reply = await _api.InvokeAsync(@event);

        Assert.Equal((400, "validation.jobId.pattern", "jobId"), (reply.Status, reply.Code, reply.Field));
    }

    [Fact]
    public async Task An_empty_reason_header_is_refused()
    {
        var reply = await _api.InvokeAsync(WithHeader(Event("api-update-job-execution.json"), "x-jobs-reason", ""));

        Assert.Equal((400, "validation.reason.tooShort"), (reply.Status, reply.Code));
    }
}
