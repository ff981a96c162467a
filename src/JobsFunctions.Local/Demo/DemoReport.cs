using JobsFunctions.Domain.Executions;
using JobsFunctions.Local.Fleet;
using JobsFunctions.Local.Rules;

namespace JobsFunctions.Local.Demo;

/// <summary>One moment of a fleet run, for the live view.</summary>
public sealed record DemoProgress(
    TimeSpan VirtualElapsed,
    TimeSpan WallElapsed,
    string JobStatus,
    IReadOnlyDictionary<ExecutionStatus, int> Truth,
    FleetCounts Fleet,
    long EventsPublished,
    AsyncInvocationCounts Recorder,
    int SweeperRuns)
{
    /// <summary>While the recorder drains after the rollout: how far it has come; null before.</summary>
    public DrainProgress? Drain { get; init; }
}

/// <summary>How a fleet run ended: what the emulator holds (the truth), what the store holds, and what happened on the way.</summary>
/// <param name="Store">Per status, the job's counters as the operator API answers them.</param>
/// <param name="Records">Per status, the execution records the store lists for the job.</param>
/// <param name="ComparedStatuses">The statuses the store is expected to know: terminal ones from events, open ones only when the sweeper reconciled.</param>
/// <param name="FailedEventIds">The eventId of each event the recorder failed on every attempt (what the failure queue would hold).</param>
public sealed record DemoReport(
    string JobId,
    string JobStatus,
    int Devices,
    TimeSpan VirtualElapsed,
    TimeSpan WallElapsed,
    IReadOnlyDictionary<ExecutionStatus, int> Truth,
    IReadOnlyDictionary<ExecutionStatus, long> Store,
    IReadOnlyDictionary<ExecutionStatus, long> Records,
    IReadOnlyList<ExecutionStatus> ComparedStatuses,
    long Ledgers,
    long LedgerEntries,
    FleetCounts Fleet,
    long EventsPublished,
    long EventsRedelivered,
    long RuleDeliveries,
    AsyncInvocationCounts Recorder,
    IReadOnlyList<string> FailedEventIds,
    DynamoFaultCounts? DynamoFaults,
    int SweeperRuns,
    IReadOnlyDictionary<string, long> SweeperActions,
    Uri ApiAddress,
    Uri EmulatorAddress)
{
    /// <summary>Wall time the recorder took to drain once the rollout was over (both drains, around the last sweep).</summary>
    public TimeSpan DrainElapsed { get; init; }

    /// <summary>The statuses where the store and the truth disagree (counters or records).</summary>
    public IReadOnlyList<ExecutionStatus> Mismatches => ComparedStatuses
        .Where(status => Store.GetValueOrDefault(status) != Truth.GetValueOrDefault(status)
            || Records.GetValueOrDefault(status) != Truth.GetValueOrDefault(status))
        .ToList();

    public bool StoreMatchesTruth => Mismatches.Count == 0 && Recorder.Failed == 0;

    /// <summary>The run's last line: that the store matches, or each way it does not, naming the first lost events.</summary>
    public string Verdict
    {
        get
        {
            if (StoreMatchesTruth)
            {
                return "The store matches the emulator's truth.";
            }

            var reasons = new List<string>();
            if (Mismatches.Count > 0)
            {
                reasons.Add($"{string.Join(", ", Mismatches.Select(status => status.ToWire()))} differ");
            }

            if (Recorder.Failed > 0)
            {
                var shown = FailedEventIds.Take(MaxEventIdsShown).ToList();
                var more = FailedEventIds.Count > shown.Count ? ", …" : "";
                reasons.Add($"{Recorder.Failed} events failed every attempt (eventId {string.Join(", ", shown)}{more})");
            }

            return $"The store does NOT match the emulator's truth: {string.Join("; ", reasons)}.";
        }
    }

    private const int MaxEventIdsShown = 5;
}
