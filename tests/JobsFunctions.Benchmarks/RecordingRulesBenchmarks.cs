using BenchmarkDotNet.Attributes;
using JobsFunctions.Domain.Executions;

namespace JobsFunctions.Benchmarks;

/// <summary>The CPU cost of the recording rules: applying one observation to an execution with a ledger of N entries.</summary>
[MemoryDiagnoser]
public class RecordingRulesBenchmarks
{
    private ExecutionRecord _current = null!;
    private ExecutionObservation _next = null!;

    [Params(1, 10, 50)]
    public int LedgerEntries { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var start = new DateTimeOffset(2026, 11, 22, 0, 0, 0, TimeSpan.Zero);
        var details = new Dictionary<string, string> { ["step"] = "download" };
        ExecutionRecord? record = null;
        for (var i = 0; i < LedgerEntries; i++)
        {
            var observation = new ExecutionObservation("job", "thing", ExecutionStatus.InProgress, details, ObservationSource.OperatorUpdate, $"u-{i}", start.AddSeconds(i), i + 1, 1);
            record = ((RecordingDecision.Record)ExecutionRules.Apply(record, observation, start)).Next;
        }

        _current = record!;
        _next = new ExecutionObservation("job", "thing", ExecutionStatus.Succeeded, details, ObservationSource.Event, "final", start.AddHours(1));
    }

    [Benchmark]
    public RecordingDecision Apply_a_terminal_event() => ExecutionRules.Apply(_current, _next, DateTimeOffset.UnixEpoch);

    [Benchmark]
    public RecordingDecision Apply_a_duplicate() => ExecutionRules.Apply(_current, _next with { ObservationId = "u-0" }, DateTimeOffset.UnixEpoch);
}
