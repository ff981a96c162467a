using JobsFunctions.Local.Runtime;

namespace JobsFunctions.Local.Demo;

/// <summary>
/// The sweeper's runs as its own log lines report them: one line per run, whose Embedded Metric Format members
/// (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Specification.html)
/// count what it did. Summed over the runs.
/// </summary>
public sealed class SweeperTally
{
    private static readonly string[] Metrics = ["Actions", "DryRunActions", "Skips", "ReconciledChanges", "IotCalls"];

    private readonly Dictionary<string, long> _totals = new(StringComparer.Ordinal);
    private long _runs;

    public long Runs => Interlocked.Read(ref _runs);

    public IReadOnlyDictionary<string, long> Totals
    {
        get
        {
            lock (_totals)
            {
                return new Dictionary<string, long>(_totals, StringComparer.Ordinal);
            }
        }
    }

    /// <summary>Reads one line the sweeper wrote; lines that are not a run's report are ignored.</summary>
    public void Observe(FunctionOutput output)
    {
        ArgumentNullException.ThrowIfNull(output);
        using var line = output.LogLine();
        if (line is null)
        {
            return;
        }

        var root = line.RootElement;
        if (!root.TryGetProperty("_aws", out _) || !root.TryGetProperty("Actions", out _))
        {
            return;
        }

        Interlocked.Increment(ref _runs);
        lock (_totals)
        {
            foreach (var metric in Metrics)
            {
                if (root.TryGetProperty(metric, out var value) && value.TryGetInt64(out var count))
                {
                    _totals[metric] = _totals.GetValueOrDefault(metric) + count;
                }
            }
        }
    }
}
