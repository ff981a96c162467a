using JobsFunctions.Emulator.Http;
using JobsFunctions.Emulator.Model;
using JobsFunctions.Local.Cli;

namespace JobsFunctions.Local.Commands;

/// <summary><c>emulator</c>: the AWS IoT Jobs emulator on loopback HTTP, until Ctrl+C or SIGTERM.</summary>
public static class EmulatorCommand
{
    public static async Task<int> RunAsync(CommandOptions line, TextWriter console, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(line);
        ArgumentNullException.ThrowIfNull(console);
        var emulator = new JobsEmulator(new EmulatorClock(frozen: line.VirtualClock));
        await using var host = await EmulatorHost.StartAsync(emulator, line.Port, cancellationToken);
        var address = host.BaseAddress.ToString().TrimEnd('/');
        console.WriteLine($"AWS IoT Jobs emulator (iot and iot-jobs-data, account {emulator.Account}, every region signed for; unsigned: {emulator.Region}) answering on {address}");
        try
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            console.WriteLine("Stopping.");
        }

        return LocalCli.Ok;
    }
}
