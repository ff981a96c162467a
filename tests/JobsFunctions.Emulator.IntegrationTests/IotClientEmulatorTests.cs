using JobsFunctions.Aws.Iot;
using JobsFunctions.Aws.Iot.Control;
using JobsFunctions.Aws.Signing;
using JobsFunctions.Domain.Executions;
using JobsFunctions.Domain.Operations;
using JobsFunctions.Emulator.Model;
using DataRequest = JobsFunctions.Aws.Iot.JobsData.DescribeJobExecutionRequest;
using Ops = JobsFunctions.Domain.Operations;

namespace JobsFunctions.Emulator.IntegrationTests;

/// <summary>The product's own SigV4 IoT clients (JobsFunctions.Aws) against the emulator, for every operation they implement.</summary>
public sealed class IotClientEmulatorTests : IAsyncLifetime
{
    private const string Prefix = "arn:aws:iot:us-east-1:123456789012:";

    private readonly RunningEmulator _running = new();
    private readonly SocketsHttpHandler _handler = new();
    private IotClients? _clients;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private JobsEmulator Emulator => _running.Emulator;

    private IotClients Clients => _clients!;

    private IotJobsControl Jobs => new(Clients.Control, Clients.JobsData);

    public async ValueTask InitializeAsync()
    {
        await _running.InitializeAsync();
        var options = new IotClientOptions
        {
            Region = "us-east-1",
            ControlPlaneEndpoint = _running.Endpoint,
            JobsDataEndpoint = _running.Endpoint,
            Retry = new RetryOptions { MaxAttempts = 1 },
        };
        _clients = new IotClients(options, new StaticCredentialsSource(new SigningCredentials("AKIDEXAMPLE", "dummy")), _handler);
        foreach (var thing in new[] { "t1", "t2" })
        {
            Emulator.CreateThing(thing, null);
        }

        Emulator.CreateJob(new JobSpec { JobId = "job", Targets = [Prefix + "thing/t1", Prefix + "thing/t2"], Document = "{\"op\":\"reboot\"}" });
    }

    public async ValueTask DisposeAsync()
    {
        _clients?.Dispose();
        _handler.Dispose();
        await _running.DisposeAsync();
    }

    [Fact]
    public async Task UpdateJobExecution_through_the_port_moves_the_execution_and_relays_the_state_and_document()
    {
        var result = await Jobs.UpdateJobExecutionAsync(
            new Ops.UpdateJobExecution("job", "t1", "IN_PROGRESS", new Dictionary<string, string> { ["step"] = "download" },
                StepTimeoutInMinutes: 5, ExpectedVersion: 1, IncludeJobExecutionState: true, IncludeJobDocument: true),
            Token);

        var state = result.Value.ExecutionState!;
        Assert.Equal((ExecutionStatus.InProgress, 2L, "download"), (state.Status, state.VersionNumber, state.StatusDetails["step"]));
        Assert.Equal("{\"op\":\"reboot\"}", result.Value.JobDocument);
    }

    [Fact]
    public async Task A_stale_expectedVersion_on_UpdateJobExecution_reaches_the_port_as_a_version_conflict_with_the_current_state()
    {
        Emulator.UpdateJobExecution("job", "t1", new DeviceExecutionUpdate { Status = ExecutionStatus.InProgress });

        var result = await Jobs.UpdateJobExecutionAsync(new Ops.UpdateJobExecution("job", "t1", "SUCCEEDED", ExpectedVersion: 1), Token);

        Assert.Equal(JobsControlErrors.VersionConflictCode, result.Error!.Code);
        Assert.Equal((ExecutionStatus.InProgress, 2L), (result.Error.CurrentState!.Status, result.Error.CurrentState.VersionNumber));
    }

    [Fact]
    public async Task An_update_of_a_terminal_execution_reaches_the_port_as_an_invalid_transition_from_its_status()
    {
        Emulator.UpdateJobExecution("job", "t1", new DeviceExecutionUpdate { Status = ExecutionStatus.Succeeded });

        var result = await Jobs.UpdateJobExecutionAsync(new Ops.UpdateJobExecution("job", "t1", "IN_PROGRESS"), Token);

        Assert.Equal(JobsControlErrors.InvalidTransitionCode, result.Error!.Code);
        Assert.Equal(ExecutionStatus.Succeeded, result.Error.CurrentState!.Status);
    }

    [Fact]
    public async Task CancelJobExecution_and_DescribeJobExecution_through_the_port_see_the_same_execution()
    {
        var canceled = await Jobs.CancelJobExecutionAsync(
            new Ops.CancelJobExecution("job", "t2", Force: false, ExpectedVersion: 1, new Dictionary<string, string> { ["by"] = "operator" }), Token);
        var stale = await Jobs.CancelJobExecutionAsync(new Ops.CancelJobExecution("job", "t1", ExpectedVersion: 9), Token);
        var described = await Jobs.DescribeJobExecutionAsync("job", "t2", null, Token);
        var missing = await Jobs.DescribeJobExecutionAsync("job", "t2", 7, Token);

        Assert.True(canceled.IsSuccess);
        Assert.Equal(JobsControlErrors.VersionConflictCode, stale.Error!.Code);
        var execution = described.Value;
        Assert.Equal(("t2", ExecutionStatus.Canceled, 2L, 1L, "operator"), (
            execution.ThingName, execution.Status, execution.VersionNumber, execution.ExecutionNumber, execution.StatusDetails["by"]));
        Assert.Equal("notFound.resource", missing.Error!.Code);
    }

    [Fact]
    public async Task UpdateJob_through_the_port_changes_what_DescribeJob_reports()
    {
        var result = await Jobs.UpdateJobAsync(
            new Ops.UpdateJob("job", Description: "second wave", TimeoutConfig: new Ops.TimeoutConfig(30),
                JobExecutionsRolloutConfig: new Ops.JobExecutionsRolloutConfig(MaximumPerMinute: 50)),
            Token);
        var job = (await Clients.Control.DescribeJobAsync(new DescribeJobRequest { JobId = "job" }, Token)).Job!;

        Assert.True(result.IsSuccess);
        Assert.Equal(("second wave", 30L, 50), (job.Description, job.TimeoutConfig!.InProgressTimeoutInMinutes, job.JobExecutionsRolloutConfig!.MaximumPerMinute));
        Assert.Equal((2, "IN_PROGRESS"), (job.JobProcessDetails!.NumberOfQueuedThings, job.Status));
    }

    [Fact]
    public async Task DescribeJob_through_the_adapter_counts_things_by_their_latest_execution_as_jobProcessDetails_does()
    {
        await Jobs.UpdateJobExecutionAsync(new Ops.UpdateJobExecution("job", "t1", "SUCCEEDED"), Token);
        await Jobs.CancelJobExecutionAsync(new Ops.CancelJobExecution("job", "t2"), Token);

        var described = await Jobs.DescribeJobAsync("job", Token);
        var missing = await Jobs.DescribeJobAsync("no-such-job", Token);

        // A snapshot job whose every execution ended is COMPLETED.
        Assert.Equal(("job", Domain.Jobs.JobStatus.Completed), (described.Value.JobId, described.Value.Status));
        Assert.Equal(new JobProcessCounts(0, 0, 1, 0, 0, 1, 0, 0), described.Value.ProcessDetails);
        Assert.NotNull(described.Value.LastUpdatedAt);
        Assert.Equal("notFound.resource", missing.Error!.Code);
    }

    [Fact]
    public async Task The_control_client_cancels_lists_and_reads_event_configurations_and_the_endpoint()
    {
        await Clients.Control.UpdateEventConfigurationsAsync(
            new UpdateEventConfigurationsRequest { EventConfigurations = new Dictionary<string, EventConfiguration> { ["JOB"] = new() { Enabled = true } } }, Token);
        var configurations = await Clients.Control.DescribeEventConfigurationsAsync(Token);
        var canceled = await Clients.Control.CancelJobAsync(new CancelJobRequest { JobId = "job", Force = true, ReasonCode = "STOP", Comment = "enough" }, Token);
        var page = await Clients.Control.ListJobExecutionsForJobAsync(new ListJobExecutionsForJobRequest { JobId = "job", MaxResults = 1 }, Token);
        var next = await Clients.Control.ListJobExecutionsForJobAsync(new ListJobExecutionsForJobRequest { JobId = "job", MaxResults = 1, NextToken = page.NextToken }, Token);
        var endpoint = await Clients.Control.DescribeEndpointAsync(new DescribeEndpointRequest { EndpointType = DescribeEndpointRequest.JobsEndpointType }, Token);

        Assert.True(configurations.EventConfigurations!["JOB"].Enabled);
        Assert.False(configurations.EventConfigurations["JOB_EXECUTION"].Enabled);
        Assert.Equal(Prefix + "job/job", canceled.JobArn);
        Assert.Equal([Prefix + "thing/t1", Prefix + "thing/t2"], page.ExecutionSummaries!.Concat(next.ExecutionSummaries!).Select(s => s.ThingArn));
        Assert.All(page.ExecutionSummaries!.Concat(next.ExecutionSummaries!), s => Assert.Equal("CANCELED", s.JobExecutionSummary!.Status));
        Assert.Null(next.NextToken);
        Assert.Equal($"127.0.0.1:{_running.Endpoint.Port}", endpoint.EndpointAddress);
        Assert.Equal("CANCELLATION_IN_PROGRESS", System.Text.Json.Nodes.JsonNode.Parse(Emulator.EventsAfter(0, 10)[0].Payload.Span)!["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_data_client_describes_the_execution_with_its_document_and_integer_times()
    {
        var execution = (await Clients.JobsData.DescribeJobExecutionAsync(new DataRequest { JobId = "job", ThingName = "t1" }, Token)).Execution!;

        Assert.Equal(("t1", "QUEUED", 1L, "{\"op\":\"reboot\"}"), (execution.ThingName, execution.Status, execution.VersionNumber, execution.JobDocument));
        Assert.Equal(Emulator.DescribeJobExecution("job", "t1", null).QueuedAt.ToUnixTimeSeconds(), execution.QueuedAt);
    }
}
