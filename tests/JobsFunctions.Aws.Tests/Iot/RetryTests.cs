using System.Net;
using JobsFunctions.Aws.Iot;
using JobsFunctions.Aws.Iot.Control;
using JobsFunctions.Aws.Iot.JobsData;
using JobsFunctions.Aws.Tests.Support;
using ControlDescribe = JobsFunctions.Aws.Iot.Control.DescribeJobExecutionRequest;
using DataDescribe = JobsFunctions.Aws.Iot.JobsData.DescribeJobExecutionRequest;

namespace JobsFunctions.Aws.Tests.Iot;

public sealed class RetryTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Throttling_then_unavailable_then_success_returns_the_success_after_growing_backoffs()
    {
        var clients = new TestClients();
        clients.Handler
            .Then(HttpStatusCode.BadRequest, """{"message":"Rate exceeded"}""", ("x-amzn-ErrorType", "ThrottlingException"))
            .Then(HttpStatusCode.ServiceUnavailable, """{"message":"try later"}""", ("x-amzn-ErrorType", "ServiceUnavailableException"))
            .Then(HttpStatusCode.OK, """{"execution":{"jobId":"j1","status":"QUEUED","versionNumber":1}}""");
        using var control = clients.Control();

        var response = await control.DescribeJobExecutionAsync(new ControlDescribe { ThingName = "t1", JobId = "j1" }, Token);

        Assert.Equal("QUEUED", response.Execution!.Status);
        Assert.Equal(3, clients.Handler.Requests.Count);
        Assert.All(clients.Handler.Requests, r => Assert.StartsWith("AWS4-HMAC-SHA256 ", r.Header("Authorization"), StringComparison.Ordinal));
        Assert.Equal([TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(200)], clients.Sleeps);
    }

    [Fact]
    public async Task An_invalid_request_is_returned_at_once_without_retrying()
    {
        var clients = new TestClients();
        clients.Handler.Then(HttpStatusCode.BadRequest, """{"message":"statusDetails has too many entries"}""", ("x-amzn-ErrorType", "InvalidRequestException"));
        using var data = clients.JobsData();

        var error = await Assert.ThrowsAsync<IotServiceException>(() => data.UpdateJobExecutionAsync(
            new UpdateJobExecutionRequest { ThingName = "t1", JobId = "j1", Status = "FAILED" }, Token));

        Assert.Equal("InvalidRequestException", error.ErrorCode);
        Assert.Single(clients.Handler.Requests);
        Assert.Empty(clients.Sleeps);
    }

    [Fact]
    public async Task Retrying_stops_after_the_maximum_number_of_attempts_with_the_last_error()
    {
        var clients = new TestClients();
        clients.Handler.Otherwise = _ => ScriptedHandler.Response((HttpStatusCode)429, """{"message":"slow down"}""", ("x-amzn-ErrorType", "TooManyRequestsException"));
        using var data = clients.JobsData(new RetryOptions { MaxAttempts = 3 });

        var error = await Assert.ThrowsAsync<IotServiceException>(() => data.DescribeJobExecutionAsync(
            new DataDescribe { ThingName = "t1", JobId = "j1" }, Token));

        Assert.Equal("TooManyRequestsException", error.ErrorCode);
        Assert.Equal(3, clients.Handler.Requests.Count);
        Assert.Equal(2, clients.Sleeps.Count);
    }

    [Fact]
    public async Task Backoff_never_exceeds_the_maximum_delay()
    {
        var clients = new TestClients();
        clients.Handler.Otherwise = _ => ScriptedHandler.Response(HttpStatusCode.InternalServerError, """{"message":"boom"}""");
        using var control = clients.Control(new RetryOptions { MaxAttempts = 8, BaseDelay = TimeSpan.FromSeconds(1), MaxDelay = TimeSpan.FromSeconds(5) });

        await Assert.ThrowsAsync<IotServiceException>(() => control.DescribeEventConfigurationsAsync(Token));

        Assert.Equal(
            [1, 2, 4, 5, 5, 5, 5],
            clients.Sleeps.Select(s => s.TotalSeconds));
    }

    [Fact]
    public async Task A_retry_after_header_is_honoured()
    {
        var clients = new TestClients();
        clients.Handler
            .Then((HttpStatusCode)429, """{"message":"slow down"}""", ("x-amzn-ErrorType", "ThrottlingException"), ("Retry-After", "3"))
            .Then(HttpStatusCode.OK, "{}");
        using var data = clients.JobsData();

        await data.UpdateJobExecutionAsync(new UpdateJobExecutionRequest { ThingName = "t1", JobId = "j1", Status = "IN_PROGRESS" }, Token);

        Assert.Equal([TimeSpan.FromSeconds(3)], clients.Sleeps);
    }

    [Fact]
    public async Task Transport_failures_and_hung_attempts_are_retried()
    {
        var clients = new TestClients();
        clients.Handler
            .ThenFailToConnect()
            .ThenHang()
            .Then(HttpStatusCode.OK, """{"jobArn":"arn:aws:iot:eu-west-1:123456789012:job/j1","jobId":"j1"}""");
        using var control = clients.Control(new RetryOptions { AttemptTimeout = TimeSpan.FromMilliseconds(200) });

        var response = await control.CancelJobAsync(new CancelJobRequest { JobId = "j1" }, Token);

        Assert.Equal("j1", response.JobId);
        Assert.Equal(3, clients.Handler.Requests.Count);
    }

    /// <summary>
    /// A hung or cut-off UpdateJobExecution may have been applied: sent again it would bump the version once more or
    /// meet the terminal status it set itself, and answer a conflict for a change that succeeded.
    /// </summary>
    [Fact]
    public async Task An_execution_update_that_may_have_reached_AWS_is_not_sent_again()
    {
        var clients = new TestClients();
        clients.Handler
            .ThenHang()
            .Then(HttpStatusCode.Conflict, """{"message":"terminal"}""", ("x-amzn-ErrorType", "InvalidStateTransitionException"));
        using var data = clients.JobsData(new RetryOptions { AttemptTimeout = TimeSpan.FromMilliseconds(200) });

        var error = await Assert.ThrowsAsync<IotServiceException>(() => data.UpdateJobExecutionAsync(
            new UpdateJobExecutionRequest { ThingName = "t1", JobId = "j1", Status = "SUCCEEDED" }, Token));

        Assert.Equal(IotServiceException.TransportErrorCode, error.ErrorCode);
        Assert.Single(clients.Handler.Requests);
    }

    [Fact]
    public async Task An_execution_cancel_whose_answer_was_cut_off_is_not_sent_again()
    {
        var clients = new TestClients();
        clients.Handler
            .Then(_ => throw new HttpRequestException(HttpRequestError.ResponseEnded, "The response ended prematurely."))
            .Then(HttpStatusCode.Conflict, """{"message":"version"}""", ("x-amzn-ErrorType", "VersionConflictException"));
        using var control = clients.Control();

        var error = await Assert.ThrowsAsync<IotServiceException>(() => control.CancelJobExecutionAsync(
            new CancelJobExecutionRequest { ThingName = "t1", JobId = "j1", ExpectedVersion = 3 }, Token));

        Assert.Equal(IotServiceException.TransportErrorCode, error.ErrorCode);
        Assert.Single(clients.Handler.Requests);
    }

    [Fact]
    public async Task An_execution_update_that_never_left_is_retried()
    {
        var clients = new TestClients();
        clients.Handler
            .ThenFailToConnect()
            .Then(HttpStatusCode.OK, "{}");
        using var data = clients.JobsData();

        await data.UpdateJobExecutionAsync(new UpdateJobExecutionRequest { ThingName = "t1", JobId = "j1", Status = "SUCCEEDED" }, Token);

        Assert.Equal(2, clients.Handler.Requests.Count);
    }

    [Fact]
    public async Task A_service_that_never_answers_ends_in_a_transport_error()
    {
        var clients = new TestClients();
        clients.Handler.Otherwise = _ => throw new HttpRequestException("Name or service not known");
        using var control = clients.Control(new RetryOptions { MaxAttempts = 2 });

        var error = await Assert.ThrowsAsync<IotServiceException>(() => control.DescribeEndpointAsync(new DescribeEndpointRequest(), Token));

        Assert.Equal(IotServiceException.TransportErrorCode, error.ErrorCode);
        Assert.Equal(0, error.HttpStatus);
        Assert.True(error.IsRetryable);
        Assert.IsType<HttpRequestException>(error.InnerException);
    }

    [Fact]
    public async Task The_callers_token_cuts_a_long_backoff_short_and_reports_the_last_error()
    {
        var clients = new TestClients { RealSleep = true };
        clients.Handler.Otherwise = _ => ScriptedHandler.Response(HttpStatusCode.BadRequest, """{"message":"Rate exceeded"}""", ("x-amzn-ErrorType", "ThrottlingException"));
        using var control = clients.Control(new RetryOptions
        {
            MaxAttempts = 10,
            BaseDelay = TimeSpan.FromMinutes(10),
            MaxDelay = TimeSpan.FromMinutes(10),
        });
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(Token);
        deadline.CancelAfter(TimeSpan.FromMilliseconds(300));

        // Without the token the first backoff alone would last ten minutes; the patience below is far shorter.
        var error = await Assert.ThrowsAsync<IotServiceException>(
            () => control.DescribeJobAsync(new DescribeJobRequest { JobId = "j1" }, deadline.Token).WaitAsync(TimeSpan.FromSeconds(60), Token));

        Assert.Equal("ThrottlingException", error.ErrorCode);
        Assert.Single(clients.Handler.Requests);
    }

    [Fact]
    public async Task Cancelling_while_a_request_is_in_flight_surfaces_as_cancellation()
    {
        var clients = new TestClients();
        clients.Handler.ThenHang();
        using var control = clients.Control();
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(Token);
        deadline.CancelAfter(TimeSpan.FromMilliseconds(200));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => control.DescribeJobAsync(new DescribeJobRequest { JobId = "j1" }, deadline.Token));
        Assert.Single(clients.Handler.Requests);
    }
}
