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
    int SweeperRuns);

/// <summary>How a fleet run ended: what the emulator holds (the truth), what the store holds, and what happened on the way.</summary>
/// <param name="Store">Per status, the job's counters as the operator API answers them.</param>
/// <param name="Records">Per status, the execution records the store lists for the job.</param>
/// <param name="ComparedStatuses">The statuses the store is expected to know: terminal ones from events, open ones only when the sweeper reconciled.</param>
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
    DynamoFaultCounts? DynamoFaults,
    int SweeperRuns,
    IReadOnlyDictionary<string, long> SweeperActions,
    Uri ApiAddress,
    Uri EmulatorAddress)
{
    /// <summary>The statuses where the store and the truth disagree (counters or records).</summary>
    public IReadOnlyList<ExecutionStatus> Mismatches => ComparedStatuses
        .Where(status => Store.GetValueOrDefault(status) != Truth.GetValueOrDefault(status)
            || Records.GetValueOrDefault(status) != Truth.GetValueOrDefault(status))
        .ToList();

    public bool StoreMatchesTruth => Mismatches.Count == 0 && Recorder.Failed == 0;
}
