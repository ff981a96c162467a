using System.Net;
using JobsFunctions.Aws.Iot;
using JobsFunctions.Aws.Iot.Control;
using JobsFunctions.Aws.Iot.Http;
using JobsFunctions.Aws.Iot.JobsData;
using JobsFunctions.Aws.Tests.Support;
using JobsFunctions.Domain.Errors;
using JobsFunctions.Domain.Jobs;
using JobsFunctions.Domain.Operations;

namespace JobsFunctions.Aws.Tests.Iot;

/// <summary>DescribeJob against scripted AWS answers: the request, jobProcessDetails read back, AWS's errors mapped.</summary>
public sealed class IotJobsControlDescribeJobTests : IDisposable
{
    private readonly TestClients _clients = new();
    private readonly IotControlClient _control;
    private readonly IotJobsDataClient _jobsData;
    private readonly IotJobsControl _jobs;

    public IotJobsControlDescribeJobTests()
    {
        var noRetry = new RetryOptions { MaxAttempts = 1 };
        _control = _clients.Control(noRetry);
        _jobsData = _clients.JobsData(noRetry);
        _jobs = new IotJobsControl(_control, _jobsData);
    }

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private ScriptedHandler Aws => _clients.Handler;

    [Fact]
    public async Task DescribeJob_reads_the_status_every_jobProcessDetails_count_and_the_last_change()
    {
        Aws.Then(HttpStatusCode.OK, """
            {"documentSource":"s3://b/k","job":{"jobId":"fw-1","status":"CANCELLATION_IN_PROGRESS","lastUpdatedAt":1700000099.25,
             "jobProcessDetails":{"processingTargets":["arn:aws:iot:eu-west-1:123456789012:thinggroup/fleet"],
               "numberOfQueuedThings":1,"numberOfInProgressThings":2,"numberOfSucceededThings":3,"numberOfFailedThings":4,
               "numberOfRejectedThings":5,"numberOfCanceledThings":6,"numberOfTimedOutThings":7,"numberOfRemovedThings":8}}}
            """);

        var job = (await _jobs.DescribeJobAsync("fw-1", Token)).Value;

        var sent = Assert.Single(Aws.Requests);
        Assert.Equal(("GET", "https://iot.eu-west-1.amazonaws.com/jobs/fw-1"), (sent.Method, sent.Uri.AbsoluteUri));
        Assert.Equal(("fw-1", JobStatus.CancellationInProgress), (job.JobId, job.Status));
        Assert.Equal(new JobProcessCounts(1, 2, 3, 4, 5, 6, 7, 8), job.ProcessDetails);
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1700000099250), job.LastUpdatedAt);
    }

    [Fact]
    public async Task A_count_AWS_leaves_out_is_zero()
    {
        Aws.Then(HttpStatusCode.OK, """{"job":{"jobId":"fw-1","status":"IN_PROGRESS","jobProcessDetails":{"numberOfSucceededThings":9}}}""");

        var job = (await _jobs.DescribeJobAsync("fw-1", Token)).Value;

        Assert.Equal(new JobProcessCounts(0, 0, 9, 0, 0, 0, 0, 0), job.ProcessDetails);
        Assert.Null(job.LastUpdatedAt);
    }

    [Theory]
    [InlineData("""{"job":{"jobId":"fw-1","status":"PAUSED"}}""")]
    [InlineData("""{}""")]
    [InlineData("""<html><body>Service Temporarily Unavailable</body></html>""")]
    public async Task An_answer_that_cannot_be_read_is_unavailable(string body)
    {
        Aws.Then(HttpStatusCode.OK, body);

        var error = (await _jobs.DescribeJobAsync("fw-1", Token)).Error!;

        Assert.Equal((ErrorKind.Unavailable, "AWS IoT's answer to DescribeJob could not be read."), (error.Kind, error.Message));
    }

    [Theory]
    [InlineData("ResourceNotFoundException", 404, ErrorKind.NotFound, "notFound.resource")]
    [InlineData("InvalidRequestException", 400, ErrorKind.Validation, "validation.request.rejected")]
    [InlineData("ThrottlingException", 400, ErrorKind.Throttled, "throttled")]
    [InlineData("ServiceUnavailableException", 503, ErrorKind.Unavailable, "unavailable")]
    [InlineData("AccessDeniedException", 403, ErrorKind.Dependency, "aws.AccessDeniedException")]
    public async Task Each_AWS_error_becomes_the_domain_error_the_other_reads_get(string awsCode, int status, ErrorKind kind, string code)
    {
        Aws.Then((HttpStatusCode)status, """{"message":"m"}""", ("x-amzn-ErrorType", awsCode));

        var error = (await _jobs.DescribeJobAsync("fw-1", Token)).Error!;

        Assert.Equal((kind, code), (error.Kind, error.Code));
    }

    public void Dispose()
    {
        _control.Dispose();
        _jobsData.Dispose();
    }
}
