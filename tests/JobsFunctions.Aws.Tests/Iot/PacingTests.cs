using System.Net;
using JobsFunctions.Aws.Iot;
using JobsFunctions.Aws.Iot.Control;
using JobsFunctions.Aws.Iot.JobsData;
using JobsFunctions.Aws.Tests.Support;
using JobsFunctions.Domain.Errors;
using JobsFunctions.Domain.Operations;
using JobsFunctions.Domain.Sweeping;

namespace JobsFunctions.Aws.Tests.Iot;

/// <summary>
/// The call rate per control-plane API, shared by every client of one set of options, and never waited on past the
/// caller's token. The rate here is one call per 1,000 seconds: the bucket holds one call and cannot refill during a
/// test, so which call waits is certain without measuring time (the refill itself is the BCL limiter's).
/// </summary>
public sealed class PacingTests : IDisposable
{
    private readonly IotCallPacing _pacing;
    private readonly TestClients _clients;
    private readonly IotControlClient _control;
    private readonly IotJobsDataClient _jobsData;

    public PacingTests()
    {
        _pacing = new IotCallPacing(controlPlaneTps: 0.001);
        _clients = new TestClients { Pacing = _pacing };
        _clients.Handler.Otherwise = _ => ScriptedHandler.Response(HttpStatusCode.OK, "{}");
        _control = _clients.Control(new RetryOptions { MaxAttempts = 3 });
        _jobsData = _clients.JobsData(new RetryOptions { MaxAttempts = 1 });
    }

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_call_beyond_what_the_bucket_holds_waits_unsent_until_its_deadline()
    {
        await _control.ListJobsAsync(new ListJobsRequest(), Token);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(Token);

        var second = _control.ListJobsAsync(new ListJobsRequest(), deadline.Token);
        await Task.Yield();
        Assert.False(second.IsCompleted);
        await deadline.CancelAsync();
        var thrown = await Assert.ThrowsAsync<IotServiceException>(() => second.WaitAsync(TimeSpan.FromSeconds(30), Token));

        Assert.Equal(IotServiceException.NotSentCode, thrown.ErrorCode);
        Assert.Single(_clients.Handler.Requests);
        Assert.Equal(1, _pacing.Stats.Calls);
    }

    [Fact]
    public async Task Each_API_has_its_own_bucket()
    {
        await _control.ListJobsAsync(new ListJobsRequest(), Token);

        await _control.DescribeEventConfigurationsAsync(Token).WaitAsync(TimeSpan.FromSeconds(30), Token);
        await _control.CancelJobAsync(new CancelJobRequest { JobId = "fw-1" }, Token).WaitAsync(TimeSpan.FromSeconds(30), Token);

        Assert.Equal(3, _clients.Handler.Requests.Count);
    }

    [Fact]
    public async Task Clients_of_the_same_options_share_the_buckets()
    {
        using var second = _clients.Control();
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(Token);
        await _control.ListJobsAsync(new ListJobsRequest(), Token);

        var waiting = second.ListJobsAsync(new ListJobsRequest(), deadline.Token);
        await Task.Yield();

        Assert.False(waiting.IsCompleted);
        await deadline.CancelAsync();
        await Assert.ThrowsAsync<IotServiceException>(() => waiting.WaitAsync(TimeSpan.FromSeconds(30), Token));
        Assert.Single(_clients.Handler.Requests);
    }

    [Fact]
    public async Task The_jobs_data_plane_is_counted_but_not_paced()
    {
        for (var i = 0; i < 5; i++)
        {
            await _jobsData.UpdateJobExecutionAsync(new UpdateJobExecutionRequest { JobId = "fw-1", ThingName = "t1", Status = "IN_PROGRESS" }, Token)
                .WaitAsync(TimeSpan.FromSeconds(30), Token);
        }

        Assert.Equal(5, _pacing.Stats.Calls);
    }

    [Fact]
    public async Task A_call_whose_deadline_comes_while_it_waits_is_not_sent_and_says_so()
    {
        var jobs = new IotJobsControl(_control, _jobsData);
        await jobs.CancelJobAsync(new CancelJob("fw-1"), Token);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(Token);

        var waiting = jobs.CancelJobAsync(new CancelJob("fw-3"), deadline.Token);
        await deadline.CancelAsync();
        var error = (await waiting.WaitAsync(TimeSpan.FromSeconds(30), Token)).Error;

        Assert.Equal((ErrorKind.Unavailable, "unavailable"), (error!.Kind, error.Code));
        Assert.Equal("CancelJob was not sent to AWS IoT: the invocation deadline came while it waited for its turn under the call rate.", error.Message);
        Assert.Single(_clients.Handler.Requests);
        Assert.Equal(1, _pacing.Stats.Calls);
    }

    [Fact]
    public async Task Every_attempt_counts_as_a_call_and_every_throttled_answer_as_a_throttle()
    {
        var unpaced = new IotCallPacing(null);
        var clients = new TestClients { Pacing = unpaced };
        clients.Handler
            .Then(HttpStatusCode.BadRequest, """{"message":"Rate exceeded"}""", ("x-amzn-ErrorType", "ThrottlingException"))
            .Then(HttpStatusCode.Gone, "{}", ("x-amzn-ErrorType", "LimitExceededException"))
            .Then(HttpStatusCode.OK, "{}");
        using var control = clients.Control(new RetryOptions { MaxAttempts = 3 });
        var before = unpaced.Stats.Read();

        await control.ListJobsAsync(new ListJobsRequest(), Token);

        Assert.Equal(new JobsCallCounts(Calls: 3, Throttles: 2), unpaced.Stats.Read() - before);
        Assert.Equal(2, clients.Sleeps.Count);
    }

    [Theory]
    [InlineData(null, 5.0)]
    [InlineData("2.5", 2.5)]
    [InlineData(" 10 ", 10.0)]
    public void The_control_plane_rate_comes_from_IOT_CONTROL_TPS_or_defaults_to_5(string? value, double expected)
    {
        using var pacing = IotCallPacing.FromEnvironment(name => name == "IOT_CONTROL_TPS" ? value : null);

        Assert.Equal(expected, pacing.ControlPlaneTps);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-1")]
    [InlineData("fast")]
    [InlineData("NaN")]
    [InlineData("Infinity")]
    public void A_rate_that_is_not_a_positive_number_fails_naming_the_variable(string value)
    {
        var error = Assert.Throws<InvalidOperationException>(() => IotCallPacing.FromEnvironment(_ => value));

        Assert.StartsWith("IOT_CONTROL_TPS", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_environment_options_carry_the_pacing()
    {
        var options = IotClientOptions.FromEnvironment(name => name switch
        {
            "AWS_REGION" => "eu-west-1",
            "IOT_CONTROL_TPS" => "3",
            _ => null,
        });

        Assert.Equal(3, options.Pacing.ControlPlaneTps);
    }

    public void Dispose()
    {
        _control.Dispose();
        _jobsData.Dispose();
        _pacing.Dispose();
    }
}
