using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using Amazon.DynamoDBv2.Model;
using JobsFunctions.Aws.Dynamo;
using JobsFunctions.Domain.Executions;
using JobsFunctions.Emulator.Http;
using JobsFunctions.Local.Demo;
using JobsFunctions.Local.Runtime;
using JobsFunctions.Local.Stack;

namespace JobsFunctions.Local.Soak;

/// <summary>One moment of a soak, for the progress lines.</summary>
public sealed record SoakProgress(TimeSpan VirtualElapsed, TimeSpan WallElapsed, long Runs, long RunsFailing, SoakCheckpoint? Checkpoint);

/// <summary>What the store held at one instant of account time.</summary>
/// <param name="HeartbeatItemBytes">The heartbeating execution's item, by DynamoDB's size rules (0: not stored).</param>
/// <param name="DryRunAuditEntries">Audit entries in the dry-run job's partition.</param>
/// <param name="LargestItemBytes">The largest item of the whole table, and its key.</param>
public sealed record SoakCheckpoint(TimeSpan VirtualElapsed, long Runs, int HeartbeatItemBytes, int DryRunAuditEntries, int LargestItemBytes, string LargestItemKey, int Items);

/// <summary>
/// The soak: the published bootstrap as recorder, operator API and sweeper (a <see cref="FleetServices"/>), the
/// emulator on its virtual clock, moto behind the recorder's DynamoDB fault proxy. Policies are set through the
/// operator API; the emulator refuses one job's listing for the whole soak and throttles and fails a share of every
/// IoT call. The clock moves a minute at a time; every minute each device acts, and on the schedule's minutes one
/// sweeper run is invoked and awaited. Around each run the emulator's own call count is read, so the calls the
/// sweeper reports are compared with the calls the emulator answered in that window (nothing else calls IoT over
/// HTTP then: the devices call the emulator in process). The store is read at checkpoints, a quarter of the soak or
/// a day apart, whichever is shorter.
/// </summary>
public static class SoakRun
{
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);

    /// <summary>How long a sweeper run's report line may trail its response.</summary>
    private static readonly TimeSpan ReportPatience = TimeSpan.FromSeconds(30);

    public static async Task<SoakReport> RunAsync(FleetServices stack, SoakOptions options, Action<SoakProgress> onProgress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stack);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(onProgress);
        var (sweeper, templateEvery) = stack.Sweeper ?? throw new LocalStackException("template.yaml has no function with Handler: sweeper: there is nothing to soak.");
        var every = options.RateMinutes is { } minutes ? TimeSpan.FromMinutes(minutes) : templateEvery;
        var emulator = stack.Emulator.Emulator;
        var fleet = new SoakFleet(emulator);
        fleet.Create();

        using var http = new HttpClient { BaseAddress = stack.Api.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        foreach (var job in SoakFleet.Jobs.Where(job => job.Policy is not null))
        {
            await PutPolicyAsync(http, job.JobId, job.Policy!.ToJsonString(), cancellationToken);
        }

        stack.Emulator.Faults.Set(
            [
                new FaultRule("ListJobExecutionsForJob", SoakFleet.RefusedJob, "AccessDeniedException", 403, 1),
                new FaultRule(FaultRule.AnyOperation, null, "ThrottlingException", 429, options.ThrottleRate),
                new FaultRule(FaultRule.AnyOperation, null, "InternalFailureException", 500, options.ServerErrorRate),
            ],
            options.Seed);

        var lines = new SweepRunLines();
        stack.OnSweeperOutput = lines.Observe;
        var tally = new SoakTally();
        var start = emulator.Clock.Now;
        var total = TimeSpan.FromDays(options.Days);
        var checkpointEvery = TimeSpan.FromMinutes(Math.Max(1, Math.Round(Math.Min(TimeSpan.FromDays(1).TotalMinutes, total.TotalMinutes / 4))));
        var checkpoints = new List<SoakCheckpoint>();
        var wall = Stopwatch.StartNew();
        var lastShown = TimeSpan.Zero;
        var scanner = new TableReader(stack.Deployment);
        for (var elapsed = Minute; elapsed <= total; elapsed += Minute)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var now = emulator.Advance(Minute);
            fleet.Step();
            if (elapsed.Ticks % every.Ticks == 0)
            {
                await SweepAsync(stack, sweeper, lines, now, tally, cancellationToken);
            }

            SoakCheckpoint? checkpoint = null;
            if (elapsed.Ticks % checkpointEvery.Ticks == 0 || elapsed + Minute > total)
            {
                checkpoint = await scanner.CheckpointAsync(elapsed, tally.Runs, cancellationToken);
                checkpoints.Add(checkpoint);
            }

            if (checkpoint is not null || wall.Elapsed - lastShown >= TimeSpan.FromSeconds(10))
            {
                lastShown = wall.Elapsed;
                onProgress(new SoakProgress(elapsed, wall.Elapsed, tally.Runs, tally.Runs - tally.Answered, checkpoint));
            }
        }

        stack.OnSweeperOutput = null;
        await stack.Feed.DrainAsync(cancellationToken);
        await stack.Recorder.DrainAsync(cancellationToken);
        var silent = emulator.DescribeJobExecution(SoakFleet.ActingJob, SoakFleet.SilentThing, null);
        var dryRunSilent = emulator.DescribeJobExecution(SoakFleet.DryRunJob, SoakFleet.DryRunSilentThing, null);
        var retried = emulator.DescribeJobExecution(SoakFleet.ActingJob, SoakFleet.RetriedThing, null);
        var heartbeat = emulator.DescribeJobExecution(SoakFleet.ActingJob, SoakFleet.HeartbeatThing, null);
        return new SoakReport(
            options,
            every,
            total,
            wall.Elapsed,
            tally.Snapshot(),
            checkpoints,
            fleet.Heartbeats,
            new SoakTruth(heartbeat.Status, silent.Status, dryRunSilent.Status, retried.Status, retried.ExecutionNumber),
            stack.Recorder.Counts,
            stack.DynamoFaults?.Counts);
    }

    /// <summary>One scheduled run, awaited, with the emulator's count of calls before and after it.</summary>
    private static async Task SweepAsync(FleetServices stack, LocalFunction sweeper, SweepRunLines lines, DateTimeOffset at, SoakTally tally, CancellationToken cancellationToken)
    {
        var calls = stack.Emulator.Calls;
        var before = EmulatorWindow.Read(calls);
        var report = lines.StartRun();
        var ran = Stopwatch.StartNew();
        var result = await sweeper.InvokeAsync(FleetRun.ScheduledEvent(at, stack.Emulator.Emulator), cancellationToken);
        var duration = ran.Elapsed;
        SweepRunLog? log = null;
        if (result.Outcome == InvocationOutcome.Response)
        {
            try
            {
                log = await report.WaitAsync(ReportPatience, cancellationToken);
            }
            catch (TimeoutException)
            {
            }
        }

        tally.Observe(result, log, EmulatorWindow.Read(calls) - before, duration);
    }

    private static async Task PutPolicyAsync(HttpClient http, string jobId, string policy, CancellationToken cancellationToken)
    {
        using var content = new StringContent(policy, Encoding.UTF8, new MediaTypeHeaderValue("application/json"));
        using var response = await http.PutAsync(new Uri($"jobs/{Uri.EscapeDataString(jobId)}/policy", UriKind.Relative), content, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new LocalStackException($"PUT /jobs/{jobId}/policy answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(cancellationToken)}");
        }
    }

    /// <summary>The store as the soak checks it: every item of the table read and sized, and two items of interest.</summary>
    private sealed class TableReader(LocalDeployment deployment)
    {
        // The records table's layout (JobsFunctions.Aws's RecordsTableLayout, internal to the functions): an execution
        // is JOB#{jobId} / EXEC#{thingName}, an audit entry JOB#{jobId} / AUDIT#{time}#{requestId}.
        private const string PartitionKey = "PK";
        private const string SortKey = "SK";
        private const string AuditPrefix = "AUDIT#";

        public async Task<SoakCheckpoint> CheckpointAsync(TimeSpan elapsed, long runs, CancellationToken cancellationToken)
        {
            var largest = 0;
            var largestKey = "(none)";
            var items = 0;
            Dictionary<string, AttributeValue>? startKey = null;
            do
            {
                var page = await deployment.Dynamo.ScanAsync(new ScanRequest { TableName = deployment.TableName, ExclusiveStartKey = startKey, ConsistentRead = true }, cancellationToken);
                foreach (var item in page.Items)
                {
                    items++;
                    var bytes = DynamoItemSize.Bytes(item);
                    if (bytes > largest)
                    {
                        largest = bytes;
                        largestKey = $"{Key(item, PartitionKey)} {Key(item, SortKey)}";
                    }
                }

                startKey = page.LastEvaluatedKey is { Count: > 0 } next ? next : null;
            }
            while (startKey is not null);

            var heartbeat = await deployment.Dynamo.GetItemAsync(new GetItemRequest
            {
                TableName = deployment.TableName,
                ConsistentRead = true,
                Key = new Dictionary<string, AttributeValue>
                {
                    [PartitionKey] = new() { S = $"JOB#{SoakFleet.ActingJob}" },
                    [SortKey] = new() { S = $"EXEC#{SoakFleet.HeartbeatThing}" },
                },
            }, cancellationToken);
            var audit = await deployment.Dynamo.QueryAsync(new QueryRequest
            {
                TableName = deployment.TableName,
                ConsistentRead = true,
                Select = Amazon.DynamoDBv2.Select.COUNT,
                KeyConditionExpression = "#pk = :pk AND begins_with(#sk, :audit)",
                ExpressionAttributeNames = new Dictionary<string, string> { ["#pk"] = PartitionKey, ["#sk"] = SortKey },
                ExpressionAttributeValues = new Dictionary<string, AttributeValue>
                {
                    [":pk"] = new() { S = $"JOB#{SoakFleet.DryRunJob}" },
                    [":audit"] = new() { S = AuditPrefix },
                },
            }, cancellationToken);
            var heartbeatBytes = heartbeat.Item is { Count: > 0 } stored ? DynamoItemSize.Bytes(stored) : 0;
            return new SoakCheckpoint(elapsed, runs, heartbeatBytes, audit.Count ?? 0, largest, largestKey, items);
        }

        private static string Key(Dictionary<string, AttributeValue> item, string name) => item.TryGetValue(name, out var value) ? value.S ?? "?" : "?";
    }
}

/// <summary>What the emulator answered, summed over operations: calls and throttled answers.</summary>
internal readonly record struct EmulatorWindow(long Answered, long Throttled, IReadOnlyDictionary<string, long> Listings)
{
    public static EmulatorWindow Read(WireCallCounts calls) => new(
        calls.ByOperation().Sum(op => op.Answered),
        calls.ByOperation().Sum(op => op.Throttled),
        calls.ByJob().Where(job => job.Operation == "ListJobExecutionsForJob").ToDictionary(job => job.JobId, job => job.Answered - job.Injected, StringComparer.Ordinal));

    /// <summary>What happened between two readings; <see cref="Listings"/> is per job the listings answered (not refused) in between.</summary>
    public static EmulatorWindow operator -(EmulatorWindow after, EmulatorWindow before) => new(
        after.Answered - before.Answered,
        after.Throttled - before.Throttled,
        after.Listings.ToDictionary(pair => pair.Key, pair => pair.Value - before.Listings.GetValueOrDefault(pair.Key), StringComparer.Ordinal));

    public EmulatorWindow Subtract(EmulatorWindow before) => this - before;
}

/// <summary>The emulator's truth about the soak's telling executions at the end.</summary>
public sealed record SoakTruth(ExecutionStatus Heartbeat, ExecutionStatus Silent, ExecutionStatus DryRunSilent, ExecutionStatus Retried, long RetriedExecutionNumber);
