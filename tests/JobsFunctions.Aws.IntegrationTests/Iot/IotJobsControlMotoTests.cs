using JobsFunctions.Aws.Iot;
using JobsFunctions.Aws.Signing;
using JobsFunctions.Domain.Errors;
using JobsFunctions.Domain.Executions;
using JobsFunctions.Domain.Operations;
using JobsFunctions.TestSupport;

namespace JobsFunctions.Aws.IntegrationTests.Iot;

/// <summary>
/// The IoT Jobs adapter against a real moto server, on jobs boto3 created. moto implements the control plane's
/// DescribeJobExecution and CancelJobExecution (ignoring expectedVersion and statusDetails), not UpdateJob or the
/// jobs data plane, whose requests the scripted tests cover.
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

    public void Dispose()
    {
        _clients.Dispose();
        _handler.Dispose();
    }
}
