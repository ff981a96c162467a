using JobsFunctions.Local.Commands;
using JobsFunctions.Local.Runtime;
using JobsFunctions.Local.Stack;
using JobsFunctions.TestSupport;

namespace JobsFunctions.Local.Tests.Runtime;

/// <summary>The published bootstrap run as Lambda runs it, and what the person running it is told when it goes wrong.</summary>
public sealed class LocalFunctionTests(MotoServer moto, PublishedBootstrap bootstrap)
{
    [Fact]
    public async Task A_function_that_fails_its_cold_start_is_reported_with_the_error_it_gave()
    {
        var definition = Recorder(bootstrap.Path, "records") with { Handler = "no-such-function" };

        var error = await Assert.ThrowsAsync<LocalStackException>(() =>
            LocalFunction.StartAsync(definition, null, waitForLogLine: false, TestContext.Current.CancellationToken));

        Assert.Contains("_HANDLER=no-such-function", error.Message);
        Assert.Contains("cold start failed", error.Message);
        Assert.Contains("recorder", error.Message); // the bootstrap names the functions it does have
    }

    [Fact]
    public async Task A_file_that_is_not_an_executable_is_reported_as_such()
    {
        var notExecutable = Path.Combine(Path.GetTempPath(), $"bootstrap-{Guid.NewGuid():N}");
        await File.WriteAllTextAsync(notExecutable, "not a program", TestContext.Current.CancellationToken);
        try
        {
            var error = await Assert.ThrowsAsync<LocalStackException>(() =>
                LocalFunction.StartAsync(Recorder(notExecutable, "records"), null, waitForLogLine: false, TestContext.Current.CancellationToken));

            Assert.Contains($"Could not run the bootstrap {notExecutable}", error.Message);
        }
        finally
        {
            File.Delete(notExecutable);
        }
    }

    [Fact]
    public async Task An_invocation_the_function_fails_is_reported_as_a_failure_Lambda_would_retry()
    {
        await using var recorder = await LocalFunction.StartAsync(
            Recorder(bootstrap.Path, $"no-such-table-{Guid.NewGuid():N}"), null, waitForLogLine: true, TestContext.Current.CancellationToken);
        var sample = await File.ReadAllBytesAsync(Path.Combine(RepositoryPaths.Root, "events", "job-execution-succeeded.json"), TestContext.Current.CancellationToken);

        var result = await recorder.InvokeAsync(sample, TestContext.Current.CancellationToken);

        Assert.Equal(InvocationOutcome.Error, result.Outcome);
        Assert.False(RecorderOutcome.Succeeded(result));
        Assert.StartsWith("FAILED", RecorderOutcome.Describe(result));
        Assert.Contains("Lambda would retry it", RecorderOutcome.Describe(result));
    }

    [Fact]
    public async Task Each_recorded_event_comes_back_with_the_functions_own_log_line_about_it()
    {
        using var dynamo = LocalTables.CreateClient(moto.Endpoint);
        var table = await TemplateTable.CreateAsync(dynamo, RepositoryPaths.Template);
        await using var recorder = await LocalFunction.StartAsync(Recorder(bootstrap.Path, table), null, waitForLogLine: true, TestContext.Current.CancellationToken);
        var sample = await File.ReadAllBytesAsync(Path.Combine(RepositoryPaths.Root, "events", "job-execution-failed.json"), TestContext.Current.CancellationToken);

        var first = await recorder.InvokeAsync(sample, TestContext.Current.CancellationToken);
        var again = await recorder.InvokeAsync(sample, TestContext.Current.CancellationToken);

        Assert.Contains(first.RequestId, first.LogLine);
        Assert.StartsWith("recorded     fw-2026-11 / plant:7:pump-3: FAILED (", RecorderOutcome.Describe(first));
        Assert.StartsWith("duplicate", RecorderOutcome.Describe(again));
    }

    private FunctionDefinition Recorder(string path, string table) => new(
        "RecorderFunction",
        path,
        "recorder",
        new Dictionary<string, string>
        {
            ["TABLE_NAME"] = table,
            ["AWS_REGION"] = LocalTables.Region,
            ["AWS_ACCESS_KEY_ID"] = LocalTables.AccessKeyId,
            ["AWS_SECRET_ACCESS_KEY"] = LocalTables.SecretAccessKey,
            ["AWS_ENDPOINT_URL_DYNAMODB"] = moto.Endpoint.ToString(),
        },
        TimeSpan.FromSeconds(30),
        256,
        "JSON");
}
