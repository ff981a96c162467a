using JobsFunctions.Local.Cli;
using JobsFunctions.OperatorConsole;

namespace JobsFunctions.Local.Commands;

/// <summary><c>console</c>: the operator console on loopback, over a deployed operator API or the local stack's, until stopped.</summary>
public static class ConsoleCommand
{
    public static async Task<int> RunAsync(CommandOptions line, TextWriter output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(line);
        ArgumentNullException.ThrowIfNull(output);
        var settings = line.Console ?? throw new ArgumentException("console needs --api.", nameof(line));
        ConsoleHost host;
        try
        {
            host = await ConsoleHost.StartAsync(settings, cancellationToken);
        }
        catch (Exception e) when (e is ArgumentException or IOException)
        {
            // A region that cannot be told, a profile that does not exist, a port taken: the operator's to fix, in one line.
            throw new LocalStackException(e.Message, e);
        }

        await using var started = host;
        output.WriteLine($"Operator console: {host.BaseAddress}  (calls {settings.Api} as {host.Caller})");
        output.WriteLine("Press Ctrl+C to stop.");
        try
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            output.WriteLine("Stopping.");
        }

        return LocalCli.Ok;
    }
}
