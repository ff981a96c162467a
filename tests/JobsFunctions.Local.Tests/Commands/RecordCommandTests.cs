using System.Text.RegularExpressions;
using JobsFunctions.Aws.Dynamo;
using JobsFunctions.Domain.Executions;
using JobsFunctions.Domain.Jobs;
using JobsFunctions.Local.Cli;
using JobsFunctions.Local.Stack;
using JobsFunctions.TestSupport;

namespace JobsFunctions.Local.Tests.Commands;

/// <summary><c>record</c> end to end: the published bootstrap as a process, moto as DynamoDB.</summary>
public sealed partial class RecordCommandTests(MotoServer moto, PublishedBootstrap bootstrap)
{
    private static readonly string[] Samples = Directory.GetFiles(Path.Combine(RepositoryPaths.Root, "events"), "job*.json")
        .Order(StringComparer.Ordinal)
        .ToArray();

    [Fact]
    public async Task Recording_every_sample_twice_prints_each_outcome_and_a_table_with_one_record_per_execution()
    {
        var table = $"records-test-{Guid.NewGuid():N}";
        string[] files = [.. Samples, .. Samples];

        var (code, output, errors) = await RunAsync(["record", .. files, "--dynamo-endpoint", moto.Endpoint.ToString(), "--bootstrap", bootstrap.Path, "--table", table]);

        Assert.True(code == 0, $"exit {code}: {errors}\n{output}");
        var outcomes = InvocationLine().Matches(output).Select(match => match.Groups["outcome"].Value).ToList();
        Assert.Equal(files.Length, outcomes.Count);
        Assert.Equal(2, outcomes.Count(outcome => outcome == "malformed"));
        Assert.Equal(Samples.Length - 1, outcomes.Skip(Samples.Length).Count(outcome => outcome == "duplicate"));
        Assert.Contains("job fw-2026-11: CANCELED", output);
        Assert.Contains("counters: SUCCEEDED 1, FAILED 1, TIMED_OUT 1, REJECTED 1, CANCELED 1 (total 5)", output);
        Assert.Contains("execution plant:7:pump-3: FAILED", output);

        using var dynamo = LocalDynamo.CreateClient(moto.Endpoint);
        var jobs = await TableSummary.ReadAsync(dynamo, new StoreOptions(table, 4, null), ["fw-2026-11", "reboot-2026-11"], TestContext.Current.CancellationToken);
        var rollout = jobs.Single(job => job.JobId == "fw-2026-11");
        Assert.Equal(JobStatus.Canceled, rollout.Status);
        Assert.Equal(5, rollout.Total);
        Assert.Equal(["plant:7:pump-3", "sensor-42", "sensor-43", "sensor-44", "sensor-45"], rollout.Executions.Select(e => e.ThingName));
        Assert.Equal(ExecutionStatus.Succeeded, rollout.Executions.Single(e => e.ThingName == "sensor-42").Status);
        Assert.Equal(JobStatus.Completed, jobs.Single(job => job.JobId == "reboot-2026-11").Status);
    }

    [Fact]
    public async Task Recording_into_a_table_that_exists_adds_to_it()
    {
        var table = $"records-test-{Guid.NewGuid():N}";
        var succeeded = Samples.Single(path => path.EndsWith("job-execution-succeeded.json", StringComparison.Ordinal));
        var failed = Samples.Single(path => path.EndsWith("job-execution-failed.json", StringComparison.Ordinal));
        string[] options = ["--dynamo-endpoint", moto.Endpoint.ToString(), "--bootstrap", bootstrap.Path, "--table", table];

        var first = await RunAsync(["record", succeeded, .. options]);
        var second = await RunAsync(["record", failed, .. options]);

        Assert.Equal(0, first.Code);
        Assert.Equal(0, second.Code);
        Assert.Contains($"Table: {table} (existing)", second.Output);
        Assert.Contains("counters: SUCCEEDED 1, FAILED 1 (total 2)", second.Output);
    }

    [Fact]
    public async Task A_dynamo_endpoint_where_nothing_answers_fails_the_command_before_any_event_is_sent()
    {
        using var closed = new ClosedLoopbackPort();

        var (code, output, errors) = await RunAsync(["record", Samples[^1], "--dynamo-endpoint", closed.Endpoint.ToString(), "--bootstrap", bootstrap.Path]);

        Assert.Equal(1, code);
        Assert.Contains($"Nothing answers at {closed.Endpoint}", errors);
        Assert.Empty(InvocationLine().Matches(output));
    }

    private static async Task<(int Code, string Output, string Errors)> RunAsync(string[] args)
    {
        using var output = new StringWriter();
        using var errors = new StringWriter();
        var code = await LocalCli.RunAsync(args, output, errors, TestContext.Current.CancellationToken);
        return (code, output.ToString(), errors.ToString());
    }

    [GeneratedRegex(@"^\s*\d+/\d+\s+\S+\.json\s+(?<outcome>[a-z][a-z ]*?)\s{2,}", RegexOptions.Multiline)]
    private static partial Regex InvocationLine();
}
