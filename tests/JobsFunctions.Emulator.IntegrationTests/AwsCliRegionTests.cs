using System.Text.Json.Nodes;
using JobsFunctions.Domain.Executions;
using JobsFunctions.Emulator.Model;
using JobsFunctions.TestSupport;

namespace JobsFunctions.Emulator.IntegrationTests;

/// <summary>
/// The AWS CLI v1 reference examples as the pages print them, in the pages' region (us-west-2) and in another
/// (eu-west-1), with only AWS_DEFAULT_REGION set and --endpoint-url added: each region is its own account-region of
/// IoT, with ARNs naming it, as AWS keeps them.
/// </summary>
public sealed class AwsCliRegionTests(RunningEmulator running) : IClassFixture<RunningEmulator>
{
    [Theory]
    [InlineData("us-west-2")]
    [InlineData("eu-west-1")]
    public async Task The_reference_examples_run_in_the_region_the_caller_signs_for_with_ARNs_naming_it(string region)
    {
        var arn = $"arn:aws:iot:{region}:123456789012:";
        var emulator = running.In(region);
        emulator.CreateThing("MyRaspberryPi", null);
        emulator.CreateThing("MyRPi", null);
        emulator.CreateJob(new JobSpec { JobId = "example-job-03", Targets = [arn + "thing/MyRPi"], Document = "{}" });

        // https://docs.aws.amazon.com/cli/latest/reference/iot/create-thing.html
        var thing = JsonNode.Parse(await AwsAsync(region, "iot", "create-thing", "--thing-name", "MotionSensor1"))!;
        // https://docs.aws.amazon.com/cli/latest/reference/iot/create-job.html, with the page's ARN in its own region.
        var sample = JsonNode.Parse(await AwsAsync(region, "iot", "create-job", "--job-id", "SampleJob",
            "--targets", arn + "thing/MotionSensor1", "--document", """{"operation":"reboot"}"""))!;
        var created = JsonNode.Parse(await AwsAsync(region, "iot", "create-job", "--job-id", "example-job-01",
            "--targets", arn + "thing/MyRaspberryPi", "--document", "{}", "--description", "example job test", "--target-selection", "SNAPSHOT"))!;
        // https://docs.aws.amazon.com/cli/latest/reference/iot-jobs-data/update-job-execution.html
        var removed = await AwsAsync(region, "iot-jobs-data", "update-job-execution", "--job-id", "SampleJob", "--thing-name", "MotionSensor1", "--status", "REMOVED");
        // https://docs.aws.amazon.com/cli/latest/reference/iot/update-job.html: no output.
        var updated = await AwsAsync(region, "iot", "update-job", "--job-id", "example-job-01",
            "--description", "example job, second wave", "--timeout-config", "inProgressTimeoutInMinutes=100");
        // https://docs.aws.amazon.com/cli/latest/reference/iot/describe-job.html
        var job = JsonNode.Parse(await AwsAsync(region, "iot", "describe-job", "--job-id", "example-job-01"))!["job"]!;
        // https://docs.aws.amazon.com/cli/latest/reference/iot/cancel-job-execution.html: no output.
        var canceled = await AwsAsync(region, "iot", "cancel-job-execution", "--job-id", "example-job-03", "--thing-name", "MyRPi");

        Assert.Equal(arn + "thing/MotionSensor1", (string)thing["thingArn"]!);
        Assert.Equal(arn + "job/SampleJob", (string)sample["jobArn"]!);
        Assert.True(JsonNode.DeepEquals(
            JsonNode.Parse($$"""{"jobArn": "{{arn}}job/example-job-01", "jobId": "example-job-01", "description": "example job test"}"""), created), created.ToJsonString());
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"executionState": {"status": "REMOVED", "versionNumber": 2}}"""), JsonNode.Parse(removed)), removed);
        Assert.Equal(("", ""), (updated.Trim(), canceled.Trim()));
        Assert.Equal((arn + "job/example-job-01", arn + "thing/MyRaspberryPi", "example job, second wave", 100),
            ((string)job["jobArn"]!, (string)job["targets"]![0]!, (string)job["description"]!, (int)job["timeoutConfig"]!["inProgressTimeoutInMinutes"]!));
        Assert.Equal(ExecutionStatus.Canceled, emulator.DescribeJobExecution("example-job-03", "MyRPi", null).Status);
        Assert.Equal(ExecutionStatus.Removed, emulator.DescribeJobExecution("SampleJob", "MotionSensor1", null).Status);
    }

    [Fact]
    public async Task A_job_created_in_us_west_2_is_not_visible_from_eu_west_1_nor_are_its_things_targets_there()
    {
        const string West = "arn:aws:iot:us-west-2:123456789012:";
        await AwsAsync("us-west-2", "iot", "create-thing", "--thing-name", "WestOnlySensor");
        await AwsAsync("us-west-2", "iot", "create-job", "--job-id", "west-only-job", "--targets", West + "thing/WestOnlySensor", "--document", "{}");

        var west = JsonNode.Parse(await AwsAsync("us-west-2", "iot", "describe-job", "--job-id", "west-only-job"))!["job"]!;
        var fromEurope = await RunAwsAsync("eu-west-1", "iot", "describe-job", "--job-id", "west-only-job");
        var pendingInEurope = await RunAwsAsync("eu-west-1", "iot-jobs-data", "describe-job-execution", "--job-id", "west-only-job", "--thing-name", "WestOnlySensor");
        var targetFromEurope = await RunAwsAsync("eu-west-1", "iot", "create-job", "--job-id", "cross-region", "--targets", West + "thing/WestOnlySensor", "--document", "{}");

        Assert.Equal(West + "job/west-only-job", (string)west["jobArn"]!);
        Assert.NotEqual(0, fromEurope.ExitCode);
        Assert.Contains("An error occurred (ResourceNotFoundException) when calling the DescribeJob operation", fromEurope.Errors, StringComparison.Ordinal);
        Assert.Contains("An error occurred (ResourceNotFoundException) when calling the DescribeJobExecution operation", pendingInEurope.Errors, StringComparison.Ordinal);
        Assert.Contains("An error occurred (InvalidRequestException) when calling the CreateJob operation", targetFromEurope.Errors, StringComparison.Ordinal);
        Assert.Contains("in eu-west-1", targetFromEurope.Errors, StringComparison.Ordinal);
        Assert.Throws<EmulatorException>(() => running.Emulator.DescribeJob("west-only-job"));
    }

    [Fact]
    public async Task DescribeEndpoint_answers_the_emulator_in_every_region_and_events_name_the_region_they_happened_in()
    {
        running.In("eu-west-1").UpdateEventConfigurations(new Dictionary<string, bool>(StringComparer.Ordinal) { ["JOB_EXECUTION"] = true });
        running.In("eu-west-1").CreateThing("EventfulSensor", null);
        running.In("eu-west-1").CreateJob(new JobSpec { JobId = "eventful-job", Targets = ["arn:aws:iot:eu-west-1:123456789012:thing/EventfulSensor"], Document = "{}" });

        var endpoints = await Task.WhenAll(new[] { "us-west-2", "eu-west-1" }.Select(region =>
            AwsAsync(region, "iot", "describe-endpoint", "--endpoint-type", "iot:Jobs")));
        await AwsAsync("eu-west-1", "iot-jobs-data", "update-job-execution", "--job-id", "eventful-job", "--thing-name", "EventfulSensor", "--status", "SUCCEEDED");

        Assert.All(endpoints, answer => Assert.Equal($"127.0.0.1:{running.Endpoint.Port}", (string)JsonNode.Parse(answer)!["endpointAddress"]!));
        var published = Assert.Single(running.In("eu-west-1").EventsAfter(0, 1000), e => e.Topic.Contains("eventful-job", StringComparison.Ordinal));
        Assert.Equal("$aws/events/jobExecution/eventful-job/succeeded", published.Topic);
        Assert.Equal("arn:aws:iot:eu-west-1:123456789012:thing/EventfulSensor", (string)JsonNode.Parse(published.Payload.Span)!["thingArn"]!);
        Assert.DoesNotContain(running.Emulator.EventsAfter(0, 1000), e => e.Topic.Contains("eventful-job", StringComparison.Ordinal));
    }

    private async Task<string> AwsAsync(string region, params string[] arguments)
    {
        var (exit, output, errors) = await RunAwsAsync(region, arguments);
        Assert.True(exit == 0, $"aws {string.Join(' ', arguments)} in {region} exited {exit}: {errors}");
        return output;
    }

    private Task<(int ExitCode, string Output, string Errors)> RunAwsAsync(string region, params string[] arguments) =>
        ExternalProcess.RunAsync("aws", [.. arguments, "--endpoint-url", running.Endpoint.ToString(), "--output", "json"], TimeSpan.FromSeconds(60), region);
}
