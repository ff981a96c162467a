using System.Text.Json;
using JobsFunctions.Local.Runtime;

namespace JobsFunctions.Local.Soak;

/// <summary>What one sweeper run said about itself: its report line's metrics, and the jobs its ERROR lines named.</summary>
/// <param name="Metrics">The Embedded Metric Format members of the run's report line, by name (absent metrics are absent).</param>
/// <param name="ErrorJobs">The <c>jobId</c> of each ERROR line the run wrote, with the line's <c>errorCode</c>.</param>
public sealed record SweepRunLog(string Outcome, IReadOnlyDictionary<string, double> Metrics, IReadOnlyDictionary<string, string?> ErrorJobs)
{
    public long Metric(string name) => Metrics.TryGetValue(name, out var value) ? (long)value : 0;

    public bool Has(string name) => Metrics.ContainsKey(name);
}

/// <summary>
/// Reads the sweeper's log lines as they come and cuts them into runs: a run's lines end with its report, the JSON
/// line carrying Embedded Metric Format metadata (<c>_aws</c>). Runs are invoked one after the other, so the lines
/// between two reports are the later run's. Keeps at most <see cref="MaxErrorJobs"/> jobs per run.
/// </summary>
public sealed class SweepRunLines
{
    public const int MaxErrorJobs = 100;

    private readonly object _gate = new();
    private Dictionary<string, string?> _errorJobs = new(StringComparer.Ordinal);
    private TaskCompletionSource<SweepRunLog> _next = NewRun();

    /// <summary>Called before a run is invoked: the task ends with that run's report, once its report line came.</summary>
    public Task<SweepRunLog> StartRun()
    {
        lock (_gate)
        {
            _next = NewRun();
            return _next.Task;
        }
    }

    public void Observe(FunctionOutput output)
    {
        ArgumentNullException.ThrowIfNull(output);
        using var line = output.LogLine();
        if (line is null)
        {
            return;
        }

        var root = line.RootElement;
        if (root.TryGetProperty("_aws", out _))
        {
            Complete(root);
        }
        else if (Text(root, "level") == "ERROR" && Text(root, "jobId") is { } jobId)
        {
            lock (_gate)
            {
                if (_errorJobs.Count < MaxErrorJobs || _errorJobs.ContainsKey(jobId))
                {
                    _errorJobs[jobId] = Text(root, "errorCode");
                }
            }
        }
    }

    private void Complete(JsonElement report)
    {
        var metrics = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var member in report.EnumerateObject())
        {
            if (member.Value.ValueKind == JsonValueKind.Number && member.Value.TryGetDouble(out var value))
            {
                metrics[member.Name] = value;
            }
        }

        lock (_gate)
        {
            var log = new SweepRunLog(Text(report, "outcome") ?? "(none)", metrics, _errorJobs);
            _errorJobs = new Dictionary<string, string?>(StringComparer.Ordinal);
            _next.TrySetResult(log);
        }
    }

    private static string? Text(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static TaskCompletionSource<SweepRunLog> NewRun() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
