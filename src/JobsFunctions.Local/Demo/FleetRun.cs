using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using JobsFunctions.Aws.Dynamo;
using JobsFunctions.Aws.Signing;
using JobsFunctions.Domain.Executions;
using JobsFunctions.Emulator.Model;
using JobsFunctions.Local.Fleet;
using JobsFunctions.Local.Stack;

namespace JobsFunctions.Local.Demo;

/// <summary>
/// One rollout to a simulated fleet on a running <see cref="FleetServices"/>: the fleet's things in a thing group, a job
/// with a rollout rate, AWS's abortConfig and timeoutConfig, a sweeper policy set through the operator API when the
/// template serves that route, then the virtual clock run forward until the job is over, the recorder and rules
/// drained, and the store compared with the emulator's truth.
/// </summary>
public static class FleetRun
{
    public const string ThingGroup = "sim-fleet";

    /// <summary>How far the virtual clock moves between two rounds of device calls.</summary>
    private static readonly TimeSpan Tick = TimeSpan.FromSeconds(10);

    /// <summary>How often the view hears from the recorder's drain after the rollout.</summary>
    private static readonly TimeSpan DrainReport = TimeSpan.FromSeconds(1);

    // AWS's own configuration of the job (https://docs.aws.amazon.com/iot/latest/developerguide/jobs-configurations-details.html).
    private const int InProgressTimeoutMinutes = 60;
    private const double AwsAbortPercentage = 25;

    // The sweeper's policy reaches what AWS's configuration cannot: executions never started, devices gone silent,
    // and executions running too long, sooner than AWS's in-progress timer.
    private const int QueuedTimeoutMinutes = 45;
    private const int PolicyInProgressMinutes = 30;
    private const int NoProgressMinutes = 15;

    public static string JobIdFor(int seed) => string.Create(CultureInfo.InvariantCulture, $"fleet-rollout-{seed}");

    public static async Task<DemoReport> RunAsync(
        FleetServices stack, FleetDemoOptions options, Action<DemoProgress> onProgress, TextWriter log, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stack);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(onProgress);
        ArgumentNullException.ThrowIfNull(log);
        var emulator = stack.Emulator.Emulator;
        var jobId = JobIdFor(options.Seed);
        var plans = FleetPlan.Create(options.Devices, options.Mix, options.Seed);

        emulator.CreateThingGroup(ThingGroup, "The simulated fleet");
        foreach (var plan in plans)
        {
            emulator.CreateThing(plan.ThingName, null);
            emulator.AddThingToThingGroup(ThingGroup, plan.ThingName);
        }

        using var http = new HttpClient { BaseAddress = stack.Api.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        var perMinute = Math.Max(10, options.Devices / 5);
        var baseRate = Math.Max(1, perMinute / 4);
        emulator.CreateJob(new JobSpec
        {
            JobId = jobId,
            Targets = [$"arn:aws:iot:{emulator.Region}:{emulator.Account}:thinggroup/{ThingGroup}"],
            Document = """{"operation":"firmware-update","version":"2.4.1"}""",
            Description = "Firmware 2.4.1 to the simulated fleet",
            Rollout = new RolloutConfig(perMinute, new ExponentialRate(baseRate, 2, baseRate, null)),
            Abort = [new JobAbortCriterion("FAILED", "CANCEL", AwsAbortPercentage, Math.Max(1, options.Devices / 10))],
            InProgressTimeoutInMinutes = InProgressTimeoutMinutes,
        });
        var policySet = await PutPolicyAsync(stack, http, jobId, options, log, cancellationToken);

        using var overHttp = options.DevicesOverHttp
            ? new DataPlaneDevices(stack.Emulator.BaseAddress, emulator.Region, new SigningCredentials(LocalTables.AccessKeyId, LocalTables.SecretAccessKey))
            : null;
        var fleet = new FleetSimulator(plans, overHttp is null ? new EmulatorDevices(emulator) : overHttp, emulator.Clock.Now);
        var start = emulator.Clock.Now;
        // Long enough for the rollout, then for AWS's in-progress timer and every policy timeout to have fired.
        var horizon = TimeSpan.FromMinutes((options.Devices / perMinute) + 5 + Math.Max(InProgressTimeoutMinutes, QueuedTimeoutMinutes));
        var nextSweep = stack.Sweeper is { Every: var every } ? start + every : DateTimeOffset.MaxValue;
        var sweeperRuns = 0;
        Task sweeping = Task.CompletedTask;
        var wall = Stopwatch.StartNew();
        var lastShown = TimeSpan.Zero;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var now = emulator.Advance(Tick);
            await fleet.StepAsync(now, cancellationToken);
            // EventBridge starts a run on every tick of the schedule whether the last one ended or not, and the
            // sweeper's lease turns an overlapping run away; here a tick that finds a run still going is skipped.
            while (stack.Sweeper is { } sweeper && nextSweep <= now)
            {
                if (sweeping.IsCompleted)
                {
                    await sweeping;
                    sweeping = sweeper.Function.InvokeAsync(ScheduledEvent(nextSweep, emulator), cancellationToken);
                    sweeperRuns++;
                }

                nextSweep += sweeper.Every;
            }

            var job = emulator.DescribeJob(jobId);
            var elapsed = now - start;
            var over = job.Status is EmulatedJobStatus.Completed or EmulatedJobStatus.Canceled || elapsed >= horizon;
            if (over || lastShown == TimeSpan.Zero || wall.Elapsed - lastShown >= TimeSpan.FromMilliseconds(250))
            {
                lastShown = wall.Elapsed;
                onProgress(new DemoProgress(elapsed, wall.Elapsed, JobsEmulator.Wire(job.Status), Truth(job), fleet.Counts, stack.Feed.Counts.Published, stack.Recorder.Counts, sweeperRuns));
            }

            if (over)
            {
                break;
            }

            // Never faster than --speed; a busy machine simply plays slower. Waits shorter than the timer's
            // resolution are left to accumulate.
            var due = elapsed / options.Speed;
            if (due - wall.Elapsed > TimeSpan.FromMilliseconds(20))
            {
                await Task.Delay(due - wall.Elapsed, cancellationToken);
            }
        }

        // Every event published reaches the rules, and every invocation ends, retries included, before the store is read.
        // The view keeps counting meanwhile: with faults and retries the recorder may need minutes more than the rollout.
        var ended = emulator.DescribeJob(jobId);
        DemoProgress Moment(TimeSpan wallElapsed) => new(
            emulator.Clock.Now - start, wallElapsed, JobsEmulator.Wire(ended.Status), Truth(ended), fleet.Counts, stack.Feed.Counts.Published, stack.Recorder.Counts, sweeperRuns);
        var drainStarted = wall.Elapsed;
        await DrainAsync(stack, sweeping, wall, Moment, onProgress, cancellationToken);

        // One more scheduled run once everything is recorded: its reconciliation brings the open executions into the store.
        if (stack.Sweeper is { } last)
        {
            await last.Function.InvokeAsync(ScheduledEvent(emulator.Clock.Now, emulator), cancellationToken);
            sweeperRuns++;
            await DrainAsync(stack, Task.CompletedTask, wall, Moment, onProgress, cancellationToken);
        }

        var drained = wall.Elapsed - drainStarted;
        var final = emulator.DescribeJob(jobId);
        var truth = Truth(final);
        onProgress(new DemoProgress(emulator.Clock.Now - start, wall.Elapsed, JobsEmulator.Wire(final.Status), truth, fleet.Counts, stack.Feed.Counts.Published, stack.Recorder.Counts, sweeperRuns));

        var store = await StoreCountsAsync(http, jobId, cancellationToken);
        var (records, ledgers, entries) = await RecordsAsync(stack.Deployment, jobId, cancellationToken);
        var compared = ExecutionStatuses.All.Where(status => status.IsTerminal() || (policySet && sweeperRuns > 0)).ToList();
        return new DemoReport(
            jobId,
            JobsEmulator.Wire(final.Status),
            options.Devices,
            emulator.Clock.Now - start,
            wall.Elapsed,
            truth,
            store,
            records,
            compared,
            ledgers,
            entries,
            fleet.Counts,
            stack.Feed.Counts.Published,
            stack.Feed.Counts.Redelivered,
            stack.Rules.Counts.Delivered,
            stack.Recorder.Counts,
            [.. stack.Recorder.FailedEvents.Select(EventId)],
            stack.DynamoFaults?.Counts,
            sweeperRuns,
            stack.SweeperRuns.Totals,
            stack.Api.BaseAddress,
            stack.Emulator.BaseAddress)
        {
            DrainElapsed = drained,
        };
    }

    /// <summary>
    /// Waits until the sweeper run still going has ended, every event published has gone through the rules and every
    /// recorder invocation has ended, retries included, reporting the drain's progress every second meanwhile.
    /// </summary>
    private static async Task DrainAsync(
        FleetServices stack, Task sweeping, Stopwatch wall, Func<TimeSpan, DemoProgress> moment, Action<DemoProgress> onProgress, CancellationToken cancellationToken)
    {
        var began = wall.Elapsed;
        var atStart = stack.Recorder.Counts;
        var draining = DrainAllAsync(stack, sweeping, cancellationToken);
        while (await Task.WhenAny(draining, Task.Delay(DrainReport, cancellationToken)) != draining)
        {
            var faults = stack.DynamoFaults?.Counts is { } counts ? counts.Throttled + counts.AnswersLost : 0;
            onProgress(moment(wall.Elapsed) with
            {
                Drain = DrainProgress.Measure(wall.Elapsed - began, atStart.Succeeded + atStart.Failed, stack.Recorder.Counts, faults),
            });
        }

        await draining;
    }

    private static async Task DrainAllAsync(FleetServices stack, Task sweeping, CancellationToken cancellationToken)
    {
        await sweeping;
        await stack.Feed.DrainAsync(cancellationToken);
        await stack.Recorder.DrainAsync(cancellationToken);
    }

    /// <summary>An IoT Jobs event's eventId, as an operator would search the failure queue or the logs for it.</summary>
    internal static string EventId(byte[] payload)
    {
        try
        {
            return JsonNode.Parse(payload)?["eventId"] is JsonValue id && id.TryGetValue<string>(out var text) ? text : "(no eventId)";
        }
        catch (System.Text.Json.JsonException)
        {
            return "(not JSON)";
        }
    }

    /// <summary>The emulator's own count of the job's things by the status of their latest execution.</summary>
    private static Dictionary<ExecutionStatus, int> Truth(EmulatedJobView job)
    {
        var details = job.ProcessDetails;
        return new Dictionary<ExecutionStatus, int>
        {
            [ExecutionStatus.Queued] = details.Queued,
            [ExecutionStatus.InProgress] = details.InProgress,
            [ExecutionStatus.Succeeded] = details.Succeeded,
            [ExecutionStatus.Failed] = details.Failed,
            [ExecutionStatus.Rejected] = details.Rejected,
            [ExecutionStatus.Canceled] = details.Canceled,
            [ExecutionStatus.TimedOut] = details.TimedOut,
            [ExecutionStatus.Removed] = details.Removed,
        };
    }

    /// <summary>
    /// PUT /jobs/{jobId}/policy through the operator API, when the template routes it: timeouts for executions never
    /// started, gone silent or running too long, and an abort criterion on failures within a window.
    /// </summary>
    private static async Task<bool> PutPolicyAsync(FleetServices stack, HttpClient http, string jobId, FleetDemoOptions options, TextWriter log, CancellationToken cancellationToken)
    {
        if (!stack.Routes.RouteKeys.Contains("PUT /jobs/{jobId}/policy", StringComparer.Ordinal))
        {
            log.WriteLine("The template routes no PUT /jobs/{jobId}/policy: the job runs on AWS's own abortConfig and timeoutConfig only.");
            return false;
        }

        var policy = new JsonObject
        {
            ["dryRun"] = false,
            ["abortConfig"] = new JsonObject
            {
                ["criteriaList"] = new JsonArray(new JsonObject
                {
                    ["failureType"] = "FAILED",
                    ["action"] = "CANCEL",
                    ["force"] = false,
                    ["thresholdPercentage"] = 20.0,
                    ["minNumberOfExecutedThings"] = Math.Max(1, options.Devices / 10),
                    ["windowInMinutes"] = 15,
                }),
            },
            ["timeoutConfig"] = new JsonObject
            {
                ["queuedTimeoutInMinutes"] = QueuedTimeoutMinutes,
                ["inProgressTimeoutInMinutes"] = PolicyInProgressMinutes,
                ["noProgressTimeoutInMinutes"] = NoProgressMinutes,
                ["action"] = "CANCEL",
            },
        };
        using var content = new StringContent(policy.ToJsonString(), Encoding.UTF8, new MediaTypeHeaderValue("application/json"));
        using var response = await http.PutAsync(new Uri($"jobs/{Uri.EscapeDataString(jobId)}/policy", UriKind.Relative), content, cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new LocalStackException($"PUT /jobs/{jobId}/policy answered {(int)response.StatusCode}: {body}");
        }

        log.WriteLine($"Sweeper policy set through the operator API: PUT /jobs/{jobId}/policy answered {(int)response.StatusCode}.");
        return true;
    }

    /// <summary>The job's counters as the operator API answers GET /jobs/{jobId}.</summary>
    private static async Task<Dictionary<ExecutionStatus, long>> StoreCountsAsync(HttpClient http, string jobId, CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync(new Uri($"jobs/{Uri.EscapeDataString(jobId)}", UriKind.Relative), cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new LocalStackException($"GET /jobs/{jobId} answered {(int)response.StatusCode}: {body}");
        }

        var counts = JsonNode.Parse(body)?["counts"] as JsonObject ?? throw new LocalStackException($"GET /jobs/{jobId} answered no counts: {body}");
        var store = new Dictionary<ExecutionStatus, long>();
        foreach (var (name, value) in counts)
        {
            if (ExecutionStatuses.TryParse(name, out var status) && value is not null)
            {
                store[status] = value.GetValue<long>();
            }
        }

        return store;
    }

    /// <summary>The store's execution records of the job, by status, and their ledgers, read by key as the functions read them.</summary>
    private static async Task<(Dictionary<ExecutionStatus, long> Records, long Ledgers, long Entries)> RecordsAsync(
        LocalDeployment deployment, string jobId, CancellationToken cancellationToken)
    {
        var store = new DynamoRecordStore(deployment.Dynamo, deployment.StoreOptions);
        var records = new Dictionary<ExecutionStatus, long>();
        long ledgers = 0;
        long entries = 0;
        string? token = null;
        do
        {
            var page = await store.ListExecutionsOfJobAsync(jobId, null, DynamoRecordStore.MaxPageSize, token, cancellationToken);
            foreach (var record in page.Items)
            {
                records[record.Status] = records.GetValueOrDefault(record.Status) + 1;
                ledgers += record.Ledger.Count > 0 ? 1 : 0;
                entries += record.Ledger.Count;
            }

            token = page.NextPageToken;
        }
        while (token is not null);

        return (records, ledgers, entries);
    }

    /// <summary>
    /// The event EventBridge sends a scheduled rule's target
    /// (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-run-lambda-schedule.html), its time the
    /// scheduled instant on the emulator's clock.
    /// </summary>
    internal static byte[] ScheduledEvent(DateTimeOffset at, JobsEmulator emulator) => Encoding.UTF8.GetBytes(new JsonObject
    {
        ["version"] = "0",
        ["id"] = Guid.NewGuid().ToString(),
        ["detail-type"] = "Scheduled Event",
        ["source"] = "aws.events",
        ["account"] = emulator.Account,
        ["time"] = at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
        ["region"] = emulator.Region,
        ["resources"] = new JsonArray($"arn:aws:events:{emulator.Region}:{emulator.Account}:rule/SweepSchedule"),
        ["detail"] = new JsonObject(),
    }.ToJsonString());
}
