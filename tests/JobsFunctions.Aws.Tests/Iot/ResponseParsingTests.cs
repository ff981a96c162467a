using System.Net;
using JobsFunctions.Aws.Iot;
using JobsFunctions.Aws.Iot.Control;
using JobsFunctions.Aws.Tests.Support;
using ControlDescribe = JobsFunctions.Aws.Iot.Control.DescribeJobExecutionRequest;
using DataDescribe = JobsFunctions.Aws.Iot.JobsData.DescribeJobExecutionRequest;
using UpdateJobExecutionRequest = JobsFunctions.Aws.Iot.JobsData.UpdateJobExecutionRequest;

namespace JobsFunctions.Aws.Tests.Iot;

/// <summary>Responses shaped as the services send them come back as typed values.</summary>
public sealed class ResponseParsingTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    /// <summary>
    /// The jobs data plane has been seen answering UpdateJobExecution with 200 and a service-framework error wrapped in
    /// the body (aws/aws-sdk-js#2539), having done nothing. Read as a success it would be audited and recorded as an
    /// applied status change.
    /// </summary>
    [Fact]
    public async Task A_200_that_wraps_a_service_error_is_that_error_not_a_success()
    {
        var clients = new TestClients();
        clients.Handler.Then(HttpStatusCode.OK, """
            {"Output":{"__type":"com.amazon.coral.service#UnknownOperationException","message":null},"Version":"1.0"}
            """);
        using var data = clients.JobsData(new RetryOptions { MaxAttempts = 1 });

        var error = await Assert.ThrowsAsync<IotServiceException>(() => data.UpdateJobExecutionAsync(
            new UpdateJobExecutionRequest { ThingName = "t1", JobId = "j1", Status = "SUCCEEDED", IncludeJobExecutionState = true }, Token));

        Assert.Equal("UnknownOperationException", error.ErrorCode);
        Assert.False(error.IsRetryable);
    }

    [Fact]
    public async Task DescribeJob_reads_fractional_epoch_seconds_and_nested_configuration()
    {
        var clients = new TestClients();
        clients.Handler.Then(HttpStatusCode.OK, """
            {"documentSource":"https://bucket/doc.json","job":{"jobArn":"arn:aws:iot:eu-west-1:123456789012:job/j1",
             "jobId":"j1","status":"IN_PROGRESS","forceCanceled":false,"targetSelection":"SNAPSHOT",
             "targets":["arn:aws:iot:eu-west-1:123456789012:thing/a:b"],
             "createdAt":1795376940.616,"lastUpdatedAt":1795376941,
             "abortConfig":{"criteriaList":[{"failureType":"FAILED","action":"CANCEL","thresholdPercentage":10.5,"minNumberOfExecutedThings":5}]},
             "jobExecutionsRolloutConfig":{"exponentialRate":{"baseRatePerMinute":5,"incrementFactor":1.5,"rateIncreaseCriteria":{"numberOfNotifiedThings":3}}},
             "jobProcessDetails":{"numberOfQueuedThings":2,"numberOfInProgressThings":1,"numberOfTimedOutThings":0},
             "timeoutConfig":{"inProgressTimeoutInMinutes":30},"isConcurrent":true,"someFutureMember":{"x":1}}}
            """);
        using var control = clients.Control();

        var response = await control.DescribeJobAsync(new DescribeJobRequest { JobId = "j1" }, Token);

        var job = response.Job!;
        Assert.Equal("https://bucket/doc.json", response.DocumentSource);
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1795376940616), job.CreatedAt);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1795376941), job.LastUpdatedAt);
        Assert.Null(job.CompletedAt);
        Assert.Equal(10.5, job.AbortConfig!.CriteriaList[0].ThresholdPercentage);
        Assert.Equal(1.5, job.JobExecutionsRolloutConfig!.ExponentialRate!.IncrementFactor);
        Assert.Equal(2, job.JobProcessDetails!.NumberOfQueuedThings);
        Assert.Equal(30, job.TimeoutConfig!.InProgressTimeoutInMinutes);
        Assert.True(job.IsConcurrent);
        Assert.Equal("arn:aws:iot:eu-west-1:123456789012:thing/a:b", Assert.Single(job.Targets!));
    }

    [Fact]
    public async Task The_control_plane_execution_wraps_status_details_in_a_details_map()
    {
        var clients = new TestClients();
        clients.Handler.Then(HttpStatusCode.OK, """
            {"execution":{"jobId":"j1","status":"IN_PROGRESS","forceCanceled":false,"statusDetails":{"detailsMap":{"step":"2/5"}},
             "thingArn":"arn:aws:iot:eu-west-1:123456789012:thing/t1","queuedAt":1700000000,"startedAt":1700000010.5,
             "executionNumber":12345678901,"versionNumber":3,"approximateSecondsBeforeTimedOut":540}}
            """);
        using var control = clients.Control();

        var execution = (await control.DescribeJobExecutionAsync(new ControlDescribe { ThingName = "t1", JobId = "j1" }, Token)).Execution!;

        Assert.Equal("2/5", execution.StatusDetails!.DetailsMap!["step"]);
        Assert.Equal(12345678901, execution.ExecutionNumber);
        Assert.Equal(3, execution.VersionNumber);
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1700000010500), execution.StartedAt);
        Assert.Equal(540, execution.ApproximateSecondsBeforeTimedOut);
    }

    [Fact]
    public async Task ListJobExecutionsForJob_returns_summaries_and_the_next_token()
    {
        var clients = new TestClients();
        clients.Handler.Then(HttpStatusCode.OK, """
            {"executionSummaries":[{"thingArn":"arn:aws:iot:eu-west-1:123456789012:thing/t1",
              "jobExecutionSummary":{"status":"FAILED","queuedAt":1700000000,"executionNumber":1,"retryAttempt":2}}],
             "nextToken":"page-2"}
            """);
        using var control = clients.Control();

        var page = await control.ListJobExecutionsForJobAsync(new ListJobExecutionsForJobRequest { JobId = "j1" }, Token);

        var summary = Assert.Single(page.ExecutionSummaries!);
        Assert.Equal("FAILED", summary.JobExecutionSummary!.Status);
        Assert.Equal(2, summary.JobExecutionSummary.RetryAttempt);
        Assert.Equal("page-2", page.NextToken);
    }

    [Fact]
    public async Task ListJobs_returns_job_summaries_and_the_next_token()
    {
        var clients = new TestClients();
        clients.Handler.Then(HttpStatusCode.OK, """
            {"jobs":[{"jobArn":"arn:aws:iot:eu-west-1:123456789012:job/fw-1","jobId":"fw-1","thingGroupId":"g-1",
              "targetSelection":"CONTINUOUS","status":"IN_PROGRESS","createdAt":1700000000,"lastUpdatedAt":1700000060.5,
              "isConcurrent":false}],
             "nextToken":"page-2"}
            """);
        using var control = clients.Control();

        var page = await control.ListJobsAsync(new ListJobsRequest { Status = "IN_PROGRESS" }, Token);

        var job = Assert.Single(page.Jobs!);
        Assert.Equal(("fw-1", "IN_PROGRESS", "CONTINUOUS"), (job.JobId, job.Status, job.TargetSelection));
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1700000060500), job.LastUpdatedAt);
        Assert.Null(job.CompletedAt);
        Assert.Equal("page-2", page.NextToken);
    }

    [Fact]
    public async Task Event_configurations_read_the_capitalised_Enabled_member()
    {
        var clients = new TestClients();
        clients.Handler.Then(HttpStatusCode.OK, """
            {"eventConfigurations":{"JOB":{"Enabled":true},"JOB_EXECUTION":{"Enabled":false},"THING":{}},
             "creationDate":1600000000,"lastModifiedDate":1700000000.25}
            """);
        using var control = clients.Control();

        var response = await control.DescribeEventConfigurationsAsync(Token);

        Assert.True(response.EventConfigurations![EventTypes.Job].Enabled);
        Assert.False(response.EventConfigurations[EventTypes.JobExecution].Enabled);
        Assert.Null(response.EventConfigurations["THING"].Enabled);
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1700000000250), response.LastModifiedDate);
    }

    [Fact]
    public async Task The_data_plane_execution_has_long_times_and_a_flat_status_details_map()
    {
        var clients = new TestClients();
        clients.Handler.Then(HttpStatusCode.OK, """
            {"execution":{"jobId":"j1","thingName":"a:b","status":"QUEUED","statusDetails":{"k":"v"},
             "queuedAt":1489096123309,"lastUpdatedAt":1489096123,"versionNumber":1,"executionNumber":7,"jobDocument":"{\"op\":\"reboot\"}"}}
            """);
        using var data = clients.JobsData();

        var execution = (await data.DescribeJobExecutionAsync(new DataDescribe { ThingName = "a:b", JobId = "$next" }, Token)).Execution!;

        Assert.Equal("a:b", execution.ThingName);
        Assert.Equal("v", execution.StatusDetails!["k"]);
        Assert.Equal(1489096123309, execution.QueuedAt);
        Assert.Equal(1489096123, execution.LastUpdatedAt);
        Assert.Equal("""{"op":"reboot"}""", execution.JobDocument);
    }

    [Fact]
    public async Task UpdateJobExecution_returns_the_new_state_when_asked()
    {
        var clients = new TestClients();
        clients.Handler.Then(HttpStatusCode.OK, """{"executionState":{"status":"SUCCEEDED","statusDetails":{},"versionNumber":3}}""");
        using var data = clients.JobsData();

        var response = await data.UpdateJobExecutionAsync(
            new UpdateJobExecutionRequest { ThingName = "t1", JobId = "j1", Status = "SUCCEEDED", IncludeJobExecutionState = true }, Token);

        Assert.Equal("SUCCEEDED", response.ExecutionState!.Status);
        Assert.Equal(3, response.ExecutionState.VersionNumber);
    }

    [Fact]
    public async Task Operations_without_output_accept_an_empty_200()
    {
        var clients = new TestClients();
        clients.Handler.Then(HttpStatusCode.OK, "").Then(HttpStatusCode.OK, "");
        using var control = clients.Control();

        await control.UpdateJobAsync(new UpdateJobRequest { JobId = "j1", Description = "d" }, Token);
        await control.CancelJobExecutionAsync(new CancelJobExecutionRequest { ThingName = "t1", JobId = "j1" }, Token);

        Assert.Equal(2, clients.Handler.Requests.Count);
    }

    [Fact]
    public async Task A_success_status_with_a_body_that_is_not_json_is_reported_not_swallowed()
    {
        var clients = new TestClients();
        clients.Handler.Then(HttpStatusCode.OK, "<html>captive portal</html>");
        using var control = clients.Control();

        var error = await Assert.ThrowsAsync<IotServiceException>(() => control.DescribeJobAsync(new DescribeJobRequest { JobId = "j1" }, Token));

        Assert.Equal("MalformedResponse", error.ErrorCode);
    }

    [Theory]
    [InlineData("")]
    [InlineData(".")]
    [InlineData("..")]
    public async Task A_path_label_that_would_address_another_resource_is_refused_before_sending(string jobId)
    {
        var clients = new TestClients();
        using var control = clients.Control();

        await Assert.ThrowsAsync<ArgumentException>(() => control.CancelJobAsync(new CancelJobRequest { JobId = jobId }, Token));

        Assert.Empty(clients.Handler.Requests);
    }
}
