using System.Net;
using System.Text.Json.Nodes;
using JobsFunctions.Aws.Iot;
using JobsFunctions.Aws.Iot.Control;
using JobsFunctions.Aws.Iot.JobsData;
using JobsFunctions.Aws.Tests.Support;
using JobsFunctions.Domain.Errors;
using JobsFunctions.Domain.Executions;
using JobsFunctions.Domain.Jobs;
using JobsFunctions.Domain.Operations;
using JobSummary = JobsFunctions.Domain.Operations.JobSummary;

namespace JobsFunctions.Aws.Tests.Iot;

/// <summary>The calls the policy sweeper makes (CancelJob, ListJobs, ListJobExecutionsForJob, DescribeEventConfigurations) against scripted AWS answers.</summary>
public sealed class IotJobsControlSweeperCallsTests : IDisposable
{
    private readonly TestClients _clients = new();
    private readonly IotControlClient _control;
    private readonly IotJobsDataClient _jobsData;
    private readonly IotJobsControl _jobs;

    public IotJobsControlSweeperCallsTests()
    {
        _control = _clients.Control(new RetryOptions { MaxAttempts = 1 });
        _jobsData = _clients.JobsData(new RetryOptions { MaxAttempts = 1 });
        _jobs = new IotJobsControl(_control, _jobsData);
    }

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private ScriptedHandler Aws => _clients.Handler;

    private RecordedRequest Sent => Assert.Single(Aws.Requests);

    [Fact]
    public async Task CancelJob_sends_force_in_the_query_and_the_reason_and_comment_in_the_body()
    {
        Aws.Then(HttpStatusCode.OK, """{"jobArn":"arn:aws:iot:eu-west-1:123456789012:job/fw-1","jobId":"fw-1"}""");

        var result = await _jobs.CancelJobAsync(new CancelJob("fw-1", Force: true, "POLICY_ABORT", "12 FAILED of 140 executed (8.57%) >= 5% in 15 min"), Token);

        Assert.True(result.IsSuccess);
        Assert.Equal("PUT", Sent.Method);
        Assert.Equal("https://iot.eu-west-1.amazonaws.com/jobs/fw-1/cancel?force=true", Sent.Uri.AbsoluteUri);
        AssertJson("""{"reasonCode":"POLICY_ABORT","comment":"12 FAILED of 140 executed (8.57%) >= 5% in 15 min"}""", Sent.BodyText);
    }

    [Theory]
    [InlineData("InvalidRequestException", 400, ErrorKind.Validation, "validation.request.rejected")]
    [InlineData("ResourceNotFoundException", 404, ErrorKind.NotFound, "notFound.resource")]
    [InlineData("LimitExceededException", 410, ErrorKind.Throttled, "throttled")]
    [InlineData("ServiceUnavailableException", 503, ErrorKind.Unavailable, "unavailable")]
    public async Task CancelJob_errors_become_the_domain_errors_of_every_other_call(string awsCode, int status, ErrorKind kind, string code)
    {
        Aws.Then((HttpStatusCode)status, "{}", ("x-amzn-ErrorType", awsCode));

        var error = (await _jobs.CancelJobAsync(new CancelJob("fw-1"), Token)).Error;

        Assert.Equal((kind, code), (error!.Kind, error.Code));
    }

    [Fact]
    public async Task ListJobs_sends_the_filter_and_token_and_reads_each_job()
    {
        Aws.Then(HttpStatusCode.OK, """
            {"jobs":[{"jobId":"fw-1","status":"IN_PROGRESS"},{"jobId":"fw-2","status":"SCHEDULED"}],"nextToken":"t/2=="}
            """);

        var page = (await _jobs.ListJobsAsync(JobStatus.InProgress, 250, "t/1==", Token)).Value;

        Assert.Equal("GET", Sent.Method);
        Assert.Equal("https://iot.eu-west-1.amazonaws.com/jobs?status=IN_PROGRESS&maxResults=250&nextToken=t%2F1%3D%3D", Sent.Uri.AbsoluteUri);
        Assert.Null(Sent.Body);
        Assert.Equal([new JobSummary("fw-1", JobStatus.InProgress), new JobSummary("fw-2", JobStatus.Scheduled)], page.Items);
        Assert.Equal("t/2==", page.NextPageToken);
    }

    [Fact]
    public async Task ListJobs_leaves_out_a_job_it_cannot_read_and_takes_the_filter_for_a_missing_status()
    {
        Aws.Then(HttpStatusCode.OK, """
            {"jobs":[{"jobId":"fw-1"},{"jobId":"fw-2","status":"PAUSED"},{"status":"IN_PROGRESS"},null],"nextToken":""}
            """);

        var page = (await _jobs.ListJobsAsync(JobStatus.InProgress, 10, null, Token)).Value;

        Assert.Equal([new JobSummary("fw-1", JobStatus.InProgress)], page.Items);
        Assert.Null(page.NextPageToken);
    }

    [Theory]
    [InlineData(JobStatus.CancellationInProgress, 10)]
    [InlineData(JobStatus.Deleted, 10)]
    [InlineData(null, 0)]
    [InlineData(null, 251)]
    public async Task ListJobs_refuses_what_the_model_cannot_ask_before_sending_anything(JobStatus? status, int maxResults)
    {
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => _jobs.ListJobsAsync(status, maxResults, null, Token));

        Assert.Empty(Aws.Requests);
    }

    [Fact]
    public async Task ListJobExecutionsForJob_names_each_thing_from_its_ARN_and_keeps_AWS_times()
    {
        Aws.Then(HttpStatusCode.OK, """
            {"executionSummaries":[
              {"thingArn":"arn:aws:iot:eu-west-1:123456789012:thing/plant:7:pump-3",
               "jobExecutionSummary":{"status":"IN_PROGRESS","queuedAt":1700000000,"startedAt":1700000010.5,
                 "lastUpdatedAt":1700000020,"executionNumber":3,"retryAttempt":1}},
              {"thingArn":"arn:aws:iot:eu-west-1:123456789012:thing/",
               "jobExecutionSummary":{"status":"QUEUED"}},
              {"jobExecutionSummary":{"status":"QUEUED"}},
              {"thingArn":"arn:aws:iot:eu-west-1:123456789012:thing/t9","jobExecutionSummary":{"status":"PAUSED"}},
              {"thingArn":"arn:aws:iot:eu-west-1:123456789012:thing/t8"}],
             "nextToken":"n2"}
            """);

        var page = (await _jobs.ListJobExecutionsForJobAsync("fw-1", ExecutionStatus.InProgress, 250, "n1", Token)).Value;

        Assert.Equal("https://iot.eu-west-1.amazonaws.com/jobs/fw-1/things?status=IN_PROGRESS&maxResults=250&nextToken=n1", Sent.Uri.AbsoluteUri);
        var summary = Assert.Single(page.Items);
        Assert.Equal(
            new ExecutionSummary("plant:7:pump-3", ExecutionStatus.InProgress, 3, 1,
                DateTimeOffset.FromUnixTimeSeconds(1700000000), DateTimeOffset.FromUnixTimeMilliseconds(1700000010500),
                DateTimeOffset.FromUnixTimeSeconds(1700000020)),
            summary);
        Assert.Equal("n2", page.NextPageToken);
    }

    [Fact]
    public async Task ListJobExecutionsForJob_without_a_filter_sends_only_the_page_size()
    {
        Aws.Then(HttpStatusCode.OK, """{"executionSummaries":[]}""");

        var page = (await _jobs.ListJobExecutionsForJobAsync("fw-1", null, 50, null, Token)).Value;

        Assert.Equal("https://iot.eu-west-1.amazonaws.com/jobs/fw-1/things?maxResults=50", Sent.Uri.AbsoluteUri);
        Assert.Empty(page.Items);
        Assert.Null(page.NextPageToken);
    }

    [Theory]
    [InlineData("""{"eventConfigurations":{"JOB":{"Enabled":true},"JOB_EXECUTION":{"Enabled":true},"THING":{"Enabled":false}}}""", true, true)]
    [InlineData("""{"eventConfigurations":{"JOB":{"Enabled":true},"JOB_EXECUTION":{"Enabled":false}}}""", true, false)]
    [InlineData("""{"eventConfigurations":{"JOB_EXECUTION":{"Enabled":true},"JOB":{}}}""", false, true)]
    [InlineData("{}", false, false)]
    public async Task DescribeEventConfigurations_reports_an_event_type_left_out_as_off(string body, bool jobEvents, bool executionEvents)
    {
        Aws.Then(HttpStatusCode.OK, body);

        var switches = (await _jobs.DescribeEventConfigurationsAsync(Token)).Value;

        Assert.Equal("https://iot.eu-west-1.amazonaws.com/event-configurations", Sent.Uri.AbsoluteUri);
        Assert.Equal(new JobEventSwitches(jobEvents, executionEvents), switches);
    }

    public void Dispose()
    {
        _control.Dispose();
        _jobsData.Dispose();
    }

    private static void AssertJson(string expected, string actual) =>
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected), JsonNode.Parse(actual)), $"Expected {expected}{Environment.NewLine}but sent {actual}");
}
