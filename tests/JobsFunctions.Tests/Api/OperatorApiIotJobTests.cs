using JobsFunctions.Domain.Executions;
using JobsFunctions.Domain.Operations;
using static JobsFunctions.Tests.Api.ApiHarness;

namespace JobsFunctions.Tests.Api;

/// <summary>GET /jobs/{jobId}/iot: the job as IoT reports it (DescribeJob), beside what the store recorded.</summary>
public sealed class OperatorApiIotJobTests
{
    private readonly ApiHarness _api = new();

    [Fact]
    public async Task A_job_shows_iots_own_status_and_jobProcessDetails()
    {
        _api.Jobs.AddExecution(JobId, "t1", ExecutionStatus.Succeeded)
            .AddExecution(JobId, "t2", ExecutionStatus.Failed)
            .AddExecution(JobId, "t3", ExecutionStatus.InProgress)
            .AddExecution(JobId, "t4", ExecutionStatus.Queued);

        var reply = await _api.InvokeAsync("api-get-job-iot.json");

        Assert.Equal((200, "IN_PROGRESS"), (reply.Status, reply.Body["status"]?.GetValue<string>()));
        var details = reply.Body["jobProcessDetails"]!;
        Assert.Equal((1, 1, 1, 1, 0, 0, 0, 0), (
            details["numberOfSucceededThings"]!.GetValue<int>(), details["numberOfFailedThings"]!.GetValue<int>(),
            details["numberOfInProgressThings"]!.GetValue<int>(), details["numberOfQueuedThings"]!.GetValue<int>(),
            details["numberOfRejectedThings"]!.GetValue<int>(), details["numberOfCanceledThings"]!.GetValue<int>(),
            details["numberOfTimedOutThings"]!.GetValue<int>(), details["numberOfRemovedThings"]!.GetValue<int>()));
        Assert.NotNull(reply.Body["lastUpdatedAt"]);
        Assert.Equal([JobId], _api.Jobs.DescribeJobCalls);
        Assert.Equal(0, _api.Jobs.WriteCalls);
        Assert.Empty(_api.Audit.Entries);
    }

    [Fact]
    public async Task A_job_iot_does_not_know_is_a_404()
    {
        var @event = Event("api-get-job-iot.json");
        @event["pathParameters"]!["jobId"] = "no-such-job";

        var reply = await _api.InvokeAsync(@event);

        Assert.Equal((404, "notFound.resource"), (reply.Status, reply.Code));
    }

    [Fact]
    public async Task An_invalid_job_id_is_a_400_and_iot_is_not_asked()
    {
        var @event = Event("api-get-job-iot.json");
        @event["pathParameters"]!["jobId"] = "not a job id";

        var reply = await _api.InvokeAsync(@event);

        Assert.Equal((400, "jobId"), (reply.Status, reply.Body["field"]?.GetValue<string>()));
        Assert.Empty(_api.Jobs.DescribeJobCalls);
    }

    [Fact]
    public async Task Iot_not_answering_is_a_503()
    {
        _api.Jobs.FailNext(JobsControlErrors.Unavailable("AWS IoT could not be reached for DescribeJob; retry later."));

        var reply = await _api.InvokeAsync("api-get-job-iot.json");

        Assert.Equal((503, "unavailable"), (reply.Status, reply.Code));
    }
}
