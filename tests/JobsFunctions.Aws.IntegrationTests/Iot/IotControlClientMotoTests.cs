using JobsFunctions.Aws.Iot;
using JobsFunctions.Aws.Iot.Control;
using JobsFunctions.Aws.Iot.JobsData;
using JobsFunctions.Aws.Signing;
using JobsFunctions.TestSupport;
using ControlDescribe = JobsFunctions.Aws.Iot.Control.DescribeJobExecutionRequest;

namespace JobsFunctions.Aws.IntegrationTests.Iot;

/// <summary>
/// Our control-plane client against a real moto server, on data that boto3 created. moto has no UpdateJob (500),
/// no event configurations and no jobs data plane; those are covered by the botocore parity tests instead.
/// </summary>
public sealed class IotControlClientMotoTests : IDisposable
{
    private readonly MotoServer _moto;
    private readonly SocketsHttpHandler _handler = new();
    private readonly IotClients _clients;

    public IotControlClientMotoTests(MotoServer moto)
    {
        _moto = moto;
        var options = new IotClientOptions
        {
            Region = MotoIotSetup.Region,
            ControlPlaneEndpoint = moto.Endpoint,
            Retry = new RetryOptions { MaxAttempts = 2, BaseDelay = TimeSpan.FromMilliseconds(10) },
        };
        _clients = new IotClients(options, new StaticCredentialsSource(new SigningCredentials("testing", "testing")), _handler);
    }

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private IotControlClient Control => _clients.Control;

    [Fact]
    public async Task DescribeJob_returns_the_job_boto3_created()
    {
        var created = await MotoIotSetup.CreateJobAsync(_moto.Endpoint, things: 1, description: "firmware ✓ 2.1");

        var response = await Control.DescribeJobAsync(new DescribeJobRequest { JobId = created.JobId }, Token);

        var job = response.Job!;
        Assert.Equal(created.JobId, job.JobId);
        Assert.Equal(created.JobArn, job.JobArn);
        Assert.Equal("firmware ✓ 2.1", job.Description);
        Assert.Equal(created.ThingArns, job.Targets);
        Assert.Equal("SNAPSHOT", job.TargetSelection);
        Assert.InRange(job.CreatedAt!.Value, DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddMinutes(5));
    }

    [Fact]
    public async Task DescribeJobExecution_shows_a_queued_execution_for_each_target()
    {
        var created = await MotoIotSetup.CreateJobAsync(_moto.Endpoint, things: 1);

        var response = await Control.DescribeJobExecutionAsync(
            new ControlDescribe { ThingName = created.ThingNames[0], JobId = created.JobId }, Token);

        var execution = response.Execution!;
        Assert.Equal(created.JobId, execution.JobId);
        Assert.Equal(JobExecutionStatuses.Queued, execution.Status);
        Assert.Equal(created.ThingArns[0], execution.ThingArn);
        Assert.NotNull(execution.ExecutionNumber);
        Assert.NotNull(execution.VersionNumber);
    }

    [Fact]
    public async Task ListJobExecutionsForJob_pages_through_every_target()
    {
        var created = await MotoIotSetup.CreateJobAsync(_moto.Endpoint, things: 3);

        var seen = new List<string>();
        string? token = null;
        var pages = 0;
        do
        {
            var page = await Control.ListJobExecutionsForJobAsync(
                new ListJobExecutionsForJobRequest { JobId = created.JobId, MaxResults = 2, NextToken = token }, Token);
            seen.AddRange(page.ExecutionSummaries!.Select(s => s.ThingArn!));
            Assert.All(page.ExecutionSummaries!, s => Assert.Equal(JobExecutionStatuses.Queued, s.JobExecutionSummary!.Status));
            token = page.NextToken;
            pages++;
        }
        while (token is not null && pages < 10);

        Assert.Equal(2, pages);
        Assert.Equal(created.ThingArns.Order(StringComparer.Ordinal), seen.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task ListJobExecutionsForJob_filters_by_status()
    {
        var created = await MotoIotSetup.CreateJobAsync(_moto.Endpoint, things: 2);
        await Control.CancelJobExecutionAsync(
            new CancelJobExecutionRequest { ThingName = created.ThingNames[1], JobId = created.JobId }, Token);

        var canceled = await Control.ListJobExecutionsForJobAsync(
            new ListJobExecutionsForJobRequest { JobId = created.JobId, Status = JobExecutionStatuses.Canceled }, Token);

        Assert.Equal(created.ThingArns[1], Assert.Single(canceled.ExecutionSummaries!).ThingArn);
    }

    [Fact]
    public async Task CancelJobExecution_cancels_a_queued_execution()
    {
        var created = await MotoIotSetup.CreateJobAsync(_moto.Endpoint, things: 1);
        var thing = created.ThingNames[0];

        await Control.CancelJobExecutionAsync(
            new CancelJobExecutionRequest
            {
                ThingName = thing,
                JobId = created.JobId,
                Force = false,
                StatusDetails = new Dictionary<string, string> { ["reason"] = "operator" },
            },
            Token);

        var after = await Control.DescribeJobExecutionAsync(new ControlDescribe { ThingName = thing, JobId = created.JobId }, Token);
        Assert.Equal(JobExecutionStatuses.Canceled, after.Execution!.Status);
    }

    [Fact]
    public async Task CancelJob_returns_the_job_and_records_reason_comment_and_force()
    {
        var created = await MotoIotSetup.CreateJobAsync(_moto.Endpoint, things: 1);

        var response = await Control.CancelJobAsync(
            new CancelJobRequest { JobId = created.JobId, Force = true, ReasonCode = "OPERATOR_STOP", Comment = "stopped by ops" }, Token);

        Assert.Equal(created.JobId, response.JobId);
        Assert.Equal(created.JobArn, response.JobArn);
        var job = (await Control.DescribeJobAsync(new DescribeJobRequest { JobId = created.JobId }, Token)).Job!;
        Assert.Equal("CANCELED", job.Status);
        Assert.Equal("OPERATOR_STOP", job.ReasonCode);
        Assert.Equal("stopped by ops", job.Comment);
        Assert.True(job.ForceCanceled);
    }

    [Fact]
    public async Task An_unknown_job_is_ResourceNotFound_with_the_request_id()
    {
        var error = await Assert.ThrowsAsync<IotServiceException>(
            () => Control.DescribeJobAsync(new DescribeJobRequest { JobId = $"missing-{Guid.NewGuid():N}" }, Token));

        Assert.Equal("ResourceNotFoundException", error.ErrorCode);
        Assert.Equal(404, error.HttpStatus);
        Assert.False(string.IsNullOrEmpty(error.RequestId));
        Assert.False(error.IsRetryable);
    }

    [Fact]
    public async Task The_jobs_data_endpoint_is_discovered_with_DescribeEndpoint_and_kept()
    {
        var described = await Control.DescribeEndpointAsync(
            new DescribeEndpointRequest { EndpointType = DescribeEndpointRequest.JobsEndpointType }, Token);
        var resolved = await _clients.JobsDataEndpoint.ResolveAsync(Token);
        var again = await _clients.JobsDataEndpoint.ResolveAsync(Token);

        // moto makes up a new account prefix on every call, so compare the shape, and that discovery happens once.
        Assert.EndsWith(".jobs.iot.us-east-1.amazonaws.com", described.EndpointAddress, StringComparison.Ordinal);
        Assert.Equal("https", resolved.Scheme);
        Assert.EndsWith(".jobs.iot.us-east-1.amazonaws.com", resolved.Host, StringComparison.Ordinal);
        Assert.NotEqual("data.jobs.iot.us-east-1.amazonaws.com", resolved.Host);
        Assert.Equal(resolved, again);
    }

    public void Dispose()
    {
        _clients.Dispose();
        _handler.Dispose();
    }
}
