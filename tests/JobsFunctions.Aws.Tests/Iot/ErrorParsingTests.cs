using System.Net;
using JobsFunctions.Aws.Iot;
using JobsFunctions.Aws.Iot.Control;
using JobsFunctions.Aws.Iot.JobsData;
using JobsFunctions.Aws.Tests.Support;
using DataDescribe = JobsFunctions.Aws.Iot.JobsData.DescribeJobExecutionRequest;

namespace JobsFunctions.Aws.Tests.Iot;

/// <summary>Each AWS error shape the IoT APIs use, as the service sends it, becomes the right exception.</summary>
public sealed class ErrorParsingTests
{
    private static readonly RetryOptions NoRetry = new() { MaxAttempts = 1 };
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Control_plane_throttling_is_recognised_even_though_it_is_a_400()
    {
        var clients = new TestClients();
        clients.Handler.Then(HttpStatusCode.BadRequest, """{"message":"Rate exceeded"}""",
            ("x-amzn-ErrorType", "ThrottlingException"), ("x-amzn-RequestId", "req-1"));
        using var control = clients.Control(NoRetry);

        var error = await Assert.ThrowsAsync<IotServiceException>(
            () => control.DescribeJobAsync(new DescribeJobRequest { JobId = "j1" }, Token));

        Assert.Equal("ThrottlingException", error.ErrorCode);
        Assert.Equal(400, error.HttpStatus);
        Assert.Equal("Rate exceeded", error.Message);
        Assert.Equal("req-1", error.RequestId);
        Assert.True(error.IsThrottling);
        Assert.True(error.IsRetryable);
    }

    [Fact]
    public async Task LimitExceeded_is_a_410_and_counts_as_throttling()
    {
        var clients = new TestClients();
        clients.Handler.Then(HttpStatusCode.Gone, """{"__type":"LimitExceededException","message":"Too many jobs being deleted"}""");
        using var control = clients.Control(NoRetry);

        var error = await Assert.ThrowsAsync<IotServiceException>(
            () => control.CancelJobAsync(new CancelJobRequest { JobId = "j1" }, Token));

        Assert.Equal("LimitExceededException", error.ErrorCode);
        Assert.Equal(410, error.HttpStatus);
        Assert.True(error.IsThrottling);
    }

    [Fact]
    public async Task VersionConflict_and_InvalidStateTransition_are_both_409_and_told_apart_by_code()
    {
        var clients = new TestClients();
        clients.Handler
            .Then(HttpStatusCode.Conflict, """{"message":"The version does not match"}""", ("x-amzn-ErrorType", "VersionConflictException:http://internal.amazon.com/coral/com.amazonaws.iot/"))
            .Then(HttpStatusCode.Conflict, """{"__type":"com.amazonaws.iot#InvalidStateTransitionException","message":"IN_PROGRESS needs force"}""");
        using var control = clients.Control();
        var request = new CancelJobExecutionRequest { ThingName = "t1", JobId = "j1", ExpectedVersion = 1 };

        var conflict = await Assert.ThrowsAsync<IotServiceException>(() => control.CancelJobExecutionAsync(request, Token));
        var transition = await Assert.ThrowsAsync<IotServiceException>(() => control.CancelJobExecutionAsync(request, Token));

        Assert.Equal(("VersionConflictException", 409), (conflict.ErrorCode, conflict.HttpStatus));
        Assert.Equal(("InvalidStateTransitionException", 409), (transition.ErrorCode, transition.HttpStatus));
        Assert.Equal("IN_PROGRESS needs force", transition.Message);
        Assert.False(conflict.IsRetryable);
        Assert.Equal(2, clients.Handler.Requests.Count);
    }

    [Fact]
    public async Task The_error_type_header_wins_over_the_body_and_the_body_code_is_the_last_resort()
    {
        var clients = new TestClients();
        clients.Handler
            .Then(HttpStatusCode.NotFound, """{"__type":"SomethingElse","message":"m"}""", ("x-amzn-ErrorType", "ResourceNotFoundException"))
            .Then(HttpStatusCode.BadRequest, """{"code":"InvalidRequestException","Message":"capitalised message"}""");
        using var control = clients.Control(NoRetry);

        var fromHeader = await Assert.ThrowsAsync<IotServiceException>(
            () => control.DescribeJobAsync(new DescribeJobRequest { JobId = "j1" }, Token));
        var fromCode = await Assert.ThrowsAsync<IotServiceException>(
            () => control.DescribeJobAsync(new DescribeJobRequest { JobId = "j1" }, Token));

        Assert.Equal(("ResourceNotFoundException", 404), (fromHeader.ErrorCode, fromHeader.HttpStatus));
        Assert.Equal("InvalidRequestException", fromCode.ErrorCode);
        Assert.Equal("capitalised message", fromCode.Message);
    }

    [Fact]
    public async Task A_data_plane_InvalidStateTransition_carries_the_current_execution_state_when_sent()
    {
        var clients = new TestClients();
        clients.Handler.Then(HttpStatusCode.Conflict, """
            {"message":"Cannot update a terminal execution",
             "executionState":{"status":"SUCCEEDED","statusDetails":{"step":"done"},"versionNumber":4}}
            """, ("x-amzn-ErrorType", "InvalidStateTransitionException"), ("x-amzn-RequestId", "req-9"));
        using var data = clients.JobsData(NoRetry);

        var error = await Assert.ThrowsAsync<IotServiceException>(() => data.UpdateJobExecutionAsync(
            new UpdateJobExecutionRequest { ThingName = "t1", JobId = "j1", Status = "IN_PROGRESS" }, Token));

        Assert.Equal("InvalidStateTransitionException", error.ErrorCode);
        Assert.NotNull(error.ExecutionState);
        Assert.Equal("SUCCEEDED", error.ExecutionState.Status);
        Assert.Equal(4, error.ExecutionState.VersionNumber);
        Assert.Equal("done", error.ExecutionState.StatusDetails!["step"]);
        Assert.Equal("req-9", error.RequestId);
    }

    [Fact]
    public async Task Data_plane_throttling_is_a_429_with_a_payload_member()
    {
        var clients = new TestClients();
        clients.Handler.Then((HttpStatusCode)429, """{"message":"slow down","payload":"AAEC"}""", ("x-amzn-ErrorType", "ThrottlingException"));
        using var data = clients.JobsData(NoRetry);

        var error = await Assert.ThrowsAsync<IotServiceException>(() => data.DescribeJobExecutionAsync(
            new DataDescribe { ThingName = "t1", JobId = "j1" }, Token));

        Assert.Equal(("ThrottlingException", 429), (error.ErrorCode, error.HttpStatus));
        Assert.True(error.IsThrottling);
    }

    [Fact]
    public async Task TerminalStateException_is_a_410_that_is_not_retried()
    {
        var clients = new TestClients();
        clients.Handler.Then(HttpStatusCode.Gone, """{"message":"The job is in a terminal state"}""", ("x-amzn-ErrorType", "TerminalStateException"));
        using var data = clients.JobsData();

        var error = await Assert.ThrowsAsync<IotServiceException>(() => data.DescribeJobExecutionAsync(
            new DataDescribe { ThingName = "t1", JobId = "$next" }, Token));

        Assert.Equal(("TerminalStateException", 410), (error.ErrorCode, error.HttpStatus));
        Assert.False(error.IsRetryable);
        Assert.Single(clients.Handler.Requests);
    }

    [Fact]
    public async Task A_proxy_error_page_without_a_code_is_named_by_its_status_and_retried()
    {
        var clients = new TestClients();
        clients.Handler.Otherwise = _ => new HttpResponseMessage(HttpStatusCode.BadGateway)
        {
            Content = new StringContent("<html><body>Bad Gateway</body></html>"),
        };
        using var control = clients.Control(new RetryOptions { MaxAttempts = 2 });

        var error = await Assert.ThrowsAsync<IotServiceException>(() => control.DescribeEventConfigurationsAsync(Token));

        Assert.Equal(("502", 502), (error.ErrorCode, error.HttpStatus));
        Assert.Contains("Bad Gateway", error.Message, StringComparison.Ordinal);
        Assert.Equal(2, clients.Handler.Requests.Count);
    }
}
