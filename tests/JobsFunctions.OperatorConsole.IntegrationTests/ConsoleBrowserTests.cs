using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace JobsFunctions.OperatorConsole.IntegrationTests;

/// <summary>
/// The operator console as an operator uses it, in chromium, over serve's local stack after a 200-device rollout:
/// what the pages show is what the operator API answers, and what is done in them reaches the API, IoT and the trail.
/// </summary>
public sealed class ConsoleBrowserTests(ServedConsole stack) : IClassFixture<ServedConsole>
{
    private static readonly string[] Statuses = ["QUEUED", "IN_PROGRESS", "SUCCEEDED", "FAILED", "TIMED_OUT", "REJECTED", "CANCELED", "REMOVED"];

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public Task The_jobs_page_lists_the_rollout_with_the_counts_GET_jobs_jobId_answers() => stack.WithPageAsync(nameof(The_jobs_page_lists_the_rollout_with_the_counts_GET_jobs_jobId_answers), async page =>
    {
        var job = await GetAsync($"jobs/{stack.RolloutJobId}");
        var expected = string.Join(' ', Statuses.Select(status => $"{status}={(long)job["counts"]![status]!}"));

        await page.GotoAsync(stack.Console.ToString());

        await Expect(page.Locator($"tr[data-job-id='{stack.RolloutJobId}'] [data-testid=counts]")).ToHaveTextAsync(expected);
        Assert.Equal(200, Statuses.Sum(status => (long)job["counts"]![status]!));
        await Expect(page.Locator("#who")).ToContainTextAsync("unsigned local API");
    });

    [Fact]
    public Task The_job_page_shows_iots_jobProcessDetails_equal_to_the_stores_counts_after_the_rollout() => stack.WithPageAsync(nameof(The_job_page_shows_iots_jobProcessDetails_equal_to_the_stores_counts_after_the_rollout), async page =>
    {
        var members = new Dictionary<string, string>
        {
            ["QUEUED"] = "numberOfQueuedThings",
            ["IN_PROGRESS"] = "numberOfInProgressThings",
            ["SUCCEEDED"] = "numberOfSucceededThings",
            ["FAILED"] = "numberOfFailedThings",
            ["TIMED_OUT"] = "numberOfTimedOutThings",
            ["REJECTED"] = "numberOfRejectedThings",
            ["CANCELED"] = "numberOfCanceledThings",
            ["REMOVED"] = "numberOfRemovedThings",
        };
        var job = await GetAsync($"jobs/{stack.RolloutJobId}");
        var iot = await GetAsync($"jobs/{stack.RolloutJobId}/iot");

        await page.GotoAsync($"{stack.Console}#/jobs/{stack.RolloutJobId}");

        foreach (var status in Statuses)
        {
            Assert.Equal((long)job["counts"]![status]!, (long)iot["jobProcessDetails"]![members[status]]!);
            await Expect(page.Locator($"[data-testid=iot-{status}]")).ToHaveTextAsync(((long)job["counts"]![status]!).ToString(System.Globalization.CultureInfo.InvariantCulture));
            await Expect(page.Locator($"[data-testid=store-{status}]")).ToHaveTextAsync(((long)job["counts"]![status]!).ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        await Expect(page.Locator("#counts .flag")).ToHaveCountAsync(0);
        await Expect(page.Locator("#iot-note")).ToContainTextAsync("DescribeJob answer");
    });

    [Fact]
    public Task The_job_page_shows_the_policy_and_a_dry_run_edit_made_in_it_reaches_the_audit_trail() => stack.WithPageAsync(nameof(The_job_page_shows_the_policy_and_a_dry_run_edit_made_in_it_reaches_the_audit_trail), async page =>
    {
        var reason = $"browser test: dry-run edit {Guid.NewGuid():N}";
        await page.GotoAsync($"{stack.Console}#/jobs/{stack.RolloutJobId}");
        await Expect(page.Locator("#policy-origin")).ToContainTextAsync("revision");

        var policy = JsonNode.Parse(await page.Locator("#policy-document").InputValueAsync())!.AsObject();
        policy["dryRun"] = true;
        policy["timeoutConfig"] = new JsonObject { ["queuedTimeoutInMinutes"] = 4321, ["action"] = "CANCEL" };
        await page.Locator("#policy-document").FillAsync(policy.ToJsonString());
        await page.GetByLabel("Reason (required, kept in the audit trail)").First.FillAsync(reason);
        await page.Locator("#policy-save").ClickAsync();

        await Expect(page.Locator("#policy-answer [data-testid=answer-status]")).ToContainTextAsync("HTTP 200");
        await Expect(page.Locator("#audit")).ToContainTextAsync(reason);
        await Expect(page.Locator("#policy-origin")).ToContainTextAsync("dry run");
        var stored = await GetAsync($"jobs/{stack.RolloutJobId}/policy");
        Assert.Equal((true, 4321), ((bool)stored["policy"]!["dryRun"]!, (int)stored["policy"]!["timeoutConfig"]!["queuedTimeoutInMinutes"]!));
    });

    [Fact]
    public Task A_preview_shows_the_actions_the_policy_would_take_now() => stack.WithPageAsync(nameof(A_preview_shows_the_actions_the_policy_would_take_now), async page =>
    {
        await page.GotoAsync($"{stack.Console}#/jobs/{stack.RolloutJobId}");
        await Expect(page.Locator("#policy-origin")).ToContainTextAsync("revision");

        await page.Locator("#policy-document").FillAsync("""{"dryRun":true,"abortConfig":{"criteriaList":[{"failureType":"ALL","action":"CANCEL","thresholdCount":1}]}}""");
        await page.Locator("#policy-preview").ClickAsync();

        await Expect(page.Locator("#preview-actions")).ToContainTextAsync("CancelJob");
        await Expect(page.Locator("[data-testid=preview-totals]")).ToContainTextAsync("CancelJob × 1");
    });

    [Fact]
    public Task A_cancel_made_in_the_page_with_a_reason_reaches_the_emulator_and_the_ledger_shows_it() => stack.WithPageAsync(nameof(A_cancel_made_in_the_page_with_a_reason_reaches_the_emulator_and_the_ledger_shows_it), async page =>
    {
        // One of AWS's CLI reference examples that serve sets up: example-job-03 queued on MyRPi.
        var reason = $"browser test: cancel {Guid.NewGuid():N}";
        await page.GotoAsync($"{stack.Console}#/jobs/example-job-03/things/MyRPi");

        await page.Locator("#cancel-submit").ClickAsync();
        await Expect(page.Locator("#cancel-answer")).ToContainTextAsync("Give a reason");
        await page.Locator("#cancel-reason").FillAsync(reason);
        await page.Locator("#cancel-submit").ClickAsync();

        await Expect(page.Locator("#cancel-answer [data-testid=answer-status]")).ToContainTextAsync("CancelJobExecution: HTTP 200");
        await Expect(page.Locator("#cancel-answer [data-testid=audit-produced]")).ToContainTextAsync("CancelJobExecution");
        await Expect(page.Locator("#ledger")).ToContainTextAsync("Now CANCELED");
        Assert.Equal("CANCELED", await EmulatorStatusAsync("example-job-03", "MyRPi"));
        var trail = await GetAsync("jobs/example-job-03/audit");
        Assert.Contains(trail["entries"]!.AsArray(), entry => (string?)entry!["reason"] == reason && (string?)entry["operation"] == "CancelJobExecution");
    });

    [Fact]
    public Task A_policy_edit_made_from_a_stale_read_shows_the_412_and_the_newer_revision() => stack.WithPageAsync(nameof(A_policy_edit_made_from_a_stale_read_shows_the_412_and_the_newer_revision), async page =>
    {
        await page.GotoAsync($"{stack.Console}#/jobs/{stack.RolloutJobId}");
        await Expect(page.Locator("#policy-origin")).ToContainTextAsync("ETag");

        // Someone else replaces the policy after the page read it.
        var current = await GetAsync($"jobs/{stack.RolloutJobId}/policy");
        using var put = new HttpRequestMessage(HttpMethod.Put, $"jobs/{stack.RolloutJobId}/policy")
        {
            Content = new StringContent(current["policy"]!.ToJsonString(), Encoding.UTF8, "application/json"),
        };
        put.Headers.Add("x-jobs-reason", "browser test: a colleague's edit");
        using var answer = await stack.ApiClient.SendAsync(put, Cancel);
        answer.EnsureSuccessStatusCode();
        var newer = (long)(await GetAsync($"jobs/{stack.RolloutJobId}/policy"))["revision"]!;

        await page.GetByLabel("Reason (required, kept in the audit trail)").First.FillAsync("browser test: stale edit");
        await page.Locator("#policy-save").ClickAsync();

        await Expect(page.Locator("#policy-answer [data-testid=answer-status]")).ToContainTextAsync("HTTP 412");
        await Expect(page.Locator("#policy-stale")).ToContainTextAsync($"The newer revision is {newer}");
    });

    private async Task<JsonNode> GetAsync(string route)
    {
        var body = await stack.ApiClient.GetStringAsync(new Uri(route, UriKind.Relative), Cancel);
        return JsonNode.Parse(body)!;
    }

    /// <summary>What the emulator itself says of an execution, asked as an operator would: the AWS CLI's describe-job-execution.</summary>
    private async Task<string> EmulatorStatusAsync(string jobId, string thingName)
    {
        var start = new ProcessStartInfo("aws", ["iot", "describe-job-execution", "--job-id", jobId, "--thing-name", thingName, "--endpoint-url", stack.Emulator.ToString()])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["AWS_ACCESS_KEY_ID"] = "testing";
        start.Environment["AWS_SECRET_ACCESS_KEY"] = "testing";
        start.Environment["AWS_DEFAULT_REGION"] = "us-east-1"; // the region the served stack was started in
        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync(Cancel);
        var errors = await process.StandardError.ReadToEndAsync(Cancel);
        await process.WaitForExitAsync(Cancel);
        Assert.True(process.ExitCode == 0, $"aws iot describe-job-execution exited {process.ExitCode}: {errors}");
        return (string)JsonNode.Parse(output)!["execution"]!["status"]!;
    }
}
