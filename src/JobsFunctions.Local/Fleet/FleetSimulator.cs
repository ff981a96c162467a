using System.Globalization;

namespace JobsFunctions.Local.Fleet;

/// <summary>What the fleet has done so far.</summary>
/// <param name="Polls">StartNextPendingJobExecution calls, answered or empty.</param>
/// <param name="Started">Executions devices took (moved to IN_PROGRESS).</param>
/// <param name="ProgressReports">IN_PROGRESS reports with progress in statusDetails.</param>
/// <param name="Finished">Final reports accepted, by status (SUCCEEDED, FAILED, REJECTED).</param>
/// <param name="EndedUnderDevice">Reports refused because the service had already ended the execution.</param>
public sealed record FleetCounts(long Polls, long Started, long ProgressReports, IReadOnlyDictionary<string, long> Finished, long EndedUnderDevice);

/// <summary>
/// A fleet of devices taking their jobs through the jobs data plane, as devices that poll over HTTPS do
/// (https://docs.aws.amazon.com/iot/latest/developerguide/jobs-workflow-device-online.html): each asks
/// StartNextPendingJobExecution for its next job, backing off while it has none, reports progress in statusDetails,
/// then its final status, each as its <see cref="DeviceBehaviour"/> says. Time is the caller's: each
/// <see cref="StepAsync"/> makes every call that fell due by then, so a run on a virtual clock is deterministic in
/// which calls are made.
/// </summary>
public sealed class FleetSimulator
{
    /// <summary>The longest a device waits between two polls that found nothing.</summary>
    public static readonly TimeSpan MaxPollInterval = TimeSpan.FromMinutes(2);

    private static readonly TimeSpan FirstBackoff = TimeSpan.FromSeconds(30);

    private readonly IDeviceJobsApi _api;
    private readonly Device[] _devices;
    private readonly int _concurrency;
    private readonly Dictionary<string, long> _finished = new(StringComparer.Ordinal);
    private long _polls;
    private long _started;
    private long _progress;
    private long _ended;

    /// <param name="startedAt">The instant the fleet comes online; each device's first poll is relative to it.</param>
    /// <param name="concurrency">How many devices may be mid-call at once.</param>
    public FleetSimulator(IReadOnlyList<DevicePlan> plans, IDeviceJobsApi api, DateTimeOffset startedAt, int concurrency = 32)
    {
        ArgumentNullException.ThrowIfNull(plans);
        ArgumentNullException.ThrowIfNull(api);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(concurrency);
        _api = api;
        _concurrency = concurrency;
        _devices = [.. plans.Select(plan => new Device(plan, plan.Behaviour == DeviceBehaviour.NeverStarts ? DateTimeOffset.MaxValue : startedAt + plan.FirstPoll))];
    }

    public FleetCounts Counts
    {
        get
        {
            lock (_finished)
            {
                return new FleetCounts(
                    Interlocked.Read(ref _polls),
                    Interlocked.Read(ref _started),
                    Interlocked.Read(ref _progress),
                    new Dictionary<string, long>(_finished, StringComparer.Ordinal),
                    Interlocked.Read(ref _ended));
            }
        }
    }

    /// <summary>The earliest instant a device has a call to make, or null when no device will call again.</summary>
    public DateTimeOffset? NextDue
    {
        get
        {
            var next = _devices.Min(device => device.NextAt);
            return next == DateTimeOffset.MaxValue ? null : next;
        }
    }

    /// <summary>Makes every call that is due at <paramref name="now"/>.</summary>
    /// <returns>How many devices called.</returns>
    public async Task<int> StepAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var due = _devices.Where(device => device.NextAt <= now).ToList();
        await Parallel.ForEachAsync(
            due,
            new ParallelOptions { MaxDegreeOfParallelism = _concurrency, CancellationToken = cancellationToken },
            async (device, token) => await ActAsync(device, now, token));
        return due.Count;
    }

    private async Task ActAsync(Device device, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var plan = device.Plan;
        if (device.JobId is null)
        {
            Interlocked.Increment(ref _polls);
            var started = await _api.StartNextPendingAsync(plan.ThingName, Progress(0, plan), cancellationToken);
            if (started is null)
            {
                device.Backoff = device.Backoff == TimeSpan.Zero ? FirstBackoff : Min(device.Backoff * 2, MaxPollInterval);
                device.NextAt = now + device.Backoff;
                return;
            }

            Interlocked.Increment(ref _started);
            device.JobId = started.JobId;
            device.Reports = 0;
            device.NextAt = now + plan.StepInterval;
            return;
        }

        var (status, details, last) = NextReport(device);
        var outcome = await _api.ReportAsync(plan.ThingName, device.JobId, status, details, cancellationToken);
        if (outcome == ReportOutcome.Ended)
        {
            Interlocked.Increment(ref _ended);
            Retire(device);
            return;
        }

        if (last)
        {
            lock (_finished)
            {
                _finished[status] = _finished.GetValueOrDefault(status) + 1;
            }

            Retire(device);
            return;
        }

        Interlocked.Increment(ref _progress);
        device.Reports++;
        device.NextAt = plan.Behaviour == DeviceBehaviour.StopsReporting ? DateTimeOffset.MaxValue : now + plan.StepInterval;
    }

    private static (string Status, IReadOnlyDictionary<string, string> Details, bool Last) NextReport(Device device)
    {
        var plan = device.Plan;
        return plan.Behaviour switch
        {
            DeviceBehaviour.Rejects => ("REJECTED", new Dictionary<string, string> { ["reason"] = "document signature not trusted" }, true),
            DeviceBehaviour.Hangs => ("IN_PROGRESS", Progress(1, plan), false),
            DeviceBehaviour.StopsReporting => ("IN_PROGRESS", Progress(1, plan), false),
            _ when device.Reports < plan.ProgressSteps => ("IN_PROGRESS", Progress(device.Reports + 1, plan), false),
            DeviceBehaviour.Fails => ("FAILED", new Dictionary<string, string> { ["reason"] = "checksum mismatch after download" }, true),
            _ => ("SUCCEEDED", Progress(plan.ProgressSteps + 1, plan), true),
        };
    }

    private static Dictionary<string, string> Progress(int step, DevicePlan plan) => new()
    {
        ["progress"] = string.Create(CultureInfo.InvariantCulture, $"{step}/{plan.ProgressSteps + 1}"),
    };

    // One job per device: once its execution is over, the device asks for nothing more.
    private static void Retire(Device device)
    {
        device.JobId = null;
        device.NextAt = DateTimeOffset.MaxValue;
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    private sealed class Device(DevicePlan plan, DateTimeOffset firstPoll)
    {
        public DevicePlan Plan { get; } = plan;

        public DateTimeOffset NextAt { get; set; } = firstPoll;

        public TimeSpan Backoff { get; set; }

        public string? JobId { get; set; }

        public int Reports { get; set; }
    }
}
