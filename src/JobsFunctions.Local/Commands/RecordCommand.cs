using JobsFunctions.Local.Cli;
using JobsFunctions.Local.Stack;

namespace JobsFunctions.Local.Commands;

/// <summary><c>record FILE...</c>: the given events through the recorder, in the order given, then what the table holds.</summary>
public static class RecordCommand
{
    public static async Task<int> RunAsync(CommandOptions line, TextWriter console, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(line);
        ArgumentNullException.ThrowIfNull(console);
        var events = line.Files.Select(file => (Path.GetFileName(file), File.ReadAllBytes(file))).ToList();
        await using var stack = await LocalDeployment.StartAsync(
            new StackSettings(line.DynamoEndpoint, line.Table, line.Bootstrap, line.Publish, null), console, cancellationToken);
        await using var recorder = await Recording.StartRecorderAsync(stack, console, cancellationToken);
        console.WriteLine();
        var failures = await Recording.FeedAsync(recorder, events, console, cancellationToken);
        await Recording.SummariseAsync(stack, events, console, cancellationToken);
        if (failures > 0)
        {
            console.WriteLine();
            console.WriteLine($"{failures} of {events.Count} invocations failed.");
        }

        return failures == 0 ? 0 : 1;
    }
}
