using CsCheck;
using JobsFunctions.Domain.Executions;
using JobsFunctions.Domain.Operations;
using JobsFunctions.Domain.Recording;

namespace JobsFunctions.Domain.Tests.Generators;

/// <summary>
/// Long-running executions as the recorder sees them: up to three attempts (a retry follows a FAILED or TIMED_OUT),
/// each QUEUED, then many IN_PROGRESS heartbeats (a new version and new statusDetails each), seen by the sweeper's
/// list summaries (no details, no version), by DescribeJobExecution snapshots, by operator updates (some naming no
/// attempt), or by nobody; then maybe a terminal status, seen by its event and maybe a snapshot. Heartbeats may share
/// an instant, so ties are exercised. Versions grow and times never go backwards within an attempt, as in AWS.
/// </summary>
internal static class HeartbeatHistories
{
    public static readonly string[] ThingNames = ["thing:1", "thing:2", "thing-3"];
    public const string JobId = "job-hb";

    private static readonly DateTimeOffset Start = new(2025, 3, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly ExecutionStatus[] Terminals =
        [ExecutionStatus.Succeeded, ExecutionStatus.Failed, ExecutionStatus.Rejected, ExecutionStatus.TimedOut, ExecutionStatus.Removed, ExecutionStatus.Canceled];

    /// <summary>The distinct observations of one execution, in the order they happened.</summary>
    public static Gen<IReadOnlyList<ExecutionObservation>> OfOneExecution { get; } =
        Gen.Select(Gen.Int[1, 3], Life.Array[3], (attempts, lives) => Build(ThingNames[0], attempts, lives))
            .Where(observations => observations.Count > 0);

    /// <summary>The distinct observations of one execution on each of a few things.</summary>
    public static Gen<IReadOnlyList<ExecutionObservation>> OfSeveralExecutions { get; } =
        Gen.Select(Gen.Int[1, 3], Life.Array[3]).Array[ThingNames.Length]
            .Select(plans => (IReadOnlyList<ExecutionObservation>)[.. plans.SelectMany((plan, index) => Build(ThingNames[index], plan.Item1, plan.Item2))]);

    private static Gen<ExecutionLife> Life => Gen.Select(
        Gen.Int[0, 14],
        Gen.Int[0, Terminals.Length],
        Gen.Int[0, 4].Array[16],
        Gen.Int[0, 2],
        Gen.Int[0, 3].Array[18],
        (heartbeats, terminal, seenBy, terminalSeenBy, gaps) => new ExecutionLife(heartbeats, terminal, seenBy, terminalSeenBy, gaps));

    private static IReadOnlyList<ExecutionObservation> Build(string thingName, int attempts, ExecutionLife[] lives)
    {
        var observations = new List<ExecutionObservation>();
        var ids = new HashSet<string>(StringComparer.Ordinal);
        void Add(ExecutionObservation observation)
        {
            if (ids.Add(observation.ObservationId))
            {
                observations.Add(observation);
            }
        }

        var clock = Start;
        for (var number = 1L; number <= attempts; number++)
        {
            var life = lives[number - 1];
            var last = number == attempts;
            var version = 1L;
            var queuedAt = clock;
            DateTimeOffset? startedAt = null;
            if (life.SeenBy[0] is 1 or 2)
            {
                Add(new(JobId, thingName, ExecutionStatus.Queued, new Dictionary<string, string>(), ObservationSource.Snapshot,
                    $"describe/{number}/{version}", queuedAt, version, number));
            }

            void See(int seenBy, ExecutionStatus status, IReadOnlyDictionary<string, string> details, int gap)
            {
                if (seenBy is 1 or 4)
                {
                    foreach (var sighting in Snapshots.Of(JobId, new ExecutionSummary(thingName, status, number, null, queuedAt, startedAt, clock)))
                    {
                        Add(sighting);
                    }
                }

                if (seenBy is 2 or 4)
                {
                    Add(new(JobId, thingName, status, details, ObservationSource.Snapshot, $"describe/{number}/{version}", clock, version, number));
                }
                else if (seenBy == 3)
                {
                    // An operator update that named no attempt is recorded without an executionNumber.
                    Add(new(JobId, thingName, status, details, ObservationSource.OperatorUpdate, $"op/{number}/{version}", clock, version,
                        gap == 0 ? null : number));
                }
            }

            var heartbeats = last ? life.Heartbeats : Math.Max(1, life.Heartbeats);
            for (var beat = 1; beat <= heartbeats; beat++)
            {
                version++;
                clock = clock.AddSeconds(life.Gaps[beat]);
                startedAt ??= clock;
                See(life.SeenBy[beat], ExecutionStatus.InProgress, new Dictionary<string, string> { ["progress"] = $"{beat}" }, life.Gaps[beat]);
            }

            ExecutionStatus? terminal = last
                ? life.Terminal == 0 ? null : Terminals[life.Terminal - 1]
                : life.Terminal % 2 == 0 ? ExecutionStatus.Failed : ExecutionStatus.TimedOut;
            if (terminal is { } status)
            {
                version++;
                clock = clock.AddSeconds(1 + life.Gaps[17]);
                var details = new Dictionary<string, string> { ["result"] = status.ToWire() };
                See(life.TerminalSeenBy + 1, status, details, life.Gaps[17]);
                Add(new(JobId, thingName, status, details, ObservationSource.Event, $"evt/{thingName}/{number}", clock));
            }

            clock = clock.AddSeconds(1);
        }

        return observations;
    }

    private sealed record ExecutionLife(int Heartbeats, int Terminal, int[] SeenBy, int TerminalSeenBy, int[] Gaps);
}
