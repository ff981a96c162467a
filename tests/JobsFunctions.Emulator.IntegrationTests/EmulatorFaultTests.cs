using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using JobsFunctions.Aws.Iot;
using JobsFunctions.Aws.Signing;
using JobsFunctions.Domain.Executions;
using JobsFunctions.Emulator.Model;

namespace JobsFunctions.Emulator.IntegrationTests;

/// <summary>
/// The emulator's fault injection (<c>POST /_emulator/faults</c>) and call counting (<c>GET /_emulator/calls</c>),
/// driven through the product's own IoT client, which retries throttling and 5xx and counts what it sent.
/// </summary>
public sealed class EmulatorFaultTests : IAsyncLifetime
{
    private const string Prefix = "arn:aws:iot:us-east-1:123456789012:";

    private readonly RunningEmulator _running = new();
    private readonly SocketsHttpHandler _handler = new();
    private readonly HttpClient _admin = new();
    private IotClients? _clients;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private IotClients Clients => _clients!;

    private IotJobsControl Jobs => new(Clients.Control, Clients.JobsData);

    public async ValueTask InitializeAsync()
    {
        await _running.InitializeAsync();
        _admin.BaseAddress = new Uri(_running.Endpoint.ToString().TrimEnd('/') + "/");
        var options = new IotClientOptions
        {
            Region = "us-east-1",
            ControlPlaneEndpoint = _running.Endpoint,
            JobsDataEndpoint = _running.Endpoint,
            Retry = new RetryOptions { MaxAttempts = 4, BaseDelay = TimeSpan.FromMilliseconds(1), MaxDelay = TimeSpan.FromMilliseconds(5) },
        };
        _clients = new IotClients(options, new StaticCredentialsSource(new SigningCredentials("AKIDEXAMPLE", "dummy")), _handler);
        _running.Emulator.CreateThing("t1", null);
        foreach (var job in new[] { "refused", "open" })
        {
            _running.Emulator.CreateJob(new JobSpec { JobId = job, Targets = [Prefix + "thing/t1"], Document = "{\"op\":\"reboot\"}" });
        }
    }

    public async ValueTask DisposeAsync()
    {
        _clients?.Dispose();
        _handler.Dispose();
        _admin.Dispose();
        await _running.DisposeAsync();
    }

    [Fact]
    public async Task A_rule_for_one_jobs_listing_refuses_that_job_every_time_and_lets_every_other_call_through()
    {
        await SetFaultsAsync("""{"rules":[{"operation":"ListJobExecutionsForJob","jobId":"refused","code":"AccessDeniedException","status":403,"rate":1}]}""");

        for (var i = 0; i < 3; i++)
        {
            var refused = await Jobs.ListJobExecutionsForJobAsync("refused", ExecutionStatus.Queued, 10, null, Token);
            var open = await Jobs.ListJobExecutionsForJobAsync("open", ExecutionStatus.Queued, 10, null, Token);

            Assert.False(refused.IsSuccess);
            Assert.Equal("aws.AccessDeniedException", refused.Error.Code);
            Assert.True(open.IsSuccess, open.IsSuccess ? null : open.Error.Message);
            Assert.Single(open.Value.Items);
        }

        var calls = await CallsAsync();
        var byJob = calls["jobs"]!.AsArray().ToDictionary(job => job!["jobId"]!.GetValue<string>());
        // AccessDenied is not worth another attempt: one answer per call, each an injected fault.
        Assert.Equal(3, byJob["refused"]!["answered"]!.GetValue<long>());
        Assert.Equal(3, byJob["refused"]!["injected"]!.GetValue<long>());
        Assert.Equal(3, byJob["open"]!["answered"]!.GetValue<long>());
        Assert.Equal(0, byJob["open"]!["injected"]!.GetValue<long>());
        Assert.Equal(0, calls["throttled"]!.GetValue<long>());
    }

    [Fact]
    public async Task The_emulator_counts_every_answer_and_every_throttled_answer_exactly_as_the_client_counts_what_it_sent()
    {
        await SetFaultsAsync("""
            {"seed": 7, "rules": [
              {"operation": "DescribeJobExecution", "code": "ThrottlingException", "status": 429, "rate": 0.3},
              {"operation": "DescribeJobExecution", "code": "InternalFailureException", "status": 500, "rate": 0.1}]}
            """);
        var stats = Clients.Options.Pacing.Stats;
        var (callsBefore, throttlesBefore) = (stats.Calls, stats.Throttles);

        for (var i = 0; i < 40; i++)
        {
            await Jobs.DescribeJobExecutionAsync("open", "t1", null, Token);
        }

        var (sentCalls, sentThrottles) = (stats.Calls - callsBefore, stats.Throttles - throttlesBefore);
        var calls = await CallsAsync();
        var describe = calls["operations"]!.AsArray().Single(op => op!["operation"]!.GetValue<string>() == "DescribeJobExecution")!;
        Assert.True(describe["throttled"]!.GetValue<long>() > 0, "A 30 % throttling rule throttled nothing in 40 calls and their retries.");
        Assert.True(describe["injected"]!.GetValue<long>() > describe["throttled"]!.GetValue<long>(), "No 500 was injected.");
        Assert.Equal(sentCalls, calls["answered"]!.GetValue<long>());
        Assert.Equal(sentThrottles, calls["throttled"]!.GetValue<long>());
    }

    [Fact]
    public async Task The_same_seed_refuses_the_same_calls_and_another_seed_refuses_others()
    {
        var first = await OutcomesAsync(seed: 3);
        var again = await OutcomesAsync(seed: 3);
        var other = await OutcomesAsync(seed: 4);

        Assert.Equal(first, again);
        Assert.NotEqual(first, other);
        Assert.Contains('x', first);
        Assert.Contains('.', first);
    }

    [Fact]
    public async Task Reset_turns_faults_off_and_starts_the_count_again()
    {
        await SetFaultsAsync("""{"rules":[{"operation":"ListJobs","code":"ThrottlingException","status":429}]}""");
        Assert.False((await Jobs.ListJobsAsync(null, 10, null, Token)).IsSuccess);

        using var reset = await _admin.PostAsync(new Uri("_emulator/reset", UriKind.Relative), null, Token);
        reset.EnsureSuccessStatusCode();

        var faults = JsonNode.Parse(await _admin.GetStringAsync(new Uri("_emulator/faults", UriKind.Relative), Token))!;
        Assert.Empty(faults["rules"]!.AsArray());
        Assert.Equal(0, (await CallsAsync())["answered"]!.GetValue<long>());
        Assert.True((await Jobs.ListJobsAsync(null, 10, null, Token)).IsSuccess);
    }

    [Theory]
    [InlineData("""{"rules":[{"operation":"ListJobs","code":"ThrottlingException","rate":1.5}]}""", "rules[0]: rate must be from 0 to 1")]
    [InlineData("""{"rules":[{"operation":"ListJobs","code":"ThrottlingException","status":200}]}""", "rules[0]: status must be an HTTP error status")]
    [InlineData("""{"rules":[{"code":"ThrottlingException"}]}""", "rules[0].operation is required")]
    public async Task A_rule_that_cannot_be_applied_is_refused_with_the_reason_and_changes_nothing(string body, string reason)
    {
        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        using var response = await _admin.PostAsync(new Uri("_emulator/faults", UriKind.Relative), content, Token);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(reason, await response.Content.ReadAsStringAsync(Token), StringComparison.Ordinal);
        var faults = JsonNode.Parse(await _admin.GetStringAsync(new Uri("_emulator/faults", UriKind.Relative), Token))!;
        Assert.Empty(faults["rules"]!.AsArray());
    }

    /// <summary>Twenty GetJobDocument calls, one attempt each, under a 50 % rule: '.' for an answer, 'x' for a refusal.</summary>
    private async Task<string> OutcomesAsync(int seed)
    {
        await SetFaultsAsync($$"""{"seed": {{seed}}, "rules":[{"operation":"GetJobDocument","code":"ServiceUnavailableException","status":503,"rate":0.5}]}""");
        var outcomes = new StringBuilder();
        for (var i = 0; i < 20; i++)
        {
            using var response = await _admin.GetAsync(new Uri("jobs/open/job-document", UriKind.Relative), Token);
            outcomes.Append(response.IsSuccessStatusCode ? '.' : 'x');
        }

        return outcomes.ToString();
    }

    private async Task SetFaultsAsync(string body)
    {
        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        using var response = await _admin.PostAsync(new Uri("_emulator/faults", UriKind.Relative), content, Token);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync(Token));
    }

    private async Task<JsonNode> CallsAsync() =>
        JsonNode.Parse(await _admin.GetStringAsync(new Uri("_emulator/calls", UriKind.Relative), Token))!;
}
