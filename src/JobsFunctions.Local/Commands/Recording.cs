using JobsFunctions.Local.Runtime;
using JobsFunctions.Local.Stack;

namespace JobsFunctions.Local.Commands;

/// <summary>Feeding events to the recorder one after another, as an IoT rule would deliver them.</summary>
internal static class Recording
{
    public static async Task<LocalFunction> StartRecorderAsync(LocalDeployment stack, TextWriter console, CancellationToken cancellationToken) =>
        await LocalFunction.StartAsync(stack.Function("recorder", console), StandardErrorTo(console), waitForLogLine: true, cancellationToken);

    /// <returns>How many invocations failed.</returns>
    public static async Task<int> FeedAsync(
        IFunctionInvoker recorder, IReadOnlyList<(string Label, byte[] Payload)> events, TextWriter console, CancellationToken cancellationToken)
    {
        var failures = 0;
        var width = Math.Max(10, events.Max(item => item.Label.Length));
        for (var i = 0; i < events.Count; i++)
        {
            var (label, payload) = events[i];
            var result = await recorder.InvokeAsync(payload, cancellationToken);
            failures += RecorderOutcome.Succeeded(result) ? 0 : 1;
            console.WriteLine($"{(i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture).PadLeft(events.Count.ToString(System.Globalization.CultureInfo.InvariantCulture).Length)}/{events.Count}  {label.PadRight(width)}  {RecorderOutcome.Describe(result)}");
        }

        return failures;
    }

    /// <summary>What the table holds about the jobs the events named.</summary>
    public static async Task<IReadOnlyList<JobSummary>> SummariseAsync(
        LocalDeployment stack, IEnumerable<(string Label, byte[] Payload)> events, TextWriter console, CancellationToken cancellationToken)
    {
        var jobIds = events.Select(item => EventJobs.JobIdOf(item.Payload)).OfType<string>();
        var jobs = await TableSummary.ReadAsync(stack.Dynamo, stack.StoreOptions, jobIds, cancellationToken);
        console.WriteLine();
        TableSummary.Write(console, stack.TableName, jobs);
        return jobs;
    }

    /// <summary>The runtime's own lines (standard error) are shown as they come; the JSON log lines are summarised instead.</summary>
    public static Action<FunctionOutput> StandardErrorTo(TextWriter console) => output =>
    {
        if (output.IsStandardError)
        {
            lock (console)
            {
                console.WriteLine($"  [{output.Function}] {output.Text}");
            }
        }
    };
}
