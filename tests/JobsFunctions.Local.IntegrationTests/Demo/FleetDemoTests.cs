using JobsFunctions.Domain.Executions;
using JobsFunctions.Local.Cli;
using JobsFunctions.Local.Demo;
using JobsFunctions.Local.Fleet;
using JobsFunctions.Local.Stack;
using JobsFunctions.TestSupport;

namespace JobsFunctions.Local.IntegrationTests.Demo;

/// <summary>
/// The fleet demo end to end, through the code path of <c>demo</c>: the published bootstrap as recorder, API and
/// sweeper, the emulator, moto, a simulated fleet. Each run gets its own table.
/// </summary>
public sealed class FleetDemoTests(MotoServer moto, PublishedBootstrap bootstrap) : IClassFixture<MotoServer>, IClassFixture<PublishedBootstrap>
{
    private static readonly FleetMix Mix = new(Fail: 0.05, Reject: 0.02, Hang: 0.03, StopReporting: 0.03, NeverStart: 0.04);

    [Fact]
    public async Task A_200_device_rollout_leaves_the_store_equal_to_the_emulators_truth_and_the_sweeper_cancels_what_never_started()
    {
        var options = new FleetDemoOptions(200, Seed: 11, Speed: 1_000_000, Mix, DuplicateEvents: false, ShuffleEvents: false, DynamoFaults: 0, DevicesOverHttp: true);
        var expected = Mix.Counts(200);
        var cancellation = TestContext.Current.CancellationToken;
        await using var services = await FleetServices.StartAsync(
            new StackSettings(moto.Endpoint, null, bootstrap.Path, false, null), FreePort(), 0, options, TextWriter.Null, cancellation);

        var report = await FleetRun.RunAsync(services, options, _ => { }, TextWriter.Null, cancellation);

        Assert.True(report.StoreMatchesTruth, $"Store and truth differ in {string.Join(", ", report.Mismatches)}.");
        Assert.Equal(ExecutionStatuses.All, report.ComparedStatuses);
        Assert.Equal(expected[DeviceBehaviour.Succeeds], report.Truth[ExecutionStatus.Succeeded]);
        Assert.Equal(expected[DeviceBehaviour.Fails], report.Truth[ExecutionStatus.Failed]);
        Assert.Equal(expected[DeviceBehaviour.Rejects], report.Truth[ExecutionStatus.Rejected]);

        // Nothing of AWS's ends an execution that never started: the sweeper's queued timeout cancels every one of them.
        // A device that hangs or went silent is ended by whichever comes first: the sweeper's in-progress or
        // no-progress timeout (CANCELED) or AWS's own in-progress timer (TIMED_OUT); at this speed a sweep takes
        // virtual days, so which one wins varies, but nothing else cancels and nothing stays open.
        var stuck = expected[DeviceBehaviour.Hangs] + expected[DeviceBehaviour.StopsReporting];
        Assert.Equal(0, report.Truth[ExecutionStatus.Queued] + report.Truth[ExecutionStatus.InProgress]);
        Assert.Equal(expected[DeviceBehaviour.NeverStarts] + stuck, report.Truth[ExecutionStatus.Canceled] + report.Truth[ExecutionStatus.TimedOut]);
        Assert.True(report.Truth[ExecutionStatus.Canceled] >= expected[DeviceBehaviour.NeverStarts], $"{report.Truth[ExecutionStatus.Canceled]} canceled");

        // The sweeper ran on its schedule (ticks that found a run still going were skipped: at this speed the whole
        // rollout takes about a second) and once after the recorder drained; every cancel is one of its actions,
        // and its reconciliation brought the never-started executions into the store before it canceled them.
        Assert.True(report.SweeperRuns >= 2, $"The sweeper ran {report.SweeperRuns} times over {report.VirtualElapsed.TotalMinutes:0} virtual minutes.");
        Assert.Equal(report.Truth[ExecutionStatus.Canceled], report.SweeperActions.GetValueOrDefault("Actions"));
        Assert.True(report.SweeperActions.GetValueOrDefault("ReconciledChanges") >= expected[DeviceBehaviour.NeverStarts]);
        Assert.Equal(report.Recorder.Accepted, report.Recorder.Succeeded);
        Assert.Equal(200, report.Ledgers);
    }

    [Fact]
    public async Task The_demo_command_still_ends_with_the_store_equal_to_the_truth_when_events_are_duplicated_shuffled_and_DynamoDB_fails_a_fifth_of_the_recorders_calls()
    {
        using var output = new StringWriter();
        using var errors = new StringWriter();

        var code = await LocalCli.RunAsync(
            ["demo", "--devices", "100", "--seed", "5", "--speed", "1000000", "--duplicate-events", "--shuffle-events", "--dynamo-faults", "0.2",
                "--dynamo-endpoint", moto.Endpoint.ToString(), "--bootstrap", bootstrap.Path, "--port", FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture)],
            output,
            errors,
            TestContext.Current.CancellationToken);

        Assert.True(code == 0, $"demo exited {code}:{Environment.NewLine}{output}{Environment.NewLine}{errors}");
        Assert.Contains("The store matches the emulator's truth.", output.ToString());
        Assert.Contains("redelivered", output.ToString());
        Assert.Matches(@"[1-9][0-9]* throttled, [1-9][0-9]* answers lost", output.ToString());
    }

    private static int FreePort() => LoopbackPorts.Free();
}
