using JobsFunctions.Domain.Executions;
using JobsFunctions.Domain.Jobs;
using JobsFunctions.Domain.Recording;
using static JobsFunctions.Tests.Api.ApiHarness;

namespace JobsFunctions.Tests.Api;

public sealed class OperatorApiReadTests
{
    private static readonly Dictionary<string, string> NoDetails = [];

    private readonly ApiHarness _api = new();
    private readonly StatusRecorder _recorder;

    public OperatorApiReadTests() => _recorder = new StatusRecorder(_api.Records, _api.Clock);

    private Task<ExecutionRecording> Observe(string thingName, ExecutionStatus status, string id, int minutesAgo = 0, string jobId = JobId,
        IReadOnlyDictionary<string, string>? details = null) =>
        _recorder.RecordAsync(new ExecutionObservation(jobId, thingName, status, details ?? NoDetails, ObservationSource.Event, id,
            _api.Clock.GetUtcNow().AddMinutes(-minutesAgo)), TestContext.Current.CancellationToken);

    [Fact]
    public async Task A_job_shows_its_recorded_state_and_live_counters()
    {
        await Observe("t1", ExecutionStatus.Succeeded, "e1");
        await Observe("t2", ExecutionStatus.Failed, "e2");
        await Observe("t3", ExecutionStatus.Failed, "e3");
        await _recorder.RecordAsync(new JobObservation(JobId, JobStatus.Completed, "j1", _api.Clock.GetUtcNow(), Description: "Firmware 2.4.1"),
            TestContext.Current.CancellationToken);

        var reply = await _api.InvokeAsync("api-get-job.json");

        Assert.Equal(200, reply.Status);
        Assert.Equal(("COMPLETED", "Firmware 2.4.1"), (reply.Body["status"]?.GetValue<string>(), reply.Body["description"]?.GetValue<string>()));
        Assert.Equal((1, 2, 0), (reply.Body["counts"]!["SUCCEEDED"]!.GetValue<long>(), reply.Body["counts"]!["FAILED"]!.GetValue<long>(),
            reply.Body["counts"]!["QUEUED"]!.GetValue<long>()));
        Assert.Equal(3, reply.Body["totalExecutions"]!.GetValue<long>());
    }

    [Fact]
    public async Task A_job_known_only_through_its_executions_is_still_found()
    {
        await Observe("t1", ExecutionStatus.Rejected, "e1");

        var reply = await _api.InvokeAsync("api-get-job.json");

        Assert.Equal(200, reply.Status);
        Assert.Null(reply.Body["status"]);
        Assert.Equal(1, reply.Body["counts"]!["REJECTED"]!.GetValue<long>());
    }

    [Fact]
    public async Task A_job_with_nothing_recorded_is_a_404()
    {
        var reply = await _api.InvokeAsync("api-get-job.json");

        Assert.Equal((404, "notFound.job"), (reply.Status, reply.Code));
    }

    [Fact]
    public async Task A_job_executions_can_be_filtered_by_status_and_paged()
    {
        await Observe("t1", ExecutionStatus.Failed, "e1");
        await Observe("t2", ExecutionStatus.Succeeded, "e2");
        await Observe("t3", ExecutionStatus.Failed, "e3");
        var @event = WithQuery(Event("api-list-job-executions.json"), ("status", "FAILED"), ("limit", "1"));

        var first = await _api.InvokeAsync(@event);
        var second = await _api.InvokeAsync(WithQuery(Event("api-list-job-executions.json"),
            ("status", "FAILED"), ("limit", "1"), ("nextToken", first.Body["nextToken"]!.GetValue<string>())));

        Assert.Equal("t1", Assert.Single(first.Body["executions"]!.AsArray())!["thingName"]!.GetValue<string>());
        Assert.Equal("t3", Assert.Single(second.Body["executions"]!.AsArray())!["thingName"]!.GetValue<string>());
        Assert.Null(second.Body["nextToken"]);
    }

    [Fact]
    public async Task The_sample_list_event_answers_a_list()
    {
        await Observe("sensor-42", ExecutionStatus.Failed, "e1");

        var reply = await _api.InvokeAsync("api-list-job-executions.json");

        Assert.Equal("FAILED", Assert.Single(reply.Body["executions"]!.AsArray())!["status"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("limit", "ten", "validation.limit.type")]
    [InlineData("limit", "0", "validation.limit.tooSmall")]
    [InlineData("limit", "251", "validation.limit.tooLarge")]
    [InlineData("status", "failed", "validation.status.invalid")]
    [InlineData("sort", "asc", "validation.query.unknown")]
    public async Task Bad_query_values_are_400s_naming_the_parameter(string name, string value, string code)
    {
        var reply = await _api.InvokeAsync(WithQuery(Event("api-list-job-executions.json"), (name, value)));

        Assert.Equal((400, code, name), (reply.Status, reply.Code, reply.Field));
    }

    [Fact]
    public async Task An_execution_ledger_lists_every_observation_in_time_order()
    {
        _api.Jobs.AddExecution(JobId, ThingName, ExecutionStatus.Queued);
        await _api.InvokeAsync(WithBody(WithHeader(Event("api-update-job-execution.json"), "idempotency-key", null), """{"status":"IN_PROGRESS"}"""));
        await Observe(ThingName, ExecutionStatus.Failed, "event-1", minutesAgo: -5, details: new Dictionary<string, string> { ["error"] = "E42" });

        var reply = await _api.InvokeAsync("api-get-execution-ledger.json");

        Assert.Equal(200, reply.Status);
        Assert.Equal("FAILED", reply.Body["execution"]!["status"]!.GetValue<string>());
        var ledger = reply.Body["ledger"]!.AsArray();
        Assert.Equal(["OPERATOR_UPDATE", "EVENT"], ledger.Select(entry => entry!["source"]!.GetValue<string>()));
        Assert.Equal(["api:Jx8bu1WvIAMEd-A=", "event-1"], ledger.Select(entry => entry!["observationId"]!.GetValue<string>()));
        Assert.Equal("E42", reply.Body["execution"]!["latestFailure"]!["statusDetails"]!["error"]!.GetValue<string>());
    }

    [Fact]
    public async Task An_execution_never_recorded_is_a_404()
    {
        var reply = await _api.InvokeAsync("api-get-execution-ledger.json");

        Assert.Equal((404, "notFound.execution"), (reply.Status, reply.Code));
    }

    [Fact]
    public async Task A_thing_executions_each_show_their_latest_failure()
    {
        await Observe(ThingName, ExecutionStatus.Failed, "e1", jobId: "fw-a", details: new Dictionary<string, string> { ["error"] = "disk full" });
        await Observe(ThingName, ExecutionStatus.Succeeded, "e2", jobId: "fw-b");

        var reply = await _api.InvokeAsync("api-list-thing-executions.json");

        var executions = reply.Body["executions"]!.AsArray();
        Assert.Equal(["fw-a", "fw-b"], executions.Select(execution => execution!["jobId"]!.GetValue<string>()));
        Assert.Equal("disk full", executions[0]!["latestFailure"]!["statusDetails"]!["error"]!.GetValue<string>());
        Assert.Null(executions[1]!["latestFailure"]);
    }

    [Fact]
    public async Task The_audit_trail_lists_a_job_requests_newest_first_with_their_callers()
    {
        _api.Jobs.AddExecution(JobId, ThingName, ExecutionStatus.InProgress, version: 2);
        await _api.InvokeAsync("api-update-job.json");
        _api.Clock.Advance(TimeSpan.FromMinutes(1));
        await _api.InvokeAsync("api-cancel-job-execution.json");

        var reply = await _api.InvokeAsync("api-list-job-audit.json");

        var entries = reply.Body["entries"]!.AsArray();
        Assert.Equal(["CancelJobExecution", "UpdateJob"], entries.Select(entry => entry!["operation"]!.GetValue<string>()));
        var cancel = entries[0]!;
        Assert.Equal("arn:aws:sts::111122223333:assumed-role/JobsOperator/alice", cancel["caller"]!["userArn"]!.GetValue<string>());
        Assert.Equal("Device is being returned for repair", cancel["reason"]!.GetValue<string>());
        Assert.Equal("CANCELED", cancel["after"]!["status"]!.GetValue<string>());
        Assert.Equal("true", cancel["parameters"]!["force"]!.GetValue<string>());
    }
}
