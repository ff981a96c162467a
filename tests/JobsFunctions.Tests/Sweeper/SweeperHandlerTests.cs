using System.Text;
using System.Text.Json.Nodes;
using JobsFunctions.Configuration;
using JobsFunctions.Domain.Executions;
using JobsFunctions.Domain.Operations;
using JobsFunctions.Domain.Policies;
using JobsFunctions.Domain.Sweeping;
using JobsFunctions.Hosting;
using JobsFunctions.Sweeper;
using JobsFunctions.TestSupport;
using JobsFunctions.TestSupport.Operations;
using Microsoft.Extensions.Time.Testing;

namespace JobsFunctions.Tests.Sweeper;

public sealed class SweeperHandlerTests
{
    private const string JobId = "fw-2026-11";

    private const string ScheduledEvent = """
        {"version":"0","id":"53dc4d37-cffa-4f76-80c9-8b7d4a4d2eaa","detail-type":"Scheduled Event","source":"aws.events",
         "account":"111122223333","time":"2026-11-23T12:00:00Z","region":"eu-west-1",
         "resources":["arn:aws:events:eu-west-1:111122223333:rule/jobs-SweeperFunctionSweep"],"detail":{}}
        """;

    private static readonly DateTimeOffset Now = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);

    private readonly FakeTimeProvider _clock = new(Now);
    private readonly InMemoryRecordStore _records = new();
    private readonly InMemoryPolicyStore _policies = new();
    private readonly InMemorySweepState _state = new();
    private readonly InMemoryAuditLog _audit = new();
    private readonly FakeJobsControl _iot;
    private readonly StringBuilder _log = new();

    public SweeperHandlerTests() => _iot = new FakeJobsControl(_clock).AddJob(JobId);

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private IReadOnlyList<JsonObject> LogLines => [.. _log.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => JsonNode.Parse(line)!.AsObject())];

    private SweeperHandler Handler(TimeSpan? budget = null) => new(
        Sweepers.Create(_iot, _records, _policies, _state, _audit, _iot, _clock),
        new SweeperSettings(null, budget ?? TimeSpan.FromSeconds(40)), _clock, new StringWriter(_log));

    private Task<byte[]> InvokeAsync(SweeperHandler handler, string payload = ScheduledEvent, TimeSpan? untilDeadline = null) =>
        handler.HandleAsync(Encoding.UTF8.GetBytes(payload),
            new InvocationContext("sweep-request-1", Now + (untilDeadline ?? TimeSpan.FromSeconds(60)), "arn:aws:lambda:eu-west-1:111122223333:function:jobs-sweeper", null),
            Cancel);

    private async Task StuckExecutionUnderPolicyAsync()
    {
        await _policies.TryPutAsync(new StoredPolicy(JobId, new JobPolicy(false, [], new PolicyTimeouts(InProgressTimeoutInMinutes: 120)), 1, Now.AddDays(-1), "ops"), 0, Cancel);
        _iot.AddExecution(JobId, "pump-1", ExecutionStatus.InProgress, version: 3, startedAt: Now.AddMinutes(-180), lastUpdatedAt: Now.AddMinutes(-180));
    }

    [Fact]
    public async Task A_scheduled_run_acts_on_a_policy_and_logs_one_line_with_its_metrics()
    {
        await StuckExecutionUnderPolicyAsync();

        var answer = await InvokeAsync(Handler());

        Assert.Equal("{\"outcome\":\"finished\"}", Encoding.UTF8.GetString(answer));
        Assert.Equal(("pump-1", 3L), (Assert.Single(_iot.CancelCalls).ThingName, _iot.CancelCalls[0].ExpectedVersion));
        var line = Assert.Single(LogLines);
        Assert.Equal(("INFO", "sweep finished", "53dc4d37-cffa-4f76-80c9-8b7d4a4d2eaa"),
            (line["level"]?.GetValue<string>(), line["message"]?.GetValue<string>(), line["scheduledEventId"]?.GetValue<string>()));
        Assert.Equal((1, 0, 0, 0), (line["Actions"]?.GetValue<int>(), line["DryRunActions"]?.GetValue<int>(), line["Skips"]?.GetValue<int>(), line["EventsOff"]?.GetValue<int>()));
        Assert.True(line["IotCalls"]?.GetValue<int>() >= 3);
        Assert.Equal("sweeper", line["Function"]?.GetValue<string>());
        var metrics = line["_aws"]!["CloudWatchMetrics"]![0]!["Metrics"]!.AsArray().Select(metric => metric!["Name"]!.GetValue<string>());
        Assert.Equal(["Actions", "DryRunActions", "Skips", "ExecutionsExamined", "ReconciledChanges", "IotCalls", "Throttles", "JobErrors", "RunDuration",
            "EventsCheckFailed", "EventsOff"], metrics);
        Assert.Equal((0, 0, 0), (line["JobErrors"]?.GetValue<int>(), line["EventsCheckFailed"]?.GetValue<int>(), line["jobsFailed"]?.GetValue<int>()));
    }

    [Fact]
    public async Task A_job_that_could_not_be_swept_logs_an_ERROR_with_its_id_and_code_and_raises_JobErrors()
    {
        await StuckExecutionUnderPolicyAsync();
        _iot.Refuse("ListJobExecutionsForJob", JobId, JobsControlErrors.Refused("AccessDeniedException", "AWS IoT refused ListJobExecutionsForJob: access denied."));

        var answer = await InvokeAsync(Handler());

        Assert.Equal("{\"outcome\":\"jobsFailed\"}", Encoding.UTF8.GetString(answer));
        var error = LogLines.Single(line => line["level"]?.GetValue<string>() == "ERROR");
        Assert.Equal((JobId, "aws.AccessDeniedException"), (error["jobId"]?.GetValue<string>(), error["errorCode"]?.GetValue<string>()));
        var summary = LogLines.Single(line => line.ContainsKey("_aws"));
        Assert.Equal(("WARN", 1, 1), (summary["level"]?.GetValue<string>(), summary["JobErrors"]?.GetValue<int>(), summary["jobsFailed"]?.GetValue<int>()));
    }

    [Fact]
    public async Task A_failed_event_check_raises_EventsCheckFailed_and_reports_no_EventsOff_value()
    {
        _iot.FailNext(JobsControlErrors.Unavailable("AWS IoT could not serve DescribeEventConfigurations; retry later."));

        await InvokeAsync(Handler());

        var line = Assert.Single(LogLines);
        Assert.Equal((1, false), (line["EventsCheckFailed"]?.GetValue<int>(), line.ContainsKey(SweeperHandler.EventsOffMetric)));
        var metrics = line["_aws"]!["CloudWatchMetrics"]![0]!["Metrics"]!.AsArray().Select(metric => metric!["Name"]!.GetValue<string>());
        Assert.DoesNotContain(SweeperHandler.EventsOffMetric, metrics);
    }

    [Theory]
    [InlineData(true, false)]
    [InlineData(false, true)]
    public async Task Events_switched_off_log_an_ERROR_and_raise_the_EventsOff_metric(bool jobEvents, bool executionEvents)
    {
        _iot.EventSwitches = new JobEventSwitches(jobEvents, executionEvents);

        await InvokeAsync(Handler());

        var error = LogLines.Single(line => line["level"]?.GetValue<string>() == "ERROR");
        Assert.Equal((jobEvents, executionEvents), (error["jobEvents"]!.GetValue<bool>(), error["jobExecutionEvents"]!.GetValue<bool>()));
        Assert.Equal(1, LogLines.Single(line => line.ContainsKey("_aws"))[SweeperHandler.EventsOffMetric]?.GetValue<int>());
    }

    [Fact]
    public async Task A_run_whose_lease_is_held_does_nothing_and_says_so()
    {
        await StuckExecutionUnderPolicyAsync();
        await _state.TryAcquireLeaseAsync("another-run", Now, TimeSpan.FromMinutes(2), Cancel);

        var answer = await InvokeAsync(Handler());

        Assert.Equal("{\"outcome\":\"leaseHeld\"}", Encoding.UTF8.GetString(answer));
        Assert.Empty(_iot.CancelCalls);
        Assert.Equal("sweep leaseHeld", Assert.Single(LogLines)["message"]?.GetValue<string>());
    }

    [Fact]
    public async Task The_budget_ends_well_before_the_deadline_when_the_deadline_is_nearer()
    {
        await StuckExecutionUnderPolicyAsync();

        // 8 s to the deadline is inside the 10 s margin: the run starts no work and leaves it to the next.
        var answer = await InvokeAsync(Handler(), untilDeadline: TimeSpan.FromSeconds(8));

        Assert.Equal("{\"outcome\":\"resumeNext\"}", Encoding.UTF8.GetString(answer));
        Assert.Empty(_iot.CancelCalls);
    }

    [Fact]
    public async Task A_payload_that_is_not_JSON_fails_the_invocation() =>
        await Assert.ThrowsAnyAsync<System.Text.Json.JsonException>(() => InvokeAsync(Handler(), "not json"));
}
