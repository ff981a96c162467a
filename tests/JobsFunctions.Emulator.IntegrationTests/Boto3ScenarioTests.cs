using System.Text.Json.Nodes;
using JobsFunctions.TestSupport;

namespace JobsFunctions.Emulator.IntegrationTests;

/// <summary>
/// boto3, unmodified, through every operation the emulator serves (Scenarios/boto3_scenario.py, one python process
/// for the whole scenario): each fact checks what boto3 got back at one or more steps.
/// </summary>
public sealed class Boto3ScenarioTests(Boto3ScenarioTests.Scenario scenario) : IClassFixture<Boto3ScenarioTests.Scenario>
{
    private const string Arn = "arn:aws:iot:us-east-1:123456789012:";

    [Fact]
    public void Things_groups_event_configurations_and_the_jobs_endpoint_answer_in_the_models_shapes()
    {
        Assert.Equal(Arn + "thing/t1", Text("createThing_t1", "thingArn"));
        Assert.Equal("t1", Text("describeThing", "thingName"));
        Assert.Equal(1, (int)scenario.Step("describeThing")["version"]!);
        Assert.Equal(Arn + "thinggroup/fleet", Text("createThingGroup", "thingGroupArn"));
        Assert.Equal("the fleet", (string)scenario.Step("describeThingGroup")["thingGroupProperties"]!["thingGroupDescription"]!);
        var configurations = scenario.Step("describeEventConfigurations")["eventConfigurations"]!;
        Assert.True((bool)configurations["JOB"]!["Enabled"]!);
        Assert.True((bool)configurations["JOB_EXECUTION"]!["Enabled"]!);
        Assert.False((bool)configurations["THING"]!["Enabled"]!);
        Assert.Equal($"127.0.0.1:{scenario.Port}", Text("describeEndpoint", "endpointAddress"));
    }

    [Fact]
    public void CreateJob_answers_its_identity_and_refuses_an_id_in_use_with_409()
    {
        Assert.Equal(Arn + "job/job1", Text("createJob", "jobArn"));
        Assert.Equal("firmware 2", Text("createJob", "description"));
        AssertError("createJobAgain", "ResourceAlreadyExistsException", 409);
        Assert.Equal(("job1", Arn + "job/job1"), (Text("createJobAgain", "resourceId"), Text("createJobAgain", "resourceArn")));
        Assert.Equal("{\"operation\":\"update\"}", Text("getJobDocument", "document"));
        var job = scenario.Step("describeJob_created")["job"]!;
        Assert.Equal(("IN_PROGRESS", "SNAPSHOT", 2), ((string)job["status"]!, (string)job["targetSelection"]!, (int)job["jobProcessDetails"]!["numberOfQueuedThings"]!));
        Assert.Equal(10, (int)job["timeoutConfig"]!["inProgressTimeoutInMinutes"]!);
        Assert.Null(job["document"]);
    }

    [Fact]
    public void The_device_side_lists_starts_and_updates_executions_with_versions_moving_on_each_change()
    {
        var queued = Assert.Single(scenario.Step("getPending_t1")["queuedJobs"]!.AsArray())!;
        Assert.Equal(("job1", 1L, 1L), ((string)queued["jobId"]!, (long)queued["versionNumber"]!, (long)queued["executionNumber"]!));
        Assert.Equal("QUEUED", (string)scenario.Step("describeNext_t1")["execution"]!["status"]!);
        Assert.Equal("{\"operation\":\"update\"}", (string)scenario.Step("describeNext_t1")["execution"]!["jobDocument"]!);

        var started = scenario.Step("startNext_t1")["execution"]!;
        Assert.Equal(("IN_PROGRESS", 2L, "download", 300L), (
            (string)started["status"]!, (long)started["versionNumber"]!, (string)started["statusDetails"]!["step"]!,
            (long)started["approximateSecondsBeforeTimedOut"]!));

        var state = scenario.Step("update_inProgress");
        Assert.Equal((3L, "install"), ((long)state["executionState"]!["versionNumber"]!, (string)state["executionState"]!["statusDetails"]!["step"]!));
        Assert.Equal("{\"operation\":\"update\"}", (string)state["jobDocument"]!);

        // -1 dropped the step timer: only the 10-minute in-progress timer is left.
        var described = scenario.Step("describeExecution_data")["execution"]!;
        Assert.Equal(600L, (long)described["approximateSecondsBeforeTimedOut"]!);
        Assert.Null(described["jobDocument"]);
        Assert.Empty(scenario.Step("update_succeeded").AsObject());
    }

    [Fact]
    public void The_data_plane_refuses_a_stale_version_a_terminal_execution_and_a_service_status()
    {
        AssertError("update_staleVersion", "InvalidStateTransitionException", 409);
        AssertError("update_afterTerminal", "InvalidStateTransitionException", 409);
        AssertError("update_serviceStatus", "InvalidRequestException", 400);
        AssertError("describeExecution_data_completedJob", "TerminalStateException", 410);
    }

    [Fact]
    public void A_FAILED_execution_is_retried_as_execution_2_and_the_first_stays_readable_by_number()
    {
        var retry = scenario.Step("describeExecution_retry")["execution"]!;
        Assert.Equal(("QUEUED", 2L, 1L), ((string)retry["status"]!, (long)retry["executionNumber"]!, (long)retry["versionNumber"]!));
        var first = scenario.Step("describeExecution_first")["execution"]!;
        Assert.Equal(("FAILED", "checksum"), ((string)first["status"]!, (string)first["statusDetails"]!["detailsMap"]!["reason"]!));
        Assert.Equal(Arn + "thing/t2", (string)first["thingArn"]!);
        Assert.Null(first["thingName"]);

        Assert.Empty(scenario.Step("listForJob_failed")["executionSummaries"]!.AsArray());
        var page1 = scenario.Step("listForJob_page1");
        var page2 = scenario.Step("listForJob_page2");
        Assert.NotNull(page1["nextToken"]);
        Assert.Null(page2["nextToken"]);
        Assert.Equal([Arn + "thing/t1", Arn + "thing/t2"], new[] { page1, page2 }.Select(p => (string)p["executionSummaries"]![0]!["thingArn"]!));
        Assert.Equal(1, (int)page2["executionSummaries"]![0]!["jobExecutionSummary"]!["retryAttempt"]!);
        Assert.Equal("job1", (string)scenario.Step("listForThing_t2")["executionSummaries"]![0]!["jobId"]!);
    }

    [Fact]
    public void The_step_timer_times_out_on_the_virtual_clock_and_the_job_then_completes_counting_each_thing()
    {
        Assert.Equal("IN_PROGRESS", (string)scenario.Step("describeExecution_before")["execution"]!["status"]!);
        Assert.Equal(1L, (long)scenario.Step("describeExecution_before")["execution"]!["approximateSecondsBeforeTimedOut"]!);
        var timedOut = scenario.Step("describeExecution_timedOut")["execution"]!;
        Assert.Equal(("TIMED_OUT", 3L), ((string)timedOut["status"]!, (long)timedOut["versionNumber"]!));
        Assert.Equal((double)scenario.Step("clock_1s")["now"]!, (double)timedOut["lastUpdatedAt"]!, 3);

        var job = scenario.Step("describeJob_completed")["job"]!;
        Assert.Equal("COMPLETED", (string)job["status"]!);
        Assert.NotNull(job["completedAt"]);
        var counts = job["jobProcessDetails"]!;
        Assert.Equal((1, 1, 0, 0), ((int)counts["numberOfSucceededThings"]!, (int)counts["numberOfTimedOutThings"]!,
            (int)counts["numberOfQueuedThings"]!, (int)counts["numberOfFailedThings"]!));
    }

    [Fact]
    public void A_CONTINUOUS_job_follows_its_group_and_cancel_and_update_apply_their_rules()
    {
        var joined = scenario.Step("listForJob2_joined")["executionSummaries"]!.AsArray();
        Assert.Equal([Arn + "thing/t3", Arn + "thing/t1"], joined.Select(s => (string)s!["thingArn"]!));
        var removed = scenario.Step("describeExecution_removed")["execution"]!;
        Assert.Equal(("REMOVED", 2L), ((string)removed["status"]!, (long)removed["versionNumber"]!));

        AssertError("cancelExecution_stale", "VersionConflictException", 409);
        var canceled = scenario.Step("describeExecution_canceled")["execution"]!;
        Assert.Equal(("CANCELED", "operator", false), ((string)canceled["status"]!, (string)canceled["statusDetails"]!["detailsMap"]!["by"]!, (bool)canceled["forceCanceled"]!));

        var job = scenario.Step("describeJob_updated")["job"]!;
        Assert.Equal("reboot, second wave", (string)job["description"]!);
        Assert.Equal(100, (int)job["jobExecutionsRolloutConfig"]!["maximumPerMinute"]!);
        Assert.Equal(50.0, (double)job["abortConfig"]!["criteriaList"]![0]!["thresholdPercentage"]!);
        AssertError("updateJob_retriesUp", "InvalidRequestException", 400);
        AssertError("deleteJob_running", "InvalidStateTransitionException", 409);
        Assert.Equal(["job2"], scenario.Step("listJobs_inProgress")["jobs"]!.AsArray().Select(j => (string)j!["jobId"]!));
        Assert.Single(scenario.Step("listJobs_page1")["jobs"]!.AsArray());
        Assert.NotNull(scenario.Step("listJobs_page1")["nextToken"]);
    }

    [Fact]
    public void CancelJob_with_force_cancels_IN_PROGRESS_executions_and_DeleteJob_passes_through_DELETION_IN_PROGRESS()
    {
        var job = scenario.Step("describeJob_canceled")["job"]!;
        Assert.Equal(("CANCELED", true, "OPERATOR_STOP", "stopped by hand"),
            ((string)job["status"]!, (bool)job["forceCanceled"]!, (string)job["reasonCode"]!, (string)job["comment"]!));
        var execution = scenario.Step("describeExecution_forceCanceled")["execution"]!;
        Assert.Equal(("CANCELED", true, 3L), ((string)execution["status"]!, (bool)execution["forceCanceled"]!, (long)execution["versionNumber"]!));
        AssertError("cancelJob_again", "InvalidRequestException", 400);
        Assert.Equal("DELETION_IN_PROGRESS", (string)scenario.Step("describeJob_deleting")["job"]!["status"]!);
        AssertError("describeJob_deleted", "ResourceNotFoundException", 404);
    }

    [Theory]
    [InlineData("bad_jobId", "jobId must match")]
    [InlineData("bad_documentSize", "document is 32769 characters long")]
    [InlineData("bad_timeout", "inProgressTimeoutInMinutes must be from 1 to 10080")]
    [InlineData("bad_target", "is not the ARN of a thing or thing group")]
    [InlineData("bad_status", "status must be one of QUEUED")]
    [InlineData("bad_statusDetails", "statusDetails has 11 entries")]
    [InlineData("bad_stepTimeout", "stepTimeoutInMinutes must be from 1 to 10080")]
    [InlineData("bad_maxResults", "maxResults must be from 1 to 250")]
    [InlineData("bad_reasonCode", "reasonCode must match")]
    [InlineData("bad_incrementFactor", "incrementFactor must be from 1.1 to 5")]
    [InlineData("bad_eventType", "unknown event type JOBS")]
    public void Bad_input_is_an_InvalidRequestException_naming_the_problem(string step, string problem)
    {
        AssertError(step, "InvalidRequestException", 400);
        Assert.Contains(problem, (string)scenario.Step(step)["message"]!);
    }

    [Fact]
    public void Missing_resources_are_404_and_an_unknown_route_is_UnknownOperationException()
    {
        AssertError("missingJob", "ResourceNotFoundException", 404);
        AssertError("describeMissingThing", "ResourceNotFoundException", 404);
        AssertError("bad_missingThing", "ResourceNotFoundException", 404);
        Assert.Equal(404, (int)scenario.Step("unknownRoute")["status"]!);
        Assert.Equal("UnknownOperationException", (string)scenario.Step("unknownRoute")["errorType"]!);
    }

    [Fact]
    public void Events_are_published_in_order_with_AWS_topics_and_payloads()
    {
        var events = scenario.Step("events")["events"]!.AsArray();
        Assert.Equal(
            [
                "$aws/events/jobExecution/job1/succeeded", "$aws/events/jobExecution/job1/failed", "$aws/events/jobExecution/job1/timed_out",
                "$aws/events/job/job1/completed", "$aws/events/jobExecution/job2/removed", "$aws/events/jobExecution/job2/canceled",
                "$aws/events/job/job3/cancellation_in_progress", "$aws/events/jobExecution/job3/canceled", "$aws/events/jobExecution/job3/canceled",
                "$aws/events/job/job3/canceled", "$aws/events/jobExecution/job3/deleted", "$aws/events/job/job3/deletion_in_progress",
                "$aws/events/jobExecution/job3/deleted", "$aws/events/job/job3/deleted",
            ],
            events.Select(e => (string)e!["topic"]!));
        Assert.Equal(Enumerable.Range(1, events.Count).Select(i => (long)i), events.Select(e => (long)e!["sequence"]!));
        var failed = events[1]!["payload"]!;
        Assert.Equal(("JOB_EXECUTION", "failed", "FAILED", Arn + "thing/t2", "checksum"), (
            (string)failed["eventType"]!, (string)failed["operation"]!, (string)failed["status"]!, (string)failed["thingArn"]!,
            (string)failed["statusDetails"]!["reason"]!));
        var completed = events[3]!["payload"]!;
        Assert.Equal(("JOB", "COMPLETED", "SNAPSHOT"), ((string)completed["eventType"]!, (string)completed["status"]!, (string)completed["targetSelection"]!));
        Assert.Equal(1, (int)completed["jobProcessDetails"]!["numberOfSucceededThings"]!);
    }

    private string Text(string step, string member) => (string)scenario.Step(step)[member]!;

    private void AssertError(string step, string code, int status)
    {
        var answer = scenario.Step(step);
        Assert.Equal((code, status, code), ((string?)answer["error"], (int?)answer["status"], (string?)answer["errorTypeHeader"]));
    }

    /// <summary>Runs the scenario once against a fresh emulator and keeps what boto3 saw.</summary>
    public sealed class Scenario : IAsyncLifetime
    {
        private readonly RunningEmulator _emulator = new();
        private JsonObject? _steps;

        public int Port => _emulator.Endpoint.Port;

        public JsonNode Step(string name) =>
            (_steps ?? throw new InvalidOperationException("The scenario has not run."))[name] ?? throw new KeyNotFoundException($"The scenario has no step {name}.");

        public async ValueTask InitializeAsync()
        {
            await _emulator.InitializeAsync();
            var script = Path.Combine(AppContext.BaseDirectory, "Scenarios", "boto3_scenario.py");
            var (exit, output, errors) = await ExternalProcess.RunAsync("python3", [script, _emulator.Endpoint.ToString()], TimeSpan.FromMinutes(2));
            Assert.True(exit == 0, $"boto3_scenario.py failed (exit {exit}): {errors}");
            _steps = JsonNode.Parse(output)!.AsObject();
        }

        public ValueTask DisposeAsync() => _emulator.DisposeAsync();
    }
}
