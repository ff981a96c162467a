using JobsFunctions.Local.Api;
using JobsFunctions.Local.Cli;
using JobsFunctions.Local.Stack;

namespace JobsFunctions.Local.Commands;

/// <summary>
/// <c>demo</c>: the product end to end on one machine. The sample events go through the recorder shuffled and each
/// twice, as IoT may deliver them; the table then shows one record per execution and counters that counted each
/// change once. The operator API then serves that table until Ctrl+C.
/// </summary>
public static class DemoCommand
{
    public static async Task<int> RunAsync(CommandOptions line, TextWriter console, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(line);
        ArgumentNullException.ThrowIfNull(console);
        // The port is taken first, so a clash is reported before a minute of publishing.
        await using var host = LocalApiHost.Listen(line.Port);
        await using var stack = await LocalDeployment.StartAsync(
            new StackSettings(line.DynamoEndpoint, line.Table, line.Bootstrap, line.Publish, line.IotEndpoint), console, cancellationToken);

        var samples = Directory.GetFiles(stack.Repository.Events, "job*.json").Order(StringComparer.Ordinal).ToList();
        if (samples.Count == 0)
        {
            throw new LocalStackException($"No sample events (job*.json) in {stack.Repository.Events}.");
        }

        var deliveries = samples.Concat(samples).Select(path => (Path.GetFileName(path), File.ReadAllBytes(path))).ToArray();
        Random.Shared.Shuffle(deliveries);

        int failures;
        await using (var recorder = await Recording.StartRecorderAsync(stack, console, cancellationToken))
        {
            console.WriteLine();
            console.WriteLine($"Recording {samples.Count} sample events, shuffled and each sent twice:");
            failures = await Recording.FeedAsync(recorder, deliveries, console, cancellationToken);
        }

        var jobs = await Recording.SummariseAsync(stack, deliveries, console, cancellationToken);
        if (failures > 0)
        {
            console.WriteLine($"{failures} of {deliveries.Length} invocations failed: see above.");
            return 1;
        }

        var example = jobs.FirstOrDefault(job => job.Executions.Count > 0);
        await ApiServing.ServeUntilStoppedAsync(
            stack, host, console, example is null ? null : (example.JobId, example.Executions[0].ThingName), cancellationToken);
        return 0;
    }
}
