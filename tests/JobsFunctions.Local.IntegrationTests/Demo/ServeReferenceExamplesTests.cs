using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using JobsFunctions.Emulator.Http;
using JobsFunctions.Emulator.Model;
using JobsFunctions.Local.Cli;
using JobsFunctions.Local.Demo;
using JobsFunctions.Local.Stack;
using JobsFunctions.TestSupport;

namespace JobsFunctions.Local.IntegrationTests.Demo;

/// <summary>
/// AWS's own CLI reference examples, typed as the pages print them (only <c>--endpoint-url</c> added), against the
/// <c>serve</c> command in the pages' region (us-west-2) and in another (eu-west-1): the answers the pages show, the
/// state a user would look at afterwards, and the recorder's record of it through the operator API.
/// </summary>
public sealed class ServeReferenceExamplesTests(MotoServer moto, PublishedBootstrap bootstrap) : IClassFixture<MotoServer>, IClassFixture<PublishedBootstrap>
{
    private const string PagesRegion = "us-west-2";
    private const string Arn = "arn:aws:iot:us-west-2:123456789012:";

    [Fact]
    public async Task The_reference_pages_CLI_examples_run_verbatim_against_serve_and_the_recorder_records_what_they_did()
    {
        var apiPort = LoopbackPorts.Free();
        var console = new SharedConsole();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        var serving = StartServe(apiPort, PagesRegion, console, stop.Token);
        try
        {
            var printed = await ServingAsync(console, serving);
            var ready = printed.IndexOf(
                "AWS reference examples ready: SampleJob on MotionSensor1 (IN_PROGRESS), example-job-03 on MyRPi (QUEUED), example-job-01 on MyRaspberryPi (QUEUED)",
                StringComparison.Ordinal);
            var endpoints = printed.IndexOf("Operator API:", StringComparison.Ordinal);
            Assert.True(ready >= 0 && ready < endpoints, printed);
            var endpoint = Regex.Match(printed, @"IoT Jobs emulator:\s+(http://127\.0\.0\.1:[0-9]+/)").Groups[1].Value;

            // https://docs.aws.amazon.com/cli/latest/reference/iot-jobs-data/update-job-execution.html
            var removed = await AwsAsync(endpoint, "iot-jobs-data", "update-job-execution", "--job-id", "SampleJob", "--thing-name", "MotionSensor1", "--status", "REMOVED");
            AssertJson("""{"executionState": {"status": "REMOVED", "versionNumber": 3}}""", removed);
            Assert.Equal("REMOVED", await ExecutionStatusAsync(endpoint, "SampleJob", "MotionSensor1"));

            // https://docs.aws.amazon.com/cli/latest/reference/iot/cancel-job-execution.html: no output.
            Assert.Equal("", await AwsAsync(endpoint, "iot", "cancel-job-execution", "--job-id", "example-job-03", "--thing-name", "MyRPi"));
            Assert.Equal("CANCELED", await ExecutionStatusAsync(endpoint, "example-job-03", "MyRPi"));

            // https://docs.aws.amazon.com/cli/latest/reference/iot/update-job.html: the page's example is a describe-job.
            // Its times are of the day it ran, and members AWS added since (forceCanceled, isConcurrent) come on top.
            var job = JsonNode.Parse(await AwsAsync(endpoint, "iot", "describe-job", "--job-id", "example-job-01"))!["job"]!.AsObject();
            Assert.True((double)job["createdAt"]! > 1.7e9 && (double)job["lastUpdatedAt"]! >= (double)job["createdAt"]!, job.ToJsonString());
            AssertMembers(
                $$"""
                {
                    "jobArn": "{{Arn}}job/example-job-01",
                    "jobId": "example-job-01",
                    "targetSelection": "SNAPSHOT",
                    "status": "IN_PROGRESS",
                    "targets": ["{{Arn}}thing/MyRaspberryPi"],
                    "description": "example job test",
                    "presignedUrlConfig": {},
                    "jobExecutionsRolloutConfig": {},
                    "jobProcessDetails": {
                        "numberOfCanceledThings": 0, "numberOfSucceededThings": 0, "numberOfFailedThings": 0, "numberOfRejectedThings": 0,
                        "numberOfQueuedThings": 1, "numberOfInProgressThings": 0, "numberOfRemovedThings": 0, "numberOfTimedOutThings": 0
                    },
                    "timeoutConfig": {}
                }
                """,
                job);

            // The operation that page is named for, on the job it describes: it prints nothing and the job changes.
            Assert.Equal("", await AwsAsync(
                endpoint, "iot", "update-job", "--job-id", "example-job-01", "--description", "example job, second wave", "--timeout-config", "inProgressTimeoutInMinutes=100"));
            var updated = JsonNode.Parse(await AwsAsync(endpoint, "iot", "describe-job", "--job-id", "example-job-01"))!["job"]!;
            Assert.Equal(("example job, second wave", 100), ((string)updated["description"]!, (int)updated["timeoutConfig"]!["inProgressTimeoutInMinutes"]!));

            // The emulator's events reached the recorder: the store counts each execution the examples ended.
            using var api = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{apiPort}/") };
            Assert.Equal(1, await RecordedCountAsync(api, "SampleJob", "REMOVED"));
            Assert.Equal(1, await RecordedCountAsync(api, "example-job-03", "CANCELED"));
        }
        finally
        {
            await stop.CancelAsync();
        }

        Assert.Equal(LocalCli.Ok, await serving);
        Assert.Contains("Stopping.", console.ToString());
    }

    [Theory]
    [InlineData("us-west-2")]
    [InlineData("eu-west-1")]
    public async Task The_reference_examples_run_verbatim_in_serves_region_and_after_one_schedule_period_the_store_counts_every_job_as_the_emulator_does(string region)
    {
        var arn = $"arn:aws:iot:{region}:123456789012:";
        var apiPort = LoopbackPorts.Free();
        var console = new SharedConsole();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        var serving = StartServe(apiPort, region, console, stop.Token);
        try
        {
            var printed = await ServingAsync(console, serving);
            Assert.Contains("The account keeps going: the clock runs at real time, the sweeper runs every", printed);
            Assert.Contains($"Region:             {region} ", printed);
            var endpoint = Regex.Match(printed, @"IoT Jobs emulator:\s+(http://127\.0\.0\.1:[0-9]+/)").Groups[1].Value;
            Assert.Contains($"  export AWS_ACCESS_KEY_ID=local AWS_SECRET_ACCESS_KEY=local AWS_DEFAULT_REGION={region}{Environment.NewLine}", printed);
            Assert.Contains($"  export AWS_ENDPOINT_URL={endpoint} AWS_ENDPOINT_URL_DYNAMODB=", printed);

            // The pages' commands in serve's region (https://docs.aws.amazon.com/cli/latest/reference/iot/create-thing.html,
            // create-job.html with the thing's ARN in that region, update-job-execution, update-job, describe-job, cancel-job-execution).
            var thing = JsonNode.Parse(await AwsInAsync(region, endpoint, "iot", "create-thing", "--thing-name", "SampleIoTThing"))!;
            var job = JsonNode.Parse(await AwsInAsync(region, endpoint, "iot", "create-job", "--job-id", "sample-iot-job",
                "--targets", arn + "thing/SampleIoTThing", "--document", """{"operation":"reboot"}""", "--target-selection", "SNAPSHOT"))!;
            var removed = await AwsInAsync(region, endpoint, "iot-jobs-data", "update-job-execution", "--job-id", "SampleJob", "--thing-name", "MotionSensor1", "--status", "REMOVED");
            Assert.Equal("", await AwsInAsync(region, endpoint, "iot", "update-job", "--job-id", "example-job-01",
                "--description", "example job, second wave", "--timeout-config", "inProgressTimeoutInMinutes=100"));
            var described = JsonNode.Parse(await AwsInAsync(region, endpoint, "iot", "describe-job", "--job-id", "example-job-01"))!["job"]!;
            Assert.Equal("", await AwsInAsync(region, endpoint, "iot", "cancel-job-execution", "--job-id", "example-job-03", "--thing-name", "MyRPi"));
            Assert.Equal("", await AwsInAsync(region, endpoint, "iot", "cancel-job-execution", "--job-id", "sample-iot-job", "--thing-name", "SampleIoTThing"));

            Assert.Equal((arn + "thing/SampleIoTThing", arn + "job/sample-iot-job"), ((string)thing["thingArn"]!, (string)job["jobArn"]!));
            AssertJson("""{"executionState": {"status": "REMOVED", "versionNumber": 3}}""", removed);
            Assert.Equal((arn + "job/example-job-01", arn + "thing/MyRaspberryPi"), ((string)described["jobArn"]!, (string)described["targets"]![0]!));

            // One period of the template's schedule on the emulator's clock, moved by hand rather than waited for.
            var template = StackTemplate.Load(RepositoryPaths.Template);
            var period = ScheduleRate.Parse(template.FunctionSchedule(template.FunctionWithHandler("sweeper")!)!);
            using var emulator = new HttpClient { BaseAddress = new Uri(endpoint) };
            using var advance = new StringContent($$"""{"advanceSeconds": {{period.TotalSeconds}}}""", Encoding.UTF8, "application/json");
            (await emulator.PostAsync(new Uri("_emulator/clock", UriKind.Relative), advance, TestContext.Current.CancellationToken)).EnsureSuccessStatusCode();

            using var api = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{apiPort}/") };
            foreach (var jobId in new[] { "SampleJob", "example-job-03", "example-job-01", "sample-iot-job" })
            {
                var truth = await EmulatorCountsAsync(region, endpoint, jobId);
                Assert.Equal(truth, await StoreCountsAsync(api, jobId, truth));
            }

            Assert.Equal(1, (await EmulatorCountsAsync(region, endpoint, "SampleJob"))["REMOVED"]);
            Assert.Equal(1, (await EmulatorCountsAsync(region, endpoint, "example-job-01"))["QUEUED"]);
            Assert.Equal(1, (await EmulatorCountsAsync(region, endpoint, "sample-iot-job"))["CANCELED"]);
        }
        finally
        {
            await stop.CancelAsync();
        }

        Assert.Equal(LocalCli.Ok, await serving);
    }

    [Fact]
    public async Task The_boto3_form_of_the_update_job_execution_example_gets_the_answer_the_CLI_page_shows()
    {
        // The boto3 page (https://boto3.amazonaws.com/v1/documentation/api/latest/reference/services/iot-jobs-data/client/update_job_execution.html)
        // gives only the call's syntax; this is that call with the CLI example's values, on the examples as serve sets them up.
        await using var host = await EmulatorHost.StartAsync(new JobsEmulator(new EmulatorClock(frozen: true)), 0, TestContext.Current.CancellationToken);
        Assert.Equal(["SampleJob", "example-job-03", "example-job-01"], ReferenceExamples.Create(host.Emulator, TextWriter.Null));
        const string Script = """
            import boto3, json, sys
            client = boto3.client("iot-jobs-data", endpoint_url=sys.argv[1])
            response = client.update_job_execution(jobId="SampleJob", thingName="MotionSensor1", status="REMOVED")
            print(json.dumps(response["executionState"]))
            """;

        var (exit, output, errors) = await ExternalProcess.RunAsync("python3", ["-c", Script, host.BaseAddress.ToString()], TimeSpan.FromSeconds(60));

        Assert.True(exit == 0, errors);
        AssertJson("""{"status": "REMOVED", "versionNumber": 3}""", output);
    }

    [Fact]
    public async Task A_name_already_taken_is_reported_and_the_rest_are_still_set_up()
    {
        await using var host = await EmulatorHost.StartAsync(new JobsEmulator(new EmulatorClock(frozen: true), PagesRegion), 0, TestContext.Current.CancellationToken);
        var emulator = host.Emulator;
        emulator.CreateThing("MyRPi", new Dictionary<string, string> { ["owner"] = "someone else" });
        emulator.CreateThing("elsewhere", null);
        emulator.CreateJob(new JobSpec { JobId = "SampleJob", Targets = [Arn + "thing/elsewhere"], Document = "{}" });
        using var console = new StringWriter();

        var ready = ReferenceExamples.Create(emulator, console);

        Assert.Equal(["example-job-01"], ready);
        Assert.Contains("AWS reference example SampleJob not set up: Job SampleJob already exists.", console.ToString());
        Assert.Contains("AWS reference example example-job-03 not set up: Thing MyRPi already exists with different attributes.", console.ToString());
        Assert.Contains("AWS reference examples ready: example-job-01 on MyRaspberryPi (QUEUED)", console.ToString());
        Assert.Equal([Arn + "thing/elsewhere"], emulator.DescribeJob("SampleJob").Targets);
    }

    /// <summary>`serve --devices 0 --region REGION` on a free emulator, console and the given API port, against this class's moto and bootstrap.</summary>
    private Task<int> StartServe(int apiPort, string region, SharedConsole console, CancellationToken cancellationToken) => LocalCli.RunAsync(
        ["serve", "--devices", "0", "--region", region, "--emulator-port", "0", "--console-port", "0", "--port", apiPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--dynamo-endpoint", moto.Endpoint.ToString(), "--bootstrap", bootstrap.Path],
        console,
        console,
        cancellationToken);

    private static async Task<string> ServingAsync(SharedConsole console, Task<int> serving)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(3);
        while (!console.ToString().Contains("Press Ctrl+C to stop.", StringComparison.Ordinal))
        {
            Assert.False(serving.IsCompleted, $"serve ended before serving:{Environment.NewLine}{console}");
            Assert.True(DateTime.UtcNow < deadline, $"serve did not come up within 3 minutes:{Environment.NewLine}{console}");
            await Task.Delay(200, TestContext.Current.CancellationToken);
        }

        return console.ToString();
    }

    private static async Task<string> ExecutionStatusAsync(string endpoint, string jobId, string thingName)
    {
        var described = JsonNode.Parse(await AwsAsync(endpoint, "iot", "describe-job-execution", "--job-id", jobId, "--thing-name", thingName))!;
        return (string)described["execution"]!["status"]!;
    }

    /// <summary>The store's count of the job's executions in one status, once the recorder has written it.</summary>
    private static async Task<long> RecordedCountAsync(HttpClient api, string jobId, string status)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (true)
        {
            using var response = await api.GetAsync(new Uri($"jobs/{jobId}", UriKind.Relative), TestContext.Current.CancellationToken);
            var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
            if (response.IsSuccessStatusCode && JsonNode.Parse(body)?["counts"]?[status] is { } count && (long)count > 0)
            {
                return (long)count;
            }

            Assert.True(DateTime.UtcNow < deadline, $"GET /jobs/{jobId} still answers {(int)response.StatusCode} {body}");
            await Task.Delay(250, TestContext.Current.CancellationToken);
        }
    }

    /// <summary>The job's things by status as the emulator counts them (describe-job's jobProcessDetails).</summary>
    private static async Task<SortedDictionary<string, long>> EmulatorCountsAsync(string region, string endpoint, string jobId)
    {
        var details = JsonNode.Parse(await AwsInAsync(region, endpoint, "iot", "describe-job", "--job-id", jobId))!["job"]!["jobProcessDetails"]!.AsObject();
        var counts = new SortedDictionary<string, long>(StringComparer.Ordinal);
        foreach (var (member, value) in details)
        {
            if (Regex.Match(member, "^numberOf(.+)Things$") is { Success: true } match)
            {
                counts[Regex.Replace(match.Groups[1].Value, "(?<=[a-z])(?=[A-Z])", "_").ToUpperInvariant()] = (long)value!;
            }
        }

        return counts;
    }

    /// <summary>The store's counts of the job (GET /jobs/{jobId}), once they equal <paramref name="expected"/> or a minute has passed.</summary>
    private static async Task<SortedDictionary<string, long>> StoreCountsAsync(HttpClient api, string jobId, SortedDictionary<string, long> expected)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (true)
        {
            using var response = await api.GetAsync(new Uri($"jobs/{jobId}", UriKind.Relative), TestContext.Current.CancellationToken);
            var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
            var counts = new SortedDictionary<string, long>(StringComparer.Ordinal);
            if (response.IsSuccessStatusCode && JsonNode.Parse(body)?["counts"] is JsonObject stored)
            {
                foreach (var status in expected.Keys)
                {
                    counts[status] = stored[status] is { } count ? (long)count : 0;
                }
            }

            if (counts.SequenceEqual(expected) || DateTime.UtcNow >= deadline)
            {
                return counts;
            }

            await Task.Delay(250, TestContext.Current.CancellationToken);
        }
    }

    private static Task<string> AwsAsync(string endpoint, params string[] arguments) => AwsInAsync(PagesRegion, endpoint, arguments);

    private static async Task<string> AwsInAsync(string region, string endpoint, params string[] arguments)
    {
        var (exit, output, errors) = await ExternalProcess.RunAsync("aws", [.. arguments, "--endpoint-url", endpoint], TimeSpan.FromSeconds(60), region);
        Assert.True(exit == 0, $"aws {string.Join(' ', arguments)} in {region} exited {exit}: {errors}");
        return output.Trim();
    }

    private static void AssertJson(string expected, string actual) =>
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected), JsonNode.Parse(actual)), $"expected {expected}{Environment.NewLine}got {actual}");

    private static void AssertMembers(string expected, JsonObject actual)
    {
        foreach (var (name, value) in JsonNode.Parse(expected)!.AsObject())
        {
            Assert.True(JsonNode.DeepEquals(value, actual[name]), $"{name}: expected {value?.ToJsonString()}, got {actual[name]?.ToJsonString()}");
        }
    }
}
