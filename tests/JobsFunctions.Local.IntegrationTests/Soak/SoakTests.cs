using JobsFunctions.Local.Commands;
using JobsFunctions.Local.Demo;
using JobsFunctions.Local.Soak;
using JobsFunctions.Local.Stack;
using JobsFunctions.TestSupport;

namespace JobsFunctions.Local.IntegrationTests.Soak;

/// <summary>
/// The soak, a day of account time at rate(10 minutes): the published bootstrap as recorder, API and sweeper,
/// the emulator refusing one job's listing for the whole day and throttling and failing a share of every IoT call,
/// the recorder's DynamoDB failing a share of requests. Every check of the soak's report must hold.
/// </summary>
public sealed class SoakTests(MotoServer moto, PublishedBootstrap bootstrap) : IClassFixture<MotoServer>, IClassFixture<PublishedBootstrap>
{
    [Fact]
    public async Task A_day_of_heartbeats_silence_retries_and_faults_keeps_every_item_bounded_every_failure_reported_and_every_call_counted()
    {
        var options = new SoakOptions(Days: 1, RateMinutes: 10, Seed: 3);
        var cancellation = TestContext.Current.CancellationToken;
        await using var services = await FleetServices.StartAsync(
            new StackSettings(moto.Endpoint, null, bootstrap.Path, false, null), LoopbackPorts.Free(), 0, SoakCommand.ServicesFor(options), TextWriter.Null, cancellation);

        var report = await SoakRun.RunAsync(services, options, _ => { }, cancellation);

        Assert.Equal(144, report.Runs.Runs);
        Assert.Equal(4, report.Checkpoints.Count);
        Assert.All(report.Checks, check => Assert.True(check.Passed, $"{check.Name}: {check.Figures}"));
    }
}
