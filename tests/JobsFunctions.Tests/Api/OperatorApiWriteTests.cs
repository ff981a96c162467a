using JobsFunctions.Domain.Executions;
using JobsFunctions.Domain.Operations;
using static JobsFunctions.Tests.Api.ApiHarness;

namespace JobsFunctions.Tests.Api;

public sealed class OperatorApiWriteTests
{
    private readonly ApiHarness _api = new();

    public OperatorApiWriteTests() => _api.Jobs.AddExecution(JobId, ThingName, ExecutionStatus.InProgress, version: 2,
        details: new Dictionary<string, string> { ["step"] = "download" });

    [Fact]
    public async Task The_sample_update_job_execution_event_updates_records_and_answers_the_AWS_shape()
    {
        var reply = await _api.InvokeAsync("api-update-job-execution.json");

        Assert.Equal(200, reply.Status);
        Assert.Equal("application/json", reply.Headers["content-type"]);
        Assert.Equal("SUCCEEDED", reply.Body["executionState"]?["status"]?.GetValue<string>());
        Assert.Equal(3, reply.Body["executionState"]?["versionNumber"]?.GetValue<long>());
        Assert.Equal("flash", reply.Body["executionState"]?["statusDetails"]?["step"]?.GetValue<string>());
        Assert.Null(reply.Body["jobDocument"]);
        var record = _api.Recorded(JobId, ThingName)!;
        Assert.Equal((ExecutionStatus.Succeeded, 3L), (record.Status, record.VersionNumber));
        Assert.Equal("api:Jx8bu1WvIAMEd-A=", Assert.Single(record.Ledger).ObservationId);
    }

    [Fact]
    public async Task The_audit_entry_names_the_IAM_caller_the_reason_and_the_parameters()
    {
        await _api.InvokeAsync("api-update-job-execution.json");

        var entry = Assert.Single(_api.Audit.Entries);
        Assert.Equal("arn:aws:sts::111122223333:assumed-role/JobsOperator/alice", entry.Caller.UserArn);
        Assert.Equal(("111122223333", "AROA3XFRBF535PLBIFPI4:alice", "ASIAIOSFODNN7EXAMPLE"),
            (entry.Caller.AccountId, entry.Caller.CallerId, entry.Caller.AccessKey));
        Assert.Equal("Field engineer confirmed the flash succeeded", entry.Reason);
        Assert.Equal("POST /things/{thingName}/jobs/{jobId}", entry.Route);
        Assert.Equal(("SUCCEEDED", "2"), (entry.Parameters["status"], entry.Parameters["expectedVersion"]));
        Assert.Equal((AuditEntry.Succeeded, "Jx8bu1WvIAMEd-A="), (entry.Outcome, entry.RequestId));
        Assert.Equal(ExecutionStatus.Succeeded, entry.After?.Status);
    }

    [Fact]
    public async Task The_sample_update_job_event_reaches_AWS_with_its_query_and_nested_members()
    {
        var reply = await _api.InvokeAsync("api-update-job.json");

        Assert.Equal(200, reply.Status);
        Assert.Equal("{}", reply.RawBody);
        var sent = Assert.Single(_api.Jobs.UpdateJobCalls);
        Assert.Equal(("fw-2026-11", "fleet-eu"), (sent.JobId, sent.NamespaceId));
        Assert.Equal(12.5m, sent.AbortConfig?.CriteriaList?[0]?.ThresholdPercentage);
        Assert.Equal(1.5m, sent.JobExecutionsRolloutConfig?.ExponentialRate?.IncrementFactor);
        Assert.Equal(100, sent.JobExecutionsRolloutConfig?.ExponentialRate?.RateIncreaseCriteria?.NumberOfSucceededThings);
        Assert.Equal("TIMED_OUT", sent.JobExecutionsRetryConfig?.CriteriaList?[0]?.FailureType);
    }

    [Fact]
    public async Task The_sample_cancel_event_force_cancels_and_records_CANCELED()
    {
        var reply = await _api.InvokeAsync("api-cancel-job-execution.json");

        Assert.Equal(200, reply.Status);
        var sent = Assert.Single(_api.Jobs.CancelCalls);
        Assert.Equal((true, 2L, "OPS-1234"), (sent.Force, sent.ExpectedVersion, sent.StatusDetails?["ticket"]));
        Assert.Equal(ExecutionStatus.Canceled, _api.Recorded(JobId, ThingName)?.Status);
    }

    [Fact]
    public async Task Cancelling_without_force_is_a_409_showing_the_current_state()
    {
        var reply = await _api.InvokeAsync(WithQuery(Event("api-cancel-job-execution.json")));

        Assert.Equal(409, reply.Status);
        Assert.Equal("conflict.invalidTransition", reply.Code);
        Assert.Equal("IN_PROGRESS", reply.Body["executionState"]?["status"]?.GetValue<string>());
        Assert.Equal(2, reply.Body["executionState"]?["versionNumber"]?.GetValue<long>());
    }

    [Fact]
    public async Task A_replayed_Idempotency_Key_is_answered_the_same_without_a_second_call()
    {
        var first = await _api.InvokeAsync("api-update-job-execution.json");
        var replay = await _api.InvokeAsync(Event("api-update-job-execution.json"));

        Assert.Single(_api.Jobs.UpdateExecutionCalls);
        Assert.Equal(first.Status, replay.Status);
        Assert.Equal(first.RawBody, replay.RawBody);
        Assert.True(_api.Audit.Entries[1].Replayed);
    }

    [Fact]
    public async Task A_reused_Idempotency_Key_with_another_body_is_a_409()
    {
        await _api.InvokeAsync("api-update-job-execution.json");

        var reply = await _api.InvokeAsync(WithBody(Event("api-update-job-execution.json"), "{\"status\":\"FAILED\"}"));

        Assert.Equal((409, "conflict.idempotencyKey.reused"), (reply.Status, reply.Code));
        Assert.Single(_api.Jobs.UpdateExecutionCalls);
    }

    [Fact]
    public async Task Without_an_Idempotency_Key_a_retry_is_a_second_call()
    {
        await _api.InvokeAsync(WithHeader(Event("api-update-job.json"), "idempotency-key", null));
        await _api.InvokeAsync(WithHeader(Event("api-update-job.json"), "idempotency-key", null));

        Assert.Equal(2, _api.Jobs.UpdateJobCalls.Count);
    }

    [Fact]
    public async Task A_status_a_device_does_not_usually_set_goes_to_AWS_and_its_answer_is_relayed()
    {
        var reply = await _api.InvokeAsync(WithBody(Event("api-update-job-execution.json"), "{\"status\":\"CANCELED\"}"));

        // The emulator's model answers as it answers boto3: a status the service sets is an invalid request from a device.
        Assert.Equal((400, "validation.request.rejected"), (reply.Status, reply.Code));
        Assert.Equal("CANCELED", Assert.Single(_api.Jobs.UpdateExecutionCalls).Status);
    }

    [Fact]
    public async Task A_value_out_of_range_names_its_exact_path()
    {
        var body = """{"abortConfig":{"criteriaList":[{"failureType":"ALL","action":"CANCEL","thresholdPercentage":10.999,"minNumberOfExecutedThings":1}]}}""";

        var reply = await _api.InvokeAsync(WithBody(Event("api-update-job.json"), body));

        Assert.Equal(400, reply.Status);
        Assert.Equal("validation.abortConfig.criteriaList.thresholdPercentage.decimals", reply.Code);
        Assert.Equal("abortConfig.criteriaList[0].thresholdPercentage", reply.Field);
        Assert.Equal(0, _api.Jobs.Calls);
    }

    [Fact]
    public async Task A_status_details_value_error_names_its_key()
    {
        var reply = await _api.InvokeAsync(WithBody(Event("api-update-job-execution.json"), """{"status":"FAILED","statusDetails":{"myKey":""}}"""));

        Assert.Equal(("validation.statusDetails.value", "statusDetails.myKey"), (reply.Code, reply.Field));
    }

    [Fact]
    public async Task The_job_document_comes_back_when_asked_for()
    {
        var reply = await _api.InvokeAsync(WithBody(Event("api-update-job-execution.json"), """{"status":"IN_PROGRESS","includeJobDocument":true}"""));

        Assert.Equal("{\"firmware\":\"2.4.1\"}", reply.Body["jobDocument"]?.GetValue<string>());
        Assert.Null(reply.Body["executionState"]);
    }

    [Fact]
    public async Task A_base64_body_is_read_like_a_plain_one()
    {
        var @event = WithBody(Event("api-update-job-execution.json"), Convert.ToBase64String("{\"status\":\"IN_PROGRESS\"}"u8.ToArray()));
        @event["isBase64Encoded"] = true;

        var reply = await _api.InvokeAsync(@event);

        Assert.Equal(200, reply.Status);
        Assert.Equal("IN_PROGRESS", Assert.Single(_api.Jobs.UpdateExecutionCalls).Status);
    }

    [Fact]
    public async Task A_base64_body_that_is_not_UTF8_is_refused_rather_than_patched_with_replacement_characters()
    {
        byte[] bytes = [.. "{\"status\":\"FAILED\",\"statusDetails\":{\"reason\":\"crc "u8.ToArray(), 0xFF, .. "\"}}"u8.ToArray()];
        var @event = WithBody(Event("api-update-job-execution.json"), Convert.ToBase64String(bytes));
        @event["isBase64Encoded"] = true;

        var reply = await _api.InvokeAsync(@event);

        Assert.Equal((400, "validation.body.malformed"), (reply.Status, reply.Code));
        Assert.Empty(_api.Jobs.UpdateExecutionCalls);
    }

    [Fact]
    public async Task Each_request_leaves_one_JSON_log_line_with_the_stable_keys()
    {
        await _api.InvokeAsync("api-update-job-execution.json");
        await _api.InvokeAsync(WithBody(Event("api-update-job-execution.json"), "{\"status\":\"DONE\"}"));

        Assert.Equal(2, _api.LogLines.Count);
        var success = _api.LogLines[0];
        Assert.Subset(success.Select(pair => pair.Key).ToHashSet(), new HashSet<string> { "level", "route", "jobId", "thingName", "status", "outcome", "requestId" });
        Assert.Equal(1, success["Requests"]!.GetValue<int>());
        Assert.Equal("2xx", success["StatusClass"]!.GetValue<string>());
        Assert.Equal(("INFO", 200, "success"), (success["level"]!.GetValue<string>(), success["status"]!.GetValue<int>(), success["outcome"]!.GetValue<string>()));
        Assert.Equal((JobId, ThingName), (success["jobId"]!.GetValue<string>(), success["thingName"]!.GetValue<string>()));
        var refused = _api.LogLines[1];
        Assert.Equal(("WARN", 400, "validation.status.invalid"),
            (refused["level"]!.GetValue<string>(), refused["status"]!.GetValue<int>(), refused["outcome"]!.GetValue<string>()));
    }

    [Fact]
    public async Task An_unexpected_failure_fails_the_invocation_after_logging_it()
    {
        _api.Jobs.ThrowNext = new InvalidOperationException("socket closed");

        await Assert.ThrowsAsync<InvalidOperationException>(() => _api.InvokeAsync("api-cancel-job-execution.json"));

        var line = Assert.Single(_api.LogLines);
        Assert.Equal(("ERROR", 500, "unknown"), (line["level"]!.GetValue<string>(), line["status"]!.GetValue<int>(), line["outcome"]!.GetValue<string>()));
        Assert.DoesNotContain("socket", line.ToJsonString(), StringComparison.Ordinal);
    }
}
