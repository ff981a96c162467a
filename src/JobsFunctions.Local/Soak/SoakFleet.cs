using System.Globalization;
using System.Text.Json.Nodes;
using JobsFunctions.Domain.Executions;
using JobsFunctions.Emulator.Model;

namespace JobsFunctions.Local.Soak;

/// <summary>What a soak device does with the one job execution it is given.</summary>
public enum SoakDeviceKind
{
    /// <summary>Starts, then sends one statusDetails progress update a minute for as long as the execution is open.</summary>
    Heartbeats,

    /// <summary>Starts, reports progress once, then says nothing more: a no-progress timeout must end it.</summary>
    GoesSilent,

    /// <summary>Starts and reports FAILED; AWS's retryConfig queues a new attempt, which it starts and finishes SUCCEEDED.</summary>
    FailsOnceThenSucceeds,

    /// <summary>Starts, reports progress, then SUCCEEDED.</summary>
    Succeeds,

    /// <summary>Never asks for its job: the execution stays QUEUED.</summary>
    NeverStarts,
}

/// <summary>One job of the soak: its things, by behaviour, and the sweeper policy the operator API is given for it (null: none).</summary>
public sealed record SoakJob(string JobId, IReadOnlyList<(string ThingName, SoakDeviceKind Kind)> Things, JsonObject? Policy, bool RetriesFailures = false);

/// <summary>
/// The soak's jobs and devices on the emulator. The job whose listing is refused sorts first among the jobs with a
/// policy (the sweeper takes them in key order), so a refusal that stopped a run would starve every other job.
/// </summary>
public sealed class SoakFleet
{
    public const string RefusedJob = "soak-1-refused";
    public const string ActingJob = "soak-2-acting";
    public const string DryRunJob = "soak-3-dryrun";
    public const string UnpolicedJob = "soak-4-unpoliced";

    public const string HeartbeatThing = "soak-heartbeat";
    public const string SilentThing = "soak-silent";
    public const string RetriedThing = "soak-retried";
    public const string DryRunSilentThing = "soak-dryrun-silent";

    /// <summary>How long without progress before the policies' no-progress timeout decides (the acting one acts, the dry run audits).</summary>
    public const int NoProgressMinutes = 30;

    private readonly JobsEmulator _emulator;
    private readonly List<SoakDevice> _devices;

    public SoakFleet(JobsEmulator emulator)
    {
        ArgumentNullException.ThrowIfNull(emulator);
        _emulator = emulator;
        _devices = [.. Jobs.SelectMany(job => job.Things.Select(thing => new SoakDevice(thing.ThingName, thing.Kind)))];
    }

    /// <summary>The jobs with a policy that the sweeper must reach on every run (all but the refused one).</summary>
    public static IReadOnlyList<string> SweptEveryRun { get; } = [ActingJob, DryRunJob];

    public static IReadOnlyList<SoakJob> Jobs { get; } =
    [
        new(RefusedJob, [("soak-refused-queued", SoakDeviceKind.NeverStarts)], Policy(dryRun: false, queuedTimeoutMinutes: 60)),
        new(ActingJob,
            [
                (HeartbeatThing, SoakDeviceKind.Heartbeats), (SilentThing, SoakDeviceKind.GoesSilent), (RetriedThing, SoakDeviceKind.FailsOnceThenSucceeds),
                ("soak-acting-ok-1", SoakDeviceKind.Succeeds), ("soak-acting-ok-2", SoakDeviceKind.Succeeds),
            ],
            Policy(dryRun: false, queuedTimeoutMinutes: 120),
            RetriesFailures: true),
        new(DryRunJob, [(DryRunSilentThing, SoakDeviceKind.GoesSilent), ("soak-dryrun-ok-1", SoakDeviceKind.Succeeds)], Policy(dryRun: true, queuedTimeoutMinutes: null)),
        new(UnpolicedJob, [("soak-plain-ok-1", SoakDeviceKind.Succeeds), ("soak-plain-ok-2", SoakDeviceKind.Succeeds)], null),
    ];

    /// <summary>How many progress updates the heartbeating device sent.</summary>
    public long Heartbeats => _devices.Sum(device => device.Heartbeats);

    /// <summary>Creates the things and the jobs (the acting job with AWS's retryConfig: one retry of a FAILED execution).</summary>
    public void Create()
    {
        foreach (var job in Jobs)
        {
            foreach (var (thing, _) in job.Things)
            {
                _emulator.CreateThing(thing, null);
            }

            _emulator.CreateJob(new JobSpec
            {
                JobId = job.JobId,
                Targets = [.. job.Things.Select(thing => $"arn:aws:iot:{_emulator.Region}:{_emulator.Account}:thing/{thing.ThingName}")],
                Document = """{"operation":"soak"}""",
                Description = "A job of the soak",
                Retry = job.RetriesFailures ? [new RetryCriterion("FAILED", 1)] : null,
            });
        }
    }

    /// <summary>One virtual minute of every device.</summary>
    public void Step()
    {
        foreach (var device in _devices)
        {
            device.Step(_emulator);
        }
    }

    /// <summary>
    /// The policy the operator API is given: a no-progress timeout that cancels (or, in a dry run, would cancel) a
    /// device gone silent; the acting ones also cancel executions never started. No in-progress timeout: the
    /// heartbeating execution must stay open for the whole soak.
    /// </summary>
    private static JsonObject Policy(bool dryRun, int? queuedTimeoutMinutes)
    {
        var timeouts = new JsonObject { ["noProgressTimeoutInMinutes"] = NoProgressMinutes, ["action"] = "CANCEL" };
        if (queuedTimeoutMinutes is { } queued)
        {
            timeouts["queuedTimeoutInMinutes"] = queued;
        }

        return new JsonObject { ["dryRun"] = dryRun, ["timeoutConfig"] = timeouts };
    }
}

/// <summary>A device of the soak, calling the emulator in process once a virtual minute.</summary>
internal sealed class SoakDevice(string thingName, SoakDeviceKind kind)
{
    private string? _jobId;
    private int _minutesIn;
    private int _attempts;
    private bool _done;

    public long Heartbeats { get; private set; }

    public void Step(JobsEmulator emulator)
    {
        if (_done || kind == SoakDeviceKind.NeverStarts)
        {
            return;
        }

        if (_jobId is null)
        {
            // Nothing pending yet (the rollout has not reached this thing, or AWS has not queued the retry): ask again next minute.
            _jobId = emulator.StartNextPendingJobExecution(thingName, Progress(0), null)?.JobId;
            _minutesIn = 0;
            return;
        }

        _minutesIn++;
        switch (kind)
        {
            case SoakDeviceKind.Heartbeats:
                Heartbeats++;
                Report(emulator, ExecutionStatus.InProgress, Progress(_minutesIn));
                break;
            case SoakDeviceKind.GoesSilent when _minutesIn == 1:
                Report(emulator, ExecutionStatus.InProgress, Progress(10));
                break;
            case SoakDeviceKind.Succeeds when _minutesIn == 1:
                Report(emulator, ExecutionStatus.InProgress, Progress(50));
                break;
            case SoakDeviceKind.Succeeds:
                Report(emulator, ExecutionStatus.Succeeded, Progress(100));
                _done = true;
                break;
            case SoakDeviceKind.FailsOnceThenSucceeds when _attempts == 0:
                Report(emulator, ExecutionStatus.Failed, new Dictionary<string, string>(StringComparer.Ordinal) { ["reason"] = "checksum mismatch" });
                _attempts++;
                _jobId = null;
                break;
            case SoakDeviceKind.FailsOnceThenSucceeds:
                Report(emulator, ExecutionStatus.Succeeded, Progress(100));
                _done = true;
                break;
        }
    }

    private void Report(JobsEmulator emulator, ExecutionStatus status, IReadOnlyDictionary<string, string> details)
    {
        try
        {
            emulator.UpdateJobExecution(_jobId!, thingName, new DeviceExecutionUpdate { Status = status, StatusDetails = details });
        }
        catch (EmulatorException e) when (e.Code is ErrorCodes.InvalidStateTransition or ErrorCodes.ResourceNotFound or ErrorCodes.TerminalState)
        {
            // Ended meanwhile (a policy canceled it): a real device stops reporting on the rejection too.
            _done = true;
        }
    }

    private static Dictionary<string, string> Progress(int value) =>
        new(StringComparer.Ordinal) { ["progress"] = value.ToString(CultureInfo.InvariantCulture) };
}
