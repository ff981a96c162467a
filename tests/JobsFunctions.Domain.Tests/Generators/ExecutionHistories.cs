using CsCheck;
using JobsFunctions.Domain.Executions;

namespace JobsFunctions.Domain.Tests.Generators;

/// <summary>
/// Realistic sightings of job executions on a few things: each execution starts QUEUED at version 1, gains a version
/// per IN_PROGRESS update and another for its one terminal status; a retry (a new executionNumber) only follows a
/// FAILED or TIMED_OUT. Each state may be seen by a snapshot, an operator update or nobody; a terminal status also by
/// its event, which carries neither version nor execution number. Times never go backwards within an execution.
/// </summary>
internal static class ExecutionHistories
{
    public static readonly string[] JobIds = ["job-a", "job-b"];
    public static readonly string[] ThingNames = ["thing:1", "thing:2", "thing-3"];

    private static readonly DateTimeOffset Start = new(2025, 3, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly ExecutionStatus[] FromQueued = [ExecutionStatus.Canceled, ExecutionStatus.Removed, ExecutionStatus.Rejected];
    private static readonly ExecutionStatus[] FromInProgress =
        [ExecutionStatus.Succeeded, ExecutionStatus.Failed, ExecutionStatus.Rejected, ExecutionStatus.TimedOut, ExecutionStatus.Removed, ExecutionStatus.Canceled];

    /// <summary>
    /// Every distinct observation, in the order they happened. At most five per execution and two executions per
    /// thing, so concurrent writers of one record settle well within the recorder's attempts.
    /// </summary>
    public static Gen<IReadOnlyList<ExecutionObservation>> Observations { get; } =
        Gen.Select(Gen.Int[0, 2], Life.Array[2])
            .Array[JobIds.Length * ThingNames.Length]
            .Select(Build)
            .Where(observations => observations.Count > 0);

    private static Gen<ExecutionLife> Life => Gen.Select(
        Gen.Int[0, 2],
        Gen.Int[0, FromInProgress.Length],
        Gen.Int[0, 2].Array[4],
        Gen.Int[0, 2],
        Gen.Int[0, 3].Array[4],
        (updates, terminal, seenBy, terminalSeenBy, gaps) => new ExecutionLife(updates, terminal, seenBy, terminalSeenBy, gaps));

    private static IReadOnlyList<ExecutionObservation> Build((int Executions, ExecutionLife[] Lives)[] plans)
    {
        var observations = new List<ExecutionObservation>();
        for (var pair = 0; pair < plans.Length; pair++)
        {
            var (executions, lives) = plans[pair];
            var jobId = JobIds[pair / ThingNames.Length];
            var thingName = ThingNames[pair % ThingNames.Length];
            var clock = Start.AddSeconds(pair);
            for (var number = 1; number <= executions; number++)
            {
                var last = number == executions;
                clock = AddExecution(observations, jobId, thingName, number, lives[number - 1], last, clock);
            }
        }

        return observations;
    }

    private static DateTimeOffset AddExecution(
        List<ExecutionObservation> observations, string jobId, string thingName, long number, ExecutionLife life, bool last, DateTimeOffset clock)
    {
        var prefix = $"{jobId}/{thingName}/{number}";
        var version = 1L;
        void See(int seenBy, ExecutionStatus status, IReadOnlyDictionary<string, string> details, DateTimeOffset at)
        {
            if (seenBy == 1)
            {
                observations.Add(new(jobId, thingName, status, details, ObservationSource.Snapshot, $"snap/{prefix}/{version}", at, version, number));
            }
            else if (seenBy == 2 && status != ExecutionStatus.Queued)
            {
                var source = status is ExecutionStatus.TimedOut or ExecutionStatus.Removed ? ObservationSource.Sweeper : ObservationSource.OperatorUpdate;
                observations.Add(new(jobId, thingName, status, details, source, $"op/{prefix}/{version}", at, version, number));
            }
        }

        clock = clock.AddSeconds(life.Gaps[0]);
        See(life.SeenBy[0], ExecutionStatus.Queued, new Dictionary<string, string>(), clock);

        // A retry follows only a failure, and a failure only comes out of IN_PROGRESS.
        var updates = last ? life.Updates : Math.Max(1, life.Updates);
        for (var step = 1; step <= updates; step++)
        {
            version++;
            clock = clock.AddSeconds(life.Gaps[step]);
            See(life.SeenBy[step], ExecutionStatus.InProgress, new Dictionary<string, string> { ["progress"] = $"{step * 40}" }, clock);
        }

        ExecutionStatus? terminal = last
            ? life.Terminal == 0 ? null : (updates == 0 ? FromQueued : FromInProgress)[(life.Terminal - 1) % (updates == 0 ? FromQueued.Length : FromInProgress.Length)]
            : life.Terminal % 2 == 0 ? ExecutionStatus.Failed : ExecutionStatus.TimedOut;
        if (terminal is { } status)
        {
            version++;
            clock = clock.AddSeconds(life.Gaps[3]);
            var details = new Dictionary<string, string> { ["result"] = status.ToWire().ToLowerInvariant() };
            See(life.TerminalSeenBy, status, details, clock);
            observations.Add(new(jobId, thingName, status, details, ObservationSource.Event, $"evt/{prefix}", clock));
        }

        return clock.AddSeconds(1);
    }

    private sealed record ExecutionLife(int Updates, int Terminal, int[] SeenBy, int TerminalSeenBy, int[] Gaps);
}
