using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using JobsFunctions.Aws.Iot;
using JobsFunctions.Aws.Iot.Control;
using JobsFunctions.Aws.Iot.Http;
using JobsFunctions.Aws.Iot.JobsData;
using JobsFunctions.Aws.Tests.Support;
using JobsFunctions.Domain.Errors;
using JobsFunctions.Domain.Executions;
using JobsFunctions.Domain.Operations;
using AbortConfig = JobsFunctions.Domain.Operations.AbortConfig;
using AbortCriteria = JobsFunctions.Domain.Operations.AbortCriteria;
using ExponentialRolloutRate = JobsFunctions.Domain.Operations.ExponentialRolloutRate;
using JobExecutionsRetryConfig = JobsFunctions.Domain.Operations.JobExecutionsRetryConfig;
using JobExecutionsRolloutConfig = JobsFunctions.Domain.Operations.JobExecutionsRolloutConfig;
using PresignedUrlConfig = JobsFunctions.Domain.Operations.PresignedUrlConfig;
using RateIncreaseCriteria = JobsFunctions.Domain.Operations.RateIncreaseCriteria;
using RetryCriteria = JobsFunctions.Domain.Operations.RetryCriteria;
using TimeoutConfig = JobsFunctions.Domain.Operations.TimeoutConfig;

namespace JobsFunctions.Aws.Tests.Iot;

/// <summary>
/// The IoT Jobs adapter against scripted AWS answers: what each operation puts on the wire, how each answer reads
/// back, and which domain error each AWS error becomes.
/// </summary>
public sealed class IotJobsControlTests : IDisposable
{
    private static readonly RetryOptions NoRetry = new() { MaxAttempts = 1 };

    private readonly TestClients _clients = new();
    private readonly IotControlClient _control;
    private readonly IotJobsDataClient _jobsData;
    private readonly IotJobsControl _jobs;

    public IotJobsControlTests()
    {
        _control = _clients.Control(NoRetry);
        _jobsData = _clients.JobsData(NoRetry);
        _jobs = new IotJobsControl(_control, _jobsData);
    }

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private ScriptedHandler Aws => _clients.Handler;

    private RecordedRequest Sent => Assert.Single(Aws.Requests);

    public static UpdateJob FullUpdateJob { get; } = new(
        "fw-2024_07",
        NamespaceId: "greengrass",
        Description: "Roll out firmware 2.1",
        PresignedUrlConfig: new PresignedUrlConfig("arn:aws:iam::123456789012:role/JobsPresign", 900),
        JobExecutionsRolloutConfig: new JobExecutionsRolloutConfig(200, new ExponentialRolloutRate(10, 1.7m, new RateIncreaseCriteria(50, 25))),
        AbortConfig: new AbortConfig([new AbortCriteria("FAILED", "CANCEL", 10.55m, 20), new AbortCriteria("TIMED_OUT", "CANCEL", 99.99m, 1)]),
        TimeoutConfig: new TimeoutConfig(120),
        JobExecutionsRetryConfig: new JobExecutionsRetryConfig([new RetryCriteria("FAILED", 3), new RetryCriteria("TIMED_OUT", 2)]));

    [Fact]
    public async Task UpdateJob_sends_every_member_of_the_command_where_AWS_expects_it()
    {
        Aws.Then(HttpStatusCode.OK, "");

        var result = await _jobs.UpdateJobAsync(FullUpdateJob, Token);

        Assert.True(result.IsSuccess);
        Assert.Equal("PATCH", Sent.Method);
        Assert.Equal("https://iot.eu-west-1.amazonaws.com/jobs/fw-2024_07?namespaceId=greengrass", Sent.Uri.AbsoluteUri);
        Assert.Contains("/eu-west-1/iot/aws4_request", Sent.Header("Authorization"), StringComparison.Ordinal);
        AssertJson("""
            {"description":"Roll out firmware 2.1",
             "presignedUrlConfig":{"roleArn":"arn:aws:iam::123456789012:role/JobsPresign","expiresInSec":900},
             "jobExecutionsRolloutConfig":{"maximumPerMinute":200,"exponentialRate":{"baseRatePerMinute":10,"incrementFactor":1.7,
               "rateIncreaseCriteria":{"numberOfNotifiedThings":50,"numberOfSucceededThings":25}}},
             "abortConfig":{"criteriaList":[
               {"failureType":"FAILED","action":"CANCEL","thresholdPercentage":10.55,"minNumberOfExecutedThings":20},
               {"failureType":"TIMED_OUT","action":"CANCEL","thresholdPercentage":99.99,"minNumberOfExecutedThings":1}]},
             "timeoutConfig":{"inProgressTimeoutInMinutes":120},
             "jobExecutionsRetryConfig":{"criteriaList":[{"failureType":"FAILED","numberOfRetries":3},{"failureType":"TIMED_OUT","numberOfRetries":2}]}}
            """, Sent.BodyText);
        Assert.Contains("\"thresholdPercentage\":10.55,", Sent.BodyText, StringComparison.Ordinal);
        Assert.Contains("\"incrementFactor\":1.7,", Sent.BodyText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UpdateJob_of_a_description_alone_sends_nothing_else()
    {
        Aws.Then(HttpStatusCode.OK, "");

        await _jobs.UpdateJobAsync(new UpdateJob("fw-1", Description: "Paused for review"), Token);

        Assert.Equal("https://iot.eu-west-1.amazonaws.com/jobs/fw-1", Sent.Uri.AbsoluteUri);
        AssertJson("""{"description":"Paused for review"}""", Sent.BodyText);
    }

    [Fact]
    public void Every_threshold_and_increment_factor_the_rules_accept_goes_on_the_wire_as_written()
    {
        var thresholds = Enumerable.Range(1, 10_000).Select(hundredths => hundredths / 100m);
        var factors = Enumerable.Range(11, 40).Select(tenths => tenths / 10m);

        var misprinted = thresholds.Zip(factors.Concat(Enumerable.Repeat(1.5m, 10_000)))
            .Select(pair => (pair.First, pair.Second, Wire: WireText(pair.First, pair.Second)))
            .Where(sent => !sent.Wire.Contains($"\"thresholdPercentage\":{Plain(sent.First)},", StringComparison.Ordinal)
                || !sent.Wire.Contains($"\"incrementFactor\":{Plain(sent.Second)},", StringComparison.Ordinal))
            .Select(sent => sent.Wire)
            .ToList();

        Assert.Empty(misprinted);
    }

    [Theory]
    [InlineData("10.55", "10.55")]
    [InlineData("10.550000000000000000000000", "10.55")]
    [InlineData("10.55000000000000000000000000", "10.55")]
    [InlineData("10.50", "10.5")]
    [InlineData("100.00", "100")]
    [InlineData("0.01", "0.01")]
    [InlineData("4.9", "4.9")]
    public void A_decimal_as_a_JSON_body_may_spell_it_is_sent_as_its_shortest_exact_number(string spelled, string onTheWire)
    {
        var value = decimal.Parse(spelled, CultureInfo.InvariantCulture);

        Assert.Contains($"\"thresholdPercentage\":{onTheWire},", WireText(value, 1.5m), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CancelJobExecution_sends_force_in_the_query_and_the_version_and_details_in_the_body()
    {
        Aws.Then(HttpStatusCode.OK, "");
        var details = new Dictionary<string, string> { ["reason"] = "operator", ["ticket"] = "OPS-12" };

        var result = await _jobs.CancelJobExecutionAsync(new CancelJobExecution("fw-1", "site:pump-7", Force: true, ExpectedVersion: 4, details), Token);

        Assert.True(result.IsSuccess);
        Assert.Equal("PUT", Sent.Method);
        Assert.Equal("https://iot.eu-west-1.amazonaws.com/things/site%3Apump-7/jobs/fw-1/cancel?force=true", Sent.Uri.AbsoluteUri);
        AssertJson("""{"expectedVersion":4,"statusDetails":{"reason":"operator","ticket":"OPS-12"}}""", Sent.BodyText);
    }

    [Fact]
    public async Task CancelJobExecution_without_options_sends_no_force_and_an_empty_body()
    {
        Aws.Then(HttpStatusCode.OK, "");

        await _jobs.CancelJobExecutionAsync(new CancelJobExecution("fw-1", "pump-7", Force: false), Token);

        Assert.Equal("https://iot.eu-west-1.amazonaws.com/things/pump-7/jobs/fw-1/cancel?force=false", Sent.Uri.AbsoluteUri);
        AssertJson("{}", Sent.BodyText);
    }

    [Fact]
    public async Task UpdateJobExecution_goes_to_the_data_plane_and_reads_back_the_state_and_the_job_document()
    {
        Aws.Then(HttpStatusCode.OK, """
            {"executionState":{"status":"IN_PROGRESS","statusDetails":{"step":"2/5"},"versionNumber":5},
             "jobDocument":"{\"operation\":\"reboot\"}"}
            """);
        var command = new UpdateJobExecution("fw-1", "pump-7", "IN_PROGRESS", new Dictionary<string, string> { ["step"] = "2/5" },
            StepTimeoutInMinutes: -1, ExpectedVersion: 4, IncludeJobExecutionState: true, IncludeJobDocument: true, ExecutionNumber: 12345678901);

        var result = await _jobs.UpdateJobExecutionAsync(command, Token);

        Assert.Equal("POST", Sent.Method);
        Assert.Equal("https://data.jobs.iot.eu-west-1.amazonaws.com/things/pump-7/jobs/fw-1", Sent.Uri.AbsoluteUri);
        Assert.Contains("/eu-west-1/iot-jobs-data/aws4_request", Sent.Header("Authorization"), StringComparison.Ordinal);
        AssertJson("""
            {"status":"IN_PROGRESS","statusDetails":{"step":"2/5"},"stepTimeoutInMinutes":-1,"expectedVersion":4,
             "includeJobExecutionState":true,"includeJobDocument":true,"executionNumber":12345678901}
            """, Sent.BodyText);
        var state = result.Value.ExecutionState!;
        Assert.Equal((ExecutionStatus.InProgress, 5L), (state.Status, state.VersionNumber));
        Assert.Equal(new Dictionary<string, string> { ["step"] = "2/5" }, state.StatusDetails);
        Assert.Equal("""{"operation":"reboot"}""", result.Value.JobDocument);
    }

    [Fact]
    public async Task UpdateJobExecution_answers_neither_state_nor_document_when_AWS_sends_none()
    {
        Aws.Then(HttpStatusCode.OK, "{}");

        var result = await _jobs.UpdateJobExecutionAsync(new UpdateJobExecution("fw-1", "pump-7", "SUCCEEDED"), Token);

        AssertJson("""{"status":"SUCCEEDED"}""", Sent.BodyText);
        Assert.Equal(new ExecutionUpdate(null, null), result.Value);
    }

    [Fact]
    public async Task An_accepted_update_whose_state_has_an_unknown_status_still_succeeds_without_the_state()
    {
        Aws.Then(HttpStatusCode.OK, """{"executionState":{"status":"PAUSED","versionNumber":5},"jobDocument":"{}"}""");

        var result = await _jobs.UpdateJobExecutionAsync(new UpdateJobExecution("fw-1", "pump-7", "IN_PROGRESS"), Token);

        Assert.Equal(new ExecutionUpdate(null, "{}"), result.Value);
    }

    [Fact]
    public async Task DescribeJobExecution_reads_the_control_plane_execution_with_its_details_map_flattened()
    {
        Aws.Then(HttpStatusCode.OK, """
            {"execution":{"jobId":"fw-1","status":"CANCELED","forceCanceled":true,
             "statusDetails":{"detailsMap":{"reason":"operator","step":"3/5"}},
             "thingArn":"arn:aws:iot:eu-west-1:123456789012:thing/site:pump-7",
             "queuedAt":1700000000,"startedAt":1700000010.5,"lastUpdatedAt":1700000099.25,
             "executionNumber":3,"versionNumber":7}}
            """);

        var result = await _jobs.DescribeJobExecutionAsync("fw-1", "site:pump-7", 3, Token);

        Assert.Equal("GET", Sent.Method);
        Assert.Equal("https://iot.eu-west-1.amazonaws.com/things/site%3Apump-7/jobs/fw-1?executionNumber=3", Sent.Uri.AbsoluteUri);
        Assert.Null(Sent.Body);
        var execution = result.Value;
        Assert.Equal(("fw-1", "site:pump-7", ExecutionStatus.Canceled, 7L, 3L, true),
            (execution.JobId, execution.ThingName, execution.Status, execution.VersionNumber, execution.ExecutionNumber, execution.ForceCanceled));
        Assert.Equal(new Dictionary<string, string> { ["reason"] = "operator", ["step"] = "3/5" }, execution.StatusDetails);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1700000000), execution.QueuedAt);
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1700000010500), execution.StartedAt);
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1700000099250), execution.LastUpdatedAt);
    }

    [Fact]
    public async Task DescribeJobExecution_without_a_number_asks_for_the_latest_and_fills_what_AWS_leaves_out()
    {
        Aws.Then(HttpStatusCode.OK, """{"execution":{"jobId":"fw-1","status":"QUEUED","versionNumber":1,"executionNumber":1}}""");

        var execution = (await _jobs.DescribeJobExecutionAsync("fw-1", "pump-7", null, Token)).Value;

        Assert.Equal("https://iot.eu-west-1.amazonaws.com/things/pump-7/jobs/fw-1", Sent.Uri.AbsoluteUri);
        Assert.Equal((ExecutionStatus.Queued, 1L, 1L), (execution.Status, execution.VersionNumber, execution.ExecutionNumber));
        Assert.Empty(execution.StatusDetails);
        Assert.False(execution.ForceCanceled);
        Assert.Null(execution.StartedAt);
    }

    [Theory]
    [InlineData("""{"execution":{"jobId":"fw-1","status":"PAUSED","versionNumber":1}}""")]
    [InlineData("""{}""")]
    [InlineData("""<html><body>Service Temporarily Unavailable</body></html>""")]
    public async Task A_description_that_cannot_be_read_is_unavailable(string body)
    {
        Aws.Then(HttpStatusCode.OK, body);

        var error = (await _jobs.DescribeJobExecutionAsync("fw-1", "pump-7", null, Token)).Error!;

        Assert.Equal((ErrorKind.Unavailable, "unavailable"), (error.Kind, error.Code));
        Assert.Equal("AWS IoT's answer to DescribeJobExecution could not be read.", error.Message);
    }

    [Fact]
    public async Task An_update_answered_with_a_body_that_is_not_JSON_is_unavailable_and_says_AWS_accepted_it()
    {
        Aws.Then(HttpStatusCode.OK, "<html>ok</html>");

        var error = (await _jobs.UpdateJobExecutionAsync(new UpdateJobExecution("fw-1", "pump-7", "SUCCEEDED"), Token)).Error!;

        Assert.Equal(ErrorKind.Unavailable, error.Kind);
        Assert.Equal("AWS IoT accepted UpdateJobExecution but its answer could not be read.", error.Message);
    }

    [Theory]
    [InlineData("InvalidRequestException", 400, ErrorKind.Validation, "validation.request.rejected")]
    [InlineData("CertificateValidationException", 400, ErrorKind.Validation, "validation.request.rejected")]
    [InlineData("ResourceNotFoundException", 404, ErrorKind.NotFound, "notFound.resource")]
    [InlineData("VersionConflictException", 409, ErrorKind.Conflict, "conflict.version")]
    [InlineData("InvalidStateTransitionException", 409, ErrorKind.Conflict, "conflict.invalidTransition")]
    [InlineData("TerminalStateException", 410, ErrorKind.Conflict, "conflict.terminal")]
    [InlineData("ThrottlingException", 400, ErrorKind.Throttled, "throttled")]
    [InlineData("ThrottlingException", 429, ErrorKind.Throttled, "throttled")]
    [InlineData("TooManyRequestsException", 429, ErrorKind.Throttled, "throttled")]
    [InlineData("LimitExceededException", 410, ErrorKind.Throttled, "throttled")]
    [InlineData("RequestThrottled", 400, ErrorKind.Throttled, "throttled")]
    [InlineData("ServiceUnavailableException", 503, ErrorKind.Unavailable, "unavailable")]
    [InlineData("InternalFailureException", 500, ErrorKind.Unavailable, "unavailable")]
    [InlineData("BadGateway", 502, ErrorKind.Unavailable, "unavailable")]
    public async Task Each_AWS_error_becomes_the_same_domain_error_on_both_planes(string awsCode, int status, ErrorKind kind, string code)
    {
        Aws.Then((HttpStatusCode)status, """{"message":"m"}""", ("x-amzn-ErrorType", awsCode))
            .Then((HttpStatusCode)status, $$"""{"__type":"com.amazonaws.iotjobsdata#{{awsCode}}","message":"m"}""");

        var control = (await _jobs.CancelJobExecutionAsync(new CancelJobExecution("fw-1", "pump-7"), Token)).Error!;
        var data = (await _jobs.UpdateJobExecutionAsync(new UpdateJobExecution("fw-1", "pump-7", "SUCCEEDED"), Token)).Error!;

        Assert.Equal((kind, code), (control.Kind, control.Code));
        Assert.Equal((kind, code), (data.Kind, data.Code));
    }

    [Fact]
    public async Task Control_plane_throttling_arrives_as_a_400_and_is_throttled_with_the_wait_AWS_asked_for()
    {
        Aws.Then(HttpStatusCode.BadRequest, """{"message":"Rate exceeded"}""", ("x-amzn-ErrorType", "ThrottlingException"), ("Retry-After", "7"));

        var error = (await _jobs.UpdateJobAsync(new UpdateJob("fw-1", Description: "d"), Token)).Error!;

        Assert.Equal(ErrorKind.Throttled, error.Kind);
        Assert.Equal(TimeSpan.FromSeconds(7), error.RetryAfter);
        Assert.Equal("AWS IoT is throttling UpdateJob; retry later: Rate exceeded", error.Message);
    }

    [Fact]
    public async Task Throttling_that_outlasts_every_retry_is_throttled_without_a_wait_when_AWS_named_none()
    {
        using var control = _clients.Control();
        using var jobsData = _clients.JobsData();
        var jobs = new IotJobsControl(control, jobsData);
        for (var attempt = 0; attempt < RetryOptions.Default.MaxAttempts; attempt++)
        {
            Aws.Then(HttpStatusCode.TooManyRequests, """{"message":"Too Many Requests"}""", ("x-amzn-ErrorType", "ThrottlingException"));
        }

        var error = (await jobs.UpdateJobExecutionAsync(new UpdateJobExecution("fw-1", "pump-7", "IN_PROGRESS"), Token)).Error!;

        Assert.Equal(ErrorKind.Throttled, error.Kind);
        Assert.Null(error.RetryAfter);
        Assert.Equal(RetryOptions.Default.MaxAttempts, Aws.Requests.Count);
    }

    [Fact]
    public async Task VersionConflict_and_InvalidStateTransition_share_409_but_not_their_codes()
    {
        Aws.Then(HttpStatusCode.Conflict, """{"message":"The version does not match"}""", ("x-amzn-ErrorType", "VersionConflictException"))
            .Then(HttpStatusCode.Conflict, """{"message":"IN_PROGRESS needs force"}""", ("x-amzn-ErrorType", "InvalidStateTransitionException"));
        var cancel = new CancelJobExecution("fw-1", "pump-7", ExpectedVersion: 3);

        var conflict = (await _jobs.CancelJobExecutionAsync(cancel, Token)).Error!;
        var transition = (await _jobs.CancelJobExecutionAsync(cancel, Token)).Error!;

        Assert.Equal(JobsControlErrors.VersionConflictCode, conflict.Code);
        Assert.Equal("The execution is no longer at the expected version 3: The version does not match", conflict.Message);
        Assert.Equal(JobsControlErrors.InvalidTransitionCode, transition.Code);
        Assert.Equal("AWS IoT refused CancelJobExecution: the execution cannot make that change: IN_PROGRESS needs force", transition.Message);
        Assert.Null(transition.CurrentState);
    }

    [Fact]
    public async Task An_invalid_transition_carries_the_execution_state_AWS_sent_with_it()
    {
        Aws.Then(HttpStatusCode.Conflict, """
            {"message":"Job execution is in a terminal state",
             "executionState":{"status":"SUCCEEDED","statusDetails":{"result":"ok"},"versionNumber":6}}
            """, ("x-amzn-ErrorType", "InvalidStateTransitionException"));

        var error = (await _jobs.UpdateJobExecutionAsync(new UpdateJobExecution("fw-1", "pump-7", "IN_PROGRESS", ExpectedVersion: 4), Token)).Error!;

        Assert.Equal(JobsControlErrors.InvalidTransitionCode, error.Code);
        Assert.Equal((ExecutionStatus.Succeeded, 6L), (error.CurrentState!.Status, error.CurrentState.VersionNumber));
        Assert.Equal(new Dictionary<string, string> { ["result"] = "ok" }, error.CurrentState.StatusDetails);
        Assert.Equal("AWS IoT refused UpdateJobExecution: the execution cannot make that change from SUCCEEDED: Job execution is in a terminal state", error.Message);
    }

    [Fact]
    public async Task A_refused_update_of_an_open_execution_at_another_version_is_a_version_conflict_with_its_state()
    {
        Aws.Then(HttpStatusCode.Conflict, """{"message":"m","executionState":{"status":"IN_PROGRESS","versionNumber":5}}""",
            ("x-amzn-ErrorType", "InvalidStateTransitionException"));

        var error = (await _jobs.UpdateJobExecutionAsync(new UpdateJobExecution("fw-1", "pump-7", "SUCCEEDED", ExpectedVersion: 4), Token)).Error!;

        Assert.Equal(JobsControlErrors.VersionConflictCode, error.Code);
        Assert.Equal((ExecutionStatus.InProgress, 5L), (error.CurrentState!.Status, error.CurrentState.VersionNumber));
        Assert.Empty(error.CurrentState.StatusDetails);
        Assert.StartsWith("The execution is at version 5, not the expected version 4", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_refusal_without_an_expected_version_stays_an_invalid_transition()
    {
        Aws.Then(HttpStatusCode.Conflict, """{"message":"m","executionState":{"status":"IN_PROGRESS","versionNumber":5}}""",
            ("x-amzn-ErrorType", "InvalidStateTransitionException"));

        var error = (await _jobs.UpdateJobExecutionAsync(new UpdateJobExecution("fw-1", "pump-7", "SUCCEEDED"), Token)).Error!;

        Assert.Equal(JobsControlErrors.InvalidTransitionCode, error.Code);
        Assert.Equal(ExecutionStatus.InProgress, error.CurrentState!.Status);
    }

    [Fact]
    public async Task A_short_plain_AWS_message_is_passed_on_after_our_own_sentence()
    {
        Aws.Then(HttpStatusCode.NotFound, """{"message":"Job fw-1 does not exist on thing pump-7."}""", ("x-amzn-ErrorType", "ResourceNotFoundException"));

        var error = (await _jobs.DescribeJobExecutionAsync("fw-1", "pump-7", 2, Token)).Error!;

        Assert.Equal("AWS IoT found no execution 2 of job fw-1 on thing pump-7: Job fw-1 does not exist on thing pump-7.", error.Message);
    }

    [Theory]
    [InlineData("line one\nline two")]
    [InlineData("tab\there")]
    [InlineData("right-to-left \u202Eoverride")]
    [InlineData("line\u2028separator")]
    [InlineData("   ")]
    public async Task An_AWS_message_with_characters_unfit_to_show_is_left_out(string message)
    {
        Aws.Then(HttpStatusCode.NotFound, new JsonObject { ["message"] = message }.ToJsonString(), ("x-amzn-ErrorType", "ResourceNotFoundException"));

        var error = (await _jobs.CancelJobExecutionAsync(new CancelJobExecution("fw-1", "pump-7"), Token)).Error!;

        Assert.Equal("AWS IoT found no execution of job fw-1 on thing pump-7.", error.Message);
    }

    [Fact]
    public async Task An_AWS_message_is_passed_on_up_to_the_length_limit_and_not_beyond()
    {
        var longest = new string('x', ServiceMessages.MaxLength);
        Aws.Then(HttpStatusCode.BadRequest, new JsonObject { ["message"] = longest }.ToJsonString(), ("x-amzn-ErrorType", "InvalidRequestException"))
            .Then(HttpStatusCode.BadRequest, new JsonObject { ["message"] = longest + "x" }.ToJsonString(), ("x-amzn-ErrorType", "InvalidRequestException"));

        var kept = (await _jobs.UpdateJobAsync(new UpdateJob("fw-1", Description: "d"), Token)).Error!;
        var dropped = (await _jobs.UpdateJobAsync(new UpdateJob("fw-1", Description: "d"), Token)).Error!;

        Assert.Equal($"AWS IoT refused UpdateJob as invalid: {longest}", kept.Message);
        Assert.Equal("AWS IoT refused UpdateJob as invalid.", dropped.Message);
    }

    [Fact]
    public async Task A_gateway_page_in_place_of_an_AWS_error_is_unavailable_and_not_quoted()
    {
        Aws.Then(_ => new HttpResponseMessage(HttpStatusCode.BadGateway)
        {
            Content = new StringContent("<html><body>502 Bad Gateway</body></html>", Encoding.UTF8, "text/html"),
        });

        var error = (await _jobs.CancelJobExecutionAsync(new CancelJobExecution("fw-1", "pump-7"), Token)).Error!;

        Assert.Equal(ErrorKind.Unavailable, error.Kind);
        Assert.Equal("AWS IoT could not serve CancelJobExecution; retry later.", error.Message);
    }

    [Fact]
    public async Task A_call_that_never_reaches_AWS_is_unavailable_without_the_socket_error()
    {
        Aws.ThenFailToConnect();

        var error = (await _jobs.UpdateJobExecutionAsync(new UpdateJobExecution("fw-1", "pump-7", "IN_PROGRESS"), Token)).Error!;

        Assert.Equal(ErrorKind.Unavailable, error.Kind);
        Assert.Equal("AWS IoT could not be reached for UpdateJobExecution; retry later.", error.Message);
    }

    [Fact]
    public async Task A_write_whose_answer_was_cut_off_says_it_may_have_been_applied()
    {
        Aws.Then(_ => throw new HttpRequestException(HttpRequestError.ResponseEnded, "The response ended prematurely."));

        var error = (await _jobs.CancelJobExecutionAsync(new CancelJobExecution("fw-1", "pump-7", Force: true), Token)).Error!;

        Assert.Equal(ErrorKind.Unavailable, error.Kind);
        Assert.Equal(
            "AWS IoT's answer to CancelJobExecution was lost, so whether it applied the change is unknown; read the execution before retrying.",
            error.Message);
    }

    [Theory]
    [InlineData(403, "AccessDeniedException", "aws.AccessDeniedException")]
    [InlineData(403, "InvalidSignatureException", "aws.InvalidSignatureException")]
    [InlineData(403, "UnrecognizedClientException", "aws.UnrecognizedClientException")]
    [InlineData(403, "ExpiredTokenException", "aws.ExpiredTokenException")]
    [InlineData(401, "UnauthorizedException", "aws.UnauthorizedException")]
    [InlineData(400, "ExpiredToken", "aws.ExpiredToken")]
    [InlineData(400, "IncompleteSignature", "aws.IncompleteSignature")]
    [InlineData(403, "", "aws.http403")]
    [InlineData(403, "Forbidden: proxy/1.1", "aws.Forbidden")]
    public async Task AWS_refusing_the_function_s_credentials_is_a_dependency_error_naming_AWS_s_code(int status, string awsCode, string code)
    {
        var headers = awsCode.Length > 0 ? new[] { ("x-amzn-ErrorType", awsCode) } : [];
        Aws.Then((HttpStatusCode)status, """{"message":"User: arn:aws:sts::123456789012:assumed-role/api/fn is not authorized to perform: iot:UpdateJob"}""", headers);

        var error = (await _jobs.UpdateJobAsync(new UpdateJob("fw-1", Description: "d"), Token)).Error!;

        Assert.Equal((ErrorKind.Dependency, code), (error.Kind, error.Code));
        Assert.StartsWith($"AWS IoT refused this function's credentials for UpdateJob ({code["aws.".Length..]}); check the function role's permissions and credentials", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_message_of_a_documented_credential_refusal_is_passed_on_and_of_a_bare_403_is_not()
    {
        const string said = "User: arn:aws:sts::123456789012:assumed-role/api/fn is not authorized to perform: iot:CancelJob";
        Aws.Then(HttpStatusCode.Forbidden, $$"""{"message":"{{said}}"}""", ("x-amzn-ErrorType", "AccessDeniedException"));
        Aws.Then(HttpStatusCode.Forbidden, "<html>denied</html>");

        var documented = (await _jobs.CancelJobAsync(new CancelJob("fw-1"), Token)).Error!;
        var bare = (await _jobs.CancelJobAsync(new CancelJob("fw-1"), Token)).Error!;

        Assert.EndsWith(": " + said, documented.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("html", bare.Message, StringComparison.Ordinal);
        Assert.EndsWith("check the function role's permissions and credentials.", bare.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("UnknownOperationException", 404)]
    [InlineData("SerializationException", 400)]
    [InlineData("ResourceAlreadyExistsException", 409)]
    [InlineData("ConflictException", 409)]
    public async Task An_AWS_error_code_no_operation_expects_is_a_dependency_error_on_either_plane(string awsCode, int status)
    {
        Aws.Then((HttpStatusCode)status, "{}", ("x-amzn-ErrorType", awsCode));
        Aws.Then((HttpStatusCode)status, "{}", ("x-amzn-ErrorType", awsCode));

        var control = (await _jobs.DescribeJobExecutionAsync("fw-1", "t1", null, Token)).Error!;
        var data = (await _jobs.UpdateJobExecutionAsync(new UpdateJobExecution("fw-1", "t1", "SUCCEEDED"), Token)).Error!;

        Assert.All([control, data], error => Assert.Equal((ErrorKind.Dependency, $"aws.{awsCode}"), (error.Kind, error.Code)));
        Assert.Equal($"AWS IoT answered DescribeJobExecution with {awsCode}, which this product does not expect.", control.Message);
    }

    [Theory]
    [InlineData("UpdateJob", "AWS IoT did not answer UpdateJob before the invocation deadline, so whether it applied the change is unknown.")]
    [InlineData("CancelJobExecution", "AWS IoT did not answer CancelJobExecution before the invocation deadline, so whether it applied the change is unknown.")]
    [InlineData("UpdateJobExecution", "AWS IoT did not answer UpdateJobExecution before the invocation deadline, so whether it applied the change is unknown.")]
    [InlineData("DescribeJobExecution", "AWS IoT did not answer DescribeJobExecution before the invocation deadline.")]
    public async Task A_call_cut_short_by_the_invocation_deadline_is_unavailable_not_an_exception(string operation, string message)
    {
        Aws.ThenHang();
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(Token);
        deadline.CancelAfter(TimeSpan.FromMilliseconds(100));

        var error = operation switch
        {
            "UpdateJob" => (await _jobs.UpdateJobAsync(new UpdateJob("fw-1", Description: "d"), deadline.Token)).Error,
            "CancelJobExecution" => (await _jobs.CancelJobExecutionAsync(new CancelJobExecution("fw-1", "pump-7"), deadline.Token)).Error,
            "UpdateJobExecution" => (await _jobs.UpdateJobExecutionAsync(new UpdateJobExecution("fw-1", "pump-7", "IN_PROGRESS"), deadline.Token)).Error,
            _ => (await _jobs.DescribeJobExecutionAsync("fw-1", "pump-7", null, deadline.Token)).Error,
        };

        Assert.Equal((ErrorKind.Unavailable, message), (error!.Kind, error.Message));
        Assert.Single(Aws.Requests);
    }

    [Fact]
    public async Task A_command_missing_a_member_AWS_requires_is_refused_as_a_bug_before_anything_is_sent()
    {
        var noThreshold = FullUpdateJob with { AbortConfig = new AbortConfig([new AbortCriteria("FAILED", "CANCEL", null, 1)]) };
        var noStatus = new UpdateJobExecution("fw-1", "pump-7", null);

        var abort = await Assert.ThrowsAsync<ArgumentException>(() => _jobs.UpdateJobAsync(noThreshold, Token));
        var status = await Assert.ThrowsAsync<ArgumentException>(() => _jobs.UpdateJobExecutionAsync(noStatus, Token));

        Assert.Equal("abortConfig.criteriaList[0].thresholdPercentage", abort.ParamName);
        Assert.Equal("UpdateJobExecution.status", status.ParamName);
        Assert.Empty(Aws.Requests);
    }

    public void Dispose()
    {
        _control.Dispose();
        _jobsData.Dispose();
    }

    private static string WireText(decimal threshold, decimal incrementFactor)
    {
        var command = new UpdateJob(
            "fw-1",
            JobExecutionsRolloutConfig: new JobExecutionsRolloutConfig(ExponentialRate: new ExponentialRolloutRate(1, incrementFactor, new RateIncreaseCriteria(1))),
            AbortConfig: new AbortConfig([new AbortCriteria("ALL", "CANCEL", threshold, 1)]));
        return Encoding.UTF8.GetString(Rest.Json(IotJobsWire.ToRequest(command), ControlPlaneJsonContext.Default.UpdateJobRequest));
    }

    /// <summary>A decimal as a person writes it: no trailing zeros, no exponent.</summary>
    private static string Plain(decimal value) => value.ToString("0.############", CultureInfo.InvariantCulture);

    private static void AssertJson(string expected, string actual) =>
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected), JsonNode.Parse(actual)), $"Expected {expected}{Environment.NewLine}but sent {actual}");
}
