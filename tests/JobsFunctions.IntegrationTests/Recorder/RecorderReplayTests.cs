using Amazon.DynamoDBv2;
using JobsFunctions.Aws.Dynamo;
using JobsFunctions.Aws.Logging;
using JobsFunctions.Domain.Recording;
using JobsFunctions.Hosting;
using JobsFunctions.Local.Stack;
using JobsFunctions.Recorder;
using JobsFunctions.TestSupport;

namespace JobsFunctions.IntegrationTests.Recorder;

/// <summary>
/// The recorder handler in-process over the real SDK and a moto table made from template.yaml: the sample events,
/// shuffled and delivered three times each, leave exactly the table that one in-order delivery leaves.
/// </summary>
public sealed class RecorderReplayTests(MotoServer moto) : IDisposable
{
    private readonly AmazonDynamoDBClient _dynamo = LocalDynamo.CreateClient(moto.Endpoint);

    public static TheoryData<int> Seeds => [1, 2, 3, 4, 5];

    [Theory]
    [MemberData(nameof(Seeds))]
    public async Task Sample_events_shuffled_and_tripled_leave_the_same_table_as_one_ordered_delivery(int seed)
    {
        var samples = Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "events"), "job*.json").Order(StringComparer.Ordinal).Select(File.ReadAllBytes).ToList();
        var replay = samples.Concat(samples).Concat(samples).ToArray();
        new Random(seed).Shuffle(replay);

        var ordered = await RecordAllAsync(samples);
        var shuffled = await RecordAllAsync(replay);

        Assert.Equal(
            await TableSnapshot.TakeAsync(_dynamo, ordered, "recordedAt", "GSI2SK"),
            await TableSnapshot.TakeAsync(_dynamo, shuffled, "recordedAt", "GSI2SK"));
    }

    [Fact]
    public async Task The_sample_events_record_states_counters_and_the_job_as_an_operator_expects()
    {
        var samples = Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "events"), "job*.json").Select(File.ReadAllBytes).ToList();
        var table = await RecordAllAsync(samples);
        var store = new DynamoRecordStore(_dynamo, new StoreOptions(table, 4, null));
        var ct = TestContext.Current.CancellationToken;

        var counts = await store.GetCountsAsync("fw-2026-11", ct);
        var pump = await store.FindExecutionAsync("fw-2026-11", "plant:7:pump-3", ct);
        var job = await store.FindJobAsync("fw-2026-11", ct);

        Assert.Equal(5, counts.Total);
        Assert.Equal([1, 1, 1, 1, 1], new[] { Domain.Executions.ExecutionStatus.Succeeded, Domain.Executions.ExecutionStatus.Failed, Domain.Executions.ExecutionStatus.TimedOut, Domain.Executions.ExecutionStatus.Canceled, Domain.Executions.ExecutionStatus.Rejected }.Select(status => counts[status]));
        Assert.Equal("checksum mismatch", pump!.StatusDetails["reason"]);
        Assert.Equal(Domain.Jobs.JobStatus.Canceled, job!.Status);
        Assert.Equal("Halting rollout: checksum failures on pumps", job.Comment);
    }

    private async Task<string> RecordAllAsync(IEnumerable<byte[]> events)
    {
        var table = await TemplateTable.CreateAsync(_dynamo, RepositoryPaths.Template);
        var handler = new RecorderHandler(new StatusRecorder(new DynamoRecordStore(_dynamo, new StoreOptions(table, 4, TimeSpan.FromDays(7))), TimeProvider.System), new TransientRetry(TimeProvider.System), TimeProvider.System);
        var context = new InvocationContext("request-1", DateTimeOffset.UtcNow.AddMinutes(1), "arn:aws:lambda:eu-west-1:111122223333:function:recorder", null);
        JsonLog.Output = TextWriter.Null;
        foreach (var payload in events)
        {
            await handler.HandleAsync(payload, context, TestContext.Current.CancellationToken);
        }

        return table;
    }

    public void Dispose() => _dynamo.Dispose();
}
