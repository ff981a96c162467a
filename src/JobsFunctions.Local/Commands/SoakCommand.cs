using System.Globalization;
using JobsFunctions.Local.Cli;
using JobsFunctions.Local.Demo;
using JobsFunctions.Local.Fleet;
using JobsFunctions.Local.Soak;
using JobsFunctions.Local.Stack;

namespace JobsFunctions.Local.Commands;

/// <summary>
/// <c>soak</c>: the product run for days of account time on the emulator's clock (<see cref="SoakRun"/>), a progress
/// line every ten seconds of wall time and at each checkpoint, then the table of checks. Exit code 0 only when every
/// check held.
/// </summary>
public static class SoakCommand
{
    public static async Task<int> RunAsync(CommandOptions line, TextWriter console, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(line);
        ArgumentNullException.ThrowIfNull(console);
        var soak = line.Soak ?? throw new ArgumentException("soak needs soak options.", nameof(line));
        await using var services = await FleetServices.StartAsync(
            new StackSettings(line.DynamoEndpoint, line.Table, line.Bootstrap, line.Publish, null),
            line.Port,
            0,
            ServicesFor(soak),
            console,
            cancellationToken);

        console.WriteLine();
        console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Soaking for {soak.Days:0.##} days of account time (seed {soak.Seed}):"));
        var report = await SoakRun.RunAsync(services, soak, progress => console.WriteLine(Progress(progress)), cancellationToken);
        console.WriteLine();
        report.WriteTo(console);
        return report.Passed ? LocalCli.Ok : LocalCli.Failed;
    }

    /// <summary>
    /// The services as the soak needs them: no fleet of the demo's (the soak brings its own devices), the recorder's
    /// DynamoDB behind the fault proxy, and the clock unpaced (the sweeper's IoT call rate is not the point here).
    /// </summary>
    public static FleetDemoOptions ServicesFor(SoakOptions soak)
    {
        ArgumentNullException.ThrowIfNull(soak);
        return new FleetDemoOptions(0, soak.Seed, Speed: 1_000_000, FleetMix.Default, DuplicateEvents: false, ShuffleEvents: false, soak.DynamoFaults, RecorderConcurrency: 2);
    }

    private static string Progress(SoakProgress progress)
    {
        var line = string.Create(CultureInfo.InvariantCulture,
            $"  day {progress.VirtualElapsed.TotalDays,6:0.00}  {progress.Runs,7:N0} runs ({progress.RunsFailing:N0} failed)  {progress.WallElapsed.TotalSeconds,6:N0} s");
        return progress.Checkpoint is { } checkpoint
            ? line + string.Create(CultureInfo.InvariantCulture,
                $"  heartbeat item {checkpoint.HeartbeatItemBytes:N0} B, dry-run audit {checkpoint.DryRunAuditEntries:N0}, largest item {checkpoint.LargestItemBytes:N0} B")
            : line;
    }
}
