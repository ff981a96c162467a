namespace JobsFunctions.Emulator.Model;

/// <summary>
/// The AWS IoT Jobs state machine the emulator serves: jobs, their executions, things and thing groups, timers,
/// rollout, abort, retries and events, as the developer guide documents them
/// (https://docs.aws.amazon.com/iot/latest/developerguide/iot-jobs-lifecycle.html). Thread-safe: every operation
/// runs under one lock, after catching up with the clock, so whatever fell due since the last call (a timeout, a
/// rollout step, a deletion finishing) has happened, in order, at the instant it fell due (<see cref="Atomically{T}"/>).
/// One class over several files, one per seam: things and groups, jobs, control-plane executions, the data plane,
/// events and their configuration, the clock's work, rollout, state changes (the guards themselves are
/// <see cref="ExecutionTransitions"/>), lookups and views.
/// </summary>
public sealed partial class JobsEmulator
{
    public const string DefaultRegion = "us-east-1";
    public const string DefaultAccount = "123456789012";

    /// <summary>"Up to 1000 devices per minute" (https://docs.aws.amazon.com/iot/latest/developerguide/job-limits.html).</summary>
    public const int DefaultMaximumPerMinute = 1000;

    /// <summary>At most 10 jobs may be in DELETION_IN_PROGRESS at once (https://docs.aws.amazon.com/iot/latest/apireference/API_DeleteJob.html).</summary>
    public const int MaxDeletionsInProgress = 10;

    /// <summary>"Up to 10" pending executions (https://docs.aws.amazon.com/iot/latest/developerguide/job-limits.html).</summary>
    public const int MaxPendingExecutions = 10;

    /// <summary>Up to 10 retries per device for both failure types combined.</summary>
    public const int MaxRetriesPerDevice = 10;

    /// <summary>How long a deletion stays in DELETION_IN_PROGRESS on the emulator's clock.</summary>
    public static readonly TimeSpan DeletionTime = TimeSpan.FromSeconds(1);

    public static readonly IReadOnlyList<string> EventTypes =
    [
        "THING", "THING_GROUP", "THING_TYPE", "THING_GROUP_MEMBERSHIP", "THING_GROUP_HIERARCHY", "THING_TYPE_ASSOCIATION",
        "JOB", "JOB_EXECUTION", "POLICY", "CERTIFICATE", "CA_CERTIFICATE",
    ];

    private static readonly TimeSpan RolloutStep = TimeSpan.FromMinutes(1);

    private readonly object _gate = new();
    private readonly Dictionary<string, EmulatedJob> _jobs = new(StringComparer.Ordinal);
    private readonly Dictionary<string, EmulatedThing> _things = new(StringComparer.Ordinal);
    private readonly Dictionary<string, EmulatedThingGroup> _groups = new(StringComparer.Ordinal);
    private readonly Dictionary<string, bool> _eventConfigurations = new(StringComparer.Ordinal);
    private readonly PriorityQueue<Work, (DateTimeOffset Due, long Order)> _work = new();
    private readonly List<EmulatorEvent> _events = [];
    private readonly List<IEmulatorEventSubscriber> _subscribers = [];
    private DateTimeOffset _eventConfigurationsCreated;
    private DateTimeOffset _eventConfigurationsModified;
    private DateTimeOffset _at;
    private long _order;

    public JobsEmulator(EmulatorClock clock, string region = DefaultRegion, string account = DefaultAccount)
    {
        ArgumentNullException.ThrowIfNull(clock);
        Clock = clock;
        Region = region;
        Account = account;
        Reset();
    }

    public EmulatorClock Clock { get; }

    public string Region { get; }

    public string Account { get; }

    /// <summary>Forgets every job, thing, group, event and setting, as a fresh account would be.</summary>
    public void Reset()
    {
        lock (_gate)
        {
            _jobs.Clear();
            _things.Clear();
            _groups.Clear();
            _work.Clear();
            _events.Clear();
            _at = Clock.Now;
            _eventConfigurationsCreated = _eventConfigurationsModified = _at;

            // Events are off in a new account (https://docs.aws.amazon.com/iot/latest/developerguide/iot-events.html).
            foreach (var type in EventTypes)
            {
                _eventConfigurations[type] = false;
            }
        }
    }

    public void Subscribe(IEmulatorEventSubscriber subscriber)
    {
        ArgumentNullException.ThrowIfNull(subscriber);
        lock (_gate)
        {
            _subscribers.Add(subscriber);
        }
    }

    /// <summary>Moves the clock forward and fires whatever falls due, in order; returns the new time.</summary>
    public DateTimeOffset Advance(TimeSpan by)
    {
        lock (_gate)
        {
            Clock.Advance(by);
            return CatchUp();
        }
    }

    /// <summary>Fires whatever fell due on the clock since the last call (the host calls it on a timer).</summary>
    public DateTimeOffset Tick() => Atomically(() => _at);

    public IReadOnlyList<EmulatorEvent> EventsAfter(long sequence, int max) => Atomically(() =>
    {
        var start = (int)Math.Clamp(sequence, 0, _events.Count);
        return _events.GetRange(start, Math.Min(max, _events.Count - start));
    });

    /// <summary>Runs one operation under the lock, after catching up with the clock once.</summary>
    private T Atomically<T>(Func<T> operation)
    {
        lock (_gate)
        {
            CatchUp();
            return operation();
        }
    }

    /// <inheritdoc cref="Atomically{T}"/>
    private void Atomically(Action operation)
    {
        lock (_gate)
        {
            CatchUp();
            operation();
        }
    }
}
