using JobsFunctions.Local.Api;
using JobsFunctions.Local.Cli;
using JobsFunctions.Local.Stack;

namespace JobsFunctions.Local.Commands;

/// <summary><c>api</c>: the operator API on loopback HTTP over the table, until Ctrl+C.</summary>
public static class ApiCommand
{
    public static async Task<int> RunAsync(CommandOptions line, TextWriter console, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(line);
        await using var host = LocalApiHost.Listen(line.Port);
        await using var stack = await LocalDeployment.StartAsync(
            new StackSettings(line.DynamoEndpoint, line.Table, line.Bootstrap, line.Publish, line.IotEndpoint), console, cancellationToken);
        await ApiServing.ServeUntilStoppedAsync(stack, host, console, cancellationToken);
        return 0;
    }
}
