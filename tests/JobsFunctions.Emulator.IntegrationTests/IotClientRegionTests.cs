using JobsFunctions.Aws.Iot;
using JobsFunctions.Aws.Iot.Control;
using JobsFunctions.Aws.Signing;
using JobsFunctions.Emulator.Model;
using DataDescribe = JobsFunctions.Aws.Iot.JobsData.DescribeJobExecutionRequest;
using DataUpdate = JobsFunctions.Aws.Iot.JobsData.UpdateJobExecutionRequest;

namespace JobsFunctions.Emulator.IntegrationTests;

/// <summary>
/// The product's own IoT clients configured as a deployed function is, from the environment, with nothing but a region
/// and AWS_ENDPOINT_URL_IOT: the jobs data plane is found through DescribeEndpoint, as on AWS, and both planes work
/// in the region the clients sign for.
/// </summary>
public sealed class IotClientRegionTests(RunningEmulator running) : IClassFixture<RunningEmulator>
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("eu-west-1")]
    [InlineData("us-west-2")]
    public async Task With_only_a_region_and_the_iot_endpoint_the_clients_discover_the_data_plane_and_work_in_that_region(string region)
    {
        var arn = $"arn:aws:iot:{region}:123456789012:";
        var emulator = running.In(region);
        emulator.CreateThing("sensor-1", null);
        emulator.CreateJob(new JobSpec { JobId = "regional-job", Targets = [arn + "thing/sensor-1"], Document = """{"op":"reboot"}""" });
        var environment = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["AWS_REGION"] = region,
            ["AWS_ENDPOINT_URL_IOT"] = running.Endpoint.ToString(),
        };
        var options = IotClientOptions.FromEnvironment(name => environment.GetValueOrDefault(name)) with { Retry = new RetryOptions { MaxAttempts = 1 } };
        using var handler = new SocketsHttpHandler();
        using var clients = new IotClients(options, new StaticCredentialsSource(new SigningCredentials("AKIDEXAMPLE", "dummy")), handler);

        var dataPlane = await clients.JobsDataEndpoint.ResolveAsync(Token);
        var execution = (await clients.JobsData.DescribeJobExecutionAsync(new DataDescribe { JobId = "regional-job", ThingName = "sensor-1" }, Token)).Execution!;
        var update = await clients.JobsData.UpdateJobExecutionAsync(new DataUpdate { JobId = "regional-job", ThingName = "sensor-1", Status = "SUCCEEDED" }, Token);
        var job = (await clients.Control.DescribeJobAsync(new DescribeJobRequest { JobId = "regional-job" }, Token)).Job!;

        Assert.Null(options.JobsDataEndpoint);
        Assert.Equal(new Uri($"http://127.0.0.1:{running.Endpoint.Port}/"), dataPlane);
        Assert.Equal(("QUEUED", """{"op":"reboot"}"""), (execution.Status, execution.JobDocument));
        Assert.Equal("SUCCEEDED", update.ExecutionState!.Status);
        Assert.Equal((arn + "job/regional-job", "COMPLETED"), (job.JobArn, job.Status));
        Assert.Equal(Domain.Executions.ExecutionStatus.Succeeded, emulator.DescribeJobExecution("regional-job", "sensor-1", null).Status);
    }
}
