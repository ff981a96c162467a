using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Amazon.DynamoDBv2.Model;
using JobsFunctions.Aws.Dynamo;
using JobsFunctions.Domain.Executions;
using JobsFunctions.Domain.Recording;
using JobsFunctions.Hosting;
using JobsFunctions.Recorder;
using JobsFunctions.TestSupport;
using Microsoft.Extensions.Time.Testing;

namespace JobsFunctions.Tests.Recorder;

/// <summary>The recorder against a table that throttles: what it records, what it logs, when it gives the event back to Lambda.</summary>
public sealed class RecorderHandlerTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 8, 0, 0, TimeSpan.Zero);

    private static readonly byte[] Succeeded = File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "events", "job-execution-succeeded.json"));

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task An_event_the_table_throttles_twice_is_recorded_once_in_the_same_invocation_and_its_log_line_counts_the_retries()
    {
        var (handler, store, log, _) = Recorder(throttledSaves: 2);

        var result = await handler.HandleAsync(Succeeded, Invocation(TimeSpan.FromSeconds(30)), Cancel);

        Assert.Equal("{\"recorded\":true}", Encoding.UTF8.GetString(result));
        var execution = Assert.Single(store.Executions);
        Assert.Equal(ExecutionStatus.Succeeded, execution.Status);
        Assert.Single(execution.Ledger);
        Assert.Equal(1, (await store.GetCountsAsync("fw-2026-11", Cancel))[ExecutionStatus.Succeeded]);
        var line = Assert.Single(Lines(log));
        Assert.Equal("recorded", (string?)line["outcome"]);
        Assert.Equal(2, (int?)line["storeRetries"]);
    }

    [Fact]
    public async Task An_event_the_table_throttles_past_the_invocations_time_fails_the_invocation_with_the_tables_error_and_writes_nothing()
    {
        var (handler, store, log, clock) = Recorder(throttledSaves: int.MaxValue);

        await Assert.ThrowsAsync<ThrottlingException>(() => handler.HandleAsync(Succeeded, Invocation(TimeSpan.FromSeconds(30)), Cancel));

        Assert.Empty(store.Executions);
        Assert.Equal(0, (await store.GetCountsAsync("fw-2026-11", Cancel))[ExecutionStatus.Succeeded]);
        Assert.Empty(Lines(log));
        Assert.InRange(clock.GetUtcNow(), Now.AddSeconds(20), Now.AddSeconds(30) - RecorderHandler.RetryMargin);
    }

    [Fact]
    public async Task A_redelivered_event_whose_first_write_landed_unseen_is_a_duplicate_counted_once()
    {
        // The first delivery's write reached the table but its answer was lost: the SDK saw a 500 and gave up.
        var (handler, store, log, _) = Recorder(throttledSaves: 0, answersLost: 1);

        await handler.HandleAsync(Succeeded, Invocation(TimeSpan.FromSeconds(30)), Cancel);

        Assert.Single(Assert.Single(store.Executions).Ledger);
        Assert.Equal(1, (await store.GetCountsAsync("fw-2026-11", Cancel))[ExecutionStatus.Succeeded]);
        var line = Assert.Single(Lines(log));
        Assert.Equal("duplicate", (string?)line["outcome"]);
        Assert.Equal(1, (int?)line["storeRetries"]);
    }

    private static InvocationContext Invocation(TimeSpan timeout) => new("req-1", Now + timeout, "arn:aws:lambda:eu-west-1:111122223333:function:recorder", null);

    private static (RecorderHandler Handler, InMemoryRecordStore Store, StringWriter Log, FakeTimeProvider Clock) Recorder(int throttledSaves, int answersLost = 0)
    {
        var clock = new FakeTimeProvider(Now);
        var store = new InMemoryRecordStore();
        var throttled = 0;
        store.BeforeExecutionSave = (_, _) => throttled++ < throttledSaves
            ? throw new ThrottlingException("Rate of requests exceeds the allowed throughput.") { StatusCode = HttpStatusCode.BadRequest }
            : Task.CompletedTask;
        if (answersLost > 0)
        {
            var lost = 0;
            store.AfterExecutionSave = _ => lost++ < answersLost
                ? throw new InternalServerErrorException("Internal server error") { StatusCode = HttpStatusCode.InternalServerError }
                : Task.CompletedTask;
        }

        var retry = new TransientRetry(clock, (delay, _) =>
        {
            clock.Advance(delay);
            return Task.CompletedTask;
        });
        var log = new StringWriter();
        return (new RecorderHandler(new StatusRecorder(store, clock), retry, clock, log), store, log, clock);
    }

    private static List<JsonObject> Lines(StringWriter log) =>
        [.. log.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(text => JsonNode.Parse(text)!.AsObject())];
}
