using JobsFunctions.Aws.Iot;
using JobsFunctions.Aws.Signing;
using JobsFunctions.Domain.Errors;
using JobsFunctions.Domain.Executions;
using JobsFunctions.Domain.Operations;
using JobsFunctions.TestSupport;

namespace JobsFunctions.Aws.IntegrationTests.Iot;

/// <summary>
/// The IoT Jobs adapter against a real moto server, on jobs boto3 created. moto implements the control plane's
/// DescribeJobExecution, ListJobExecutionsForJob and CancelJobExecution (ignoring expectedVersion and statusDetails),
/// and accepts CancelJob without canceling executions; not UpdateJob, the jobs data plane, ListJobs' status filter
/// (its jobs say QUEUED) or DescribeEventConfigurations, whose requests and answers the scripted tests cover.
/// </summary>
public sealed class IotJobsControlMotoTests : IDisposable
{
    private readonly MotoServer _moto;
    private readonly SocketsHttpHandler _handler = new();
    private readonly IotClients _clients;
    private readonly IotJobsControl _jobs;

    public IotJobsControlMotoTests(MotoServer moto)
    {
        _moto = moto;
        var options = new IotClientOptions
        {
            Region = MotoIotSetup.Region,
            ControlPlaneEndpoint = moto.Endpoint,
            Retry = new RetryOptions { MaxAttempts = 2, BaseDelay = TimeSpan.FromMilliseconds(10) },
        };
        _clients = new IotClients(options, new StaticCredentialsSource(new SigningCredentials("testing", "testing")), _handler);
        _jobs = new IotJobsControl(_clients.Control, _clients.JobsData);
    }

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task DescribeJobExecution_reports_the_queued_execution_boto3_created()
    {
        var created = await MotoIotSetup.CreateJobAsync(_moto.Endpoint, things: 1);

        var result = await _jobs.DescribeJobExecutionAsync(created.JobId, created.ThingNames[0], executionNumber: null, Token);

        var execution = result.Value;
        Assert.Equal((created.JobId, created.ThingNames[0], ExecutionStatus.Queued), (execution.JobId, execution.ThingName, execution.Status));
        Assert.Empty(execution.StatusDetails);
        Assert.False(execution.ForceCanceled);
        Assert.NotNull(execution.VersionNumber);
        Assert.NotNull(execution.ExecutionNumber);
        Assert.InRange(execution.QueuedAt!.Value, DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddMinutes(5));
    }

    [Fact]
    public async Task DescribeJobExecution_finds_the_execution_by_its_number_and_nothing_under_another()
    {
        var created = await MotoIotSetup.CreateJobAsync(_moto.Endpoint, things: 1);
        var thing = created.ThingNames[0];
        var latest = (await _jobs.DescribeJobExecutionAsync(created.JobId, thing, null, Token)).Value;

        var same = await _jobs.DescribeJobExecutionAsync(created.JobId, thing, latest.ExecutionNumber, Token);
        var other = await _jobs.DescribeJobExecutionAsync(created.JobId, thing, latest.ExecutionNumber + 1, Token);

        Assert.Equal(latest.ExecutionNumber, same.Value.ExecutionNumber);
        Assert.Equal((ErrorKind.NotFound, "notFound.resource"), (other.Error!.Kind, other.Error.Code));
    }

    [Fact]
    public async Task CancelJobExecution_cancels_a_queued_execution_as_the_next_description_shows()
    {
        var created = await MotoIotSetup.CreateJobAsync(_moto.Endpoint, things: 2);
        var details = new Dictionary<string, string> { ["reason"] = "operator" };

        var cancel = await _jobs.CancelJobExecutionAsync(new CancelJobExecution(created.JobId, created.ThingNames[0], Force: false, StatusDetails: details), Token);

        Assert.True(cancel.IsSuccess);
        var canceled = (await _jobs.DescribeJobExecutionAsync(created.JobId, created.ThingNames[0], null, Token)).Value;
        var untouched = (await _jobs.DescribeJobExecutionAsync(created.JobId, created.ThingNames[1], null, Token)).Value;
        Assert.Equal((ExecutionStatus.Canceled, false), (canceled.Status, canceled.ForceCanceled));
        Assert.Equal(ExecutionStatus.Queued, untouched.Status);
    }

    [Fact]
    public async Task A_forced_cancel_is_shown_as_force_canceled()
    {
        var created = await MotoIotSetup.CreateJobAsync(_moto.Endpoint, things: 1);

        var cancel = await _jobs.CancelJobExecutionAsync(new CancelJobExecution(created.JobId, created.ThingNames[0], Force: true), Token);

        Assert.True(cancel.IsSuccess);
        var execution = (await _jobs.DescribeJobExecutionAsync(created.JobId, created.ThingNames[0], null, Token)).Value;
        Assert.Equal((ExecutionStatus.Canceled, true), (execution.Status, execution.ForceCanceled));
    }

    [Fact]
    public async Task An_execution_on_a_thing_the_job_does_not_target_is_not_found()
    {
        var created = await MotoIotSetup.CreateJobAsync(_moto.Endpoint, things: 1);

        var result = await _jobs.DescribeJobExecutionAsync(created.JobId, $"{created.ThingNames[0]}-other", null, Token);

        Assert.Equal((ErrorKind.NotFound, "notFound.resource"), (result.Error!.Kind, result.Error.Code));
        Assert.StartsWith($"AWS IoT found no execution of job {created.JobId} on thing {created.ThingNames[0]}-other", result.Error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ListJobExecutionsForJob_pages_every_queued_execution_by_thing_name()
    {
        var created = await MotoIotSetup.CreateJobAsync(_moto.Endpoint, things: 3);
        var seen = new List<ExecutionSummary>();
        string? token = null;
        do
        {
            var page = (await _jobs.ListJobExecutionsForJobAsync(created.JobId, ExecutionStatus.Queued, 2, token, Token)).Value;
            seen.AddRange(page.Items);
            token = page.NextPageToken;
        }
        while (token is not null);

        Assert.Equal(created.ThingNames.Order(StringComparer.Ordinal), seen.Select(s => s.ThingName).Order(StringComparer.Ordinal));
        Assert.All(seen, s => Assert.Equal(ExecutionStatus.Queued, s.Status));
        Assert.All(seen, s => Assert.NotNull(s.QueuedAt));
    }

    [Fact]
    public async Task CancelJob_with_a_reason_and_a_comment_is_accepted()
    {
        var created = await MotoIotSetup.CreateJobAsync(_moto.Endpoint, things: 2);

        var cancel = await _jobs.CancelJobAsync(new CancelJob(created.JobId, Force: true, "POLICY_ABORT", "3 FAILED of 10 executed"), Token);

        Assert.True(cancel.IsSuccess);
    }

    public void Dispose()
    {
        _clients.Dispose();
        _handler.Dispose();
    }
}
