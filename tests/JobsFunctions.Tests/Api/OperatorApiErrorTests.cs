using JobsFunctions.Domain.Errors;
using JobsFunctions.Domain.Executions;
using JobsFunctions.Domain.Operations;
using static JobsFunctions.Tests.Api.ApiHarness;

namespace JobsFunctions.Tests.Api;

public sealed class OperatorApiErrorTests
{
    private readonly ApiHarness _api = new();

    public OperatorApiErrorTests() => _api.Jobs.AddExecution(JobId, ThingName, ExecutionStatus.InProgress, version: 2);

    public static TheoryData<ErrorKind, int> Statuses => new()
    {
        { ErrorKind.Validation, 400 },
        { ErrorKind.NotFound, 404 },
        { ErrorKind.Conflict, 409 },
        { ErrorKind.Throttled, 429 },
        { ErrorKind.Unavailable, 503 },
    };

    private static Error ErrorOf(ErrorKind kind) => kind switch
    {
        ErrorKind.Validation => JobsControlErrors.Rejected("Invalid request."),
        ErrorKind.NotFound => JobsControlErrors.NotFound("Job fw-2026-11 not found."),
        ErrorKind.Conflict => JobsControlErrors.Terminal("The execution is terminal."),
        ErrorKind.Throttled => JobsControlErrors.Throttled("Rate exceeded.", TimeSpan.FromSeconds(2.2)),
        _ => JobsControlErrors.Unavailable("Service unavailable."),
    };

    [Theory]
    [MemberData(nameof(Statuses))]
    public async Task Each_error_kind_has_its_one_HTTP_status_and_the_error_body(ErrorKind kind, int status)
    {
        var error = ErrorOf(kind);
        _api.Jobs.FailNext(error);

        var reply = await _api.InvokeAsync("api-update-job.json");

        Assert.Equal(status, reply.Status);
        Assert.Equal(error.Code, reply.Code);
        Assert.Equal(error.Message, reply.Body["message"]?.GetValue<string>());
        Assert.True(reply.Body.ContainsKey("field"));
        Assert.Equal(error.Code, Assert.Single(_api.Audit.Entries).Outcome);
    }

    [Fact]
    public async Task Throttling_answers_429_with_Retry_After_in_whole_seconds_rounded_up()
    {
        _api.Jobs.FailNext(JobsControlErrors.Throttled("Rate exceeded.", TimeSpan.FromSeconds(2.2)));

        var reply = await _api.InvokeAsync("api-update-job-execution.json");

        Assert.Equal((429, "3"), (reply.Status, reply.Headers["retry-after"]));
    }

    [Fact]
    public async Task Throttling_without_a_stated_wait_still_says_when_to_retry()
    {
        _api.Jobs.FailNext(JobsControlErrors.Throttled("Rate exceeded."));

        var reply = await _api.InvokeAsync("api-update-job-execution.json");

        Assert.Equal("1", reply.Headers["retry-after"]);
    }

    [Fact]
    public async Task Only_throttling_carries_Retry_After()
    {
        _api.Jobs.FailNext(JobsControlErrors.Unavailable("down"));

        var reply = await _api.InvokeAsync("api-update-job-execution.json");

        Assert.False(reply.Headers.ContainsKey("retry-after"));
    }

    [Fact]
    public async Task A_version_conflict_body_carries_the_current_state()
    {
        var reply = await _api.InvokeAsync(WithBody(Event("api-update-job-execution.json"), """{"status":"SUCCEEDED","expectedVersion":7}"""));

        Assert.Equal((409, "conflict.version"), (reply.Status, reply.Code));
        Assert.Equal("IN_PROGRESS", reply.Body["executionState"]?["status"]?.GetValue<string>());
        Assert.Equal(2, reply.Body["executionState"]?["versionNumber"]?.GetValue<long>());
    }

    [Fact]
    public async Task A_thing_without_that_execution_is_a_404()
    {
        var @event = Event("api-update-job-execution.json");
        @event["pathParameters"]!["thingName"] = "sensor-99";

        var reply = await _api.InvokeAsync(@event);

        Assert.Equal((404, "notFound.resource"), (reply.Status, reply.Code));
    }

    [Fact]
    public async Task A_route_this_API_does_not_have_is_a_404()
    {
        var @event = Event("api-get-job.json");
        @event["routeKey"] = "DELETE /jobs/{jobId}";

        var reply = await _api.InvokeAsync(@event);

        Assert.Equal((404, "notFound.route"), (reply.Status, reply.Code));
    }
}
