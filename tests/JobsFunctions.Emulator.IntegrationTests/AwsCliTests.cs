using System.Text.Json.Nodes;
using JobsFunctions.Domain.Executions;
using JobsFunctions.Emulator.Model;
using JobsFunctions.TestSupport;

namespace JobsFunctions.Emulator.IntegrationTests;

/// <summary>
/// The AWS CLI v1, unmodified, running the examples of AWS's own reference pages against the emulator (only
/// --endpoint-url added). Each call starts a python process, so there are few of them.
/// </summary>
public sealed class AwsCliTests(RunningEmulator running) : IClassFixture<RunningEmulator>
{
    private const string Prefix = "arn:aws:iot:us-east-1:123456789012:";

    [Fact]
    public async Task The_update_job_execution_reference_example_answers_the_REMOVED_execution_state()
    {
        running.Emulator.CreateThing("MotionSensor1", null);
        running.Emulator.CreateJob(new JobSpec { JobId = "SampleJob", Targets = [Prefix + "thing/MotionSensor1"], Document = "{}" });

        var output = await AwsAsync("iot-jobs-data", "update-job-execution", "--job-id", "SampleJob", "--thing-name", "MotionSensor1", "--status", "REMOVED");

        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"executionState": {"status": "REMOVED", "versionNumber": 2}}"""), JsonNode.Parse(output)), output);
        Assert.Equal(ExecutionStatus.Removed, running.Emulator.DescribeJobExecution("SampleJob", "MotionSensor1", null).Status);
    }

    [Fact]
    public async Task The_cancel_job_execution_reference_example_prints_nothing_and_an_IN_PROGRESS_one_needs_force()
    {
        running.Emulator.CreateThing("MyRPi", null);
        running.Emulator.CreateJob(new JobSpec { JobId = "example-job-03", Targets = [Prefix + "thing/MyRPi"], Document = "{}" });
        running.Emulator.CreateJob(new JobSpec { JobId = "example-job-04", Targets = [Prefix + "thing/MyRPi"], Document = "{}" });
        running.Emulator.UpdateJobExecution("example-job-04", "MyRPi", new DeviceExecutionUpdate { Status = ExecutionStatus.InProgress });

        var output = await AwsAsync("iot", "cancel-job-execution", "--job-id", "example-job-03", "--thing-name", "MyRPi");
        var (exit, _, errors) = await RunAwsAsync("iot", "cancel-job-execution", "--job-id", "example-job-04", "--thing-name", "MyRPi");

        Assert.Equal("", output.Trim());
        Assert.Equal(ExecutionStatus.Canceled, running.Emulator.DescribeJobExecution("example-job-03", "MyRPi", null).Status);
        Assert.NotEqual(0, exit);
        Assert.Contains("An error occurred (InvalidStateTransitionException) when calling the CancelJobExecution operation", errors);
    }

    [Fact]
    public async Task The_describe_job_reference_example_shows_the_documented_members()
    {
        running.Emulator.CreateThing("MyRaspberryPi", null);
        running.Emulator.CreateJob(new JobSpec
        {
            JobId = "example-job-01",
            Targets = [Prefix + "thing/MyRaspberryPi"],
            Document = "{}",
            Description = "example job test",
        });

        var job = JsonNode.Parse(await AwsAsync("iot", "describe-job", "--job-id", "example-job-01"))!["job"]!;

        Assert.Equal(("example-job-01", "SNAPSHOT", "IN_PROGRESS", "example job test"),
            ((string)job["jobId"]!, (string)job["targetSelection"]!, (string)job["status"]!, (string)job["description"]!));
        Assert.Equal(1, (int)job["jobProcessDetails"]!["numberOfQueuedThings"]!);
        Assert.Empty(job["presignedUrlConfig"]!.AsObject());
        Assert.Empty(job["timeoutConfig"]!.AsObject());
        Assert.True((double)job["createdAt"]! > 1.7e9);
    }

    private async Task<string> AwsAsync(params string[] arguments)
    {
        var (exit, output, errors) = await RunAwsAsync(arguments);
        Assert.True(exit == 0, $"aws {string.Join(' ', arguments)} exited {exit}: {errors}");
        return output;
    }

    private Task<(int ExitCode, string Output, string Errors)> RunAwsAsync(params string[] arguments) =>
        ExternalProcess.RunAsync("aws", [.. arguments, "--endpoint-url", running.Endpoint.ToString(), "--output", "json"], TimeSpan.FromSeconds(60));
}
