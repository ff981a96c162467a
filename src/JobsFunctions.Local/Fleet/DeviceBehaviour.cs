namespace JobsFunctions.Local.Fleet;

/// <summary>What a simulated device does with the job executions it is given.</summary>
public enum DeviceBehaviour
{
    /// <summary>Starts, reports progress in statusDetails, then reports SUCCEEDED.</summary>
    Succeeds,

    /// <summary>Starts, reports progress, then reports FAILED with a reason.</summary>
    Fails,

    /// <summary>Starts, then reports REJECTED (the device refuses the job document).</summary>
    Rejects,

    /// <summary>Starts and keeps reporting the same progress, never finishing: IN_PROGRESS for ever.</summary>
    Hangs,

    /// <summary>Starts, reports progress once, then says nothing more.</summary>
    StopsReporting,

    /// <summary>Never asks for its jobs: its executions stay QUEUED.</summary>
    NeverStarts,
}

/// <summary>
/// The shares of a fleet that misbehave, each from 0 to 1; the rest succeed. Counts are exact (each share of the
/// fleet rounded), so a run's expected outcome is known before it starts.
/// </summary>
public sealed record FleetMix(double Fail, double Reject, double Hang, double StopReporting, double NeverStart)
{
    public static FleetMix Default { get; } = new(Fail: 0.03, Reject: 0.01, Hang: 0.02, StopReporting: 0.02, NeverStart: 0.02);

    /// <summary>Null when the mix is valid, else what is wrong with it.</summary>
    public string? Problem()
    {
        var shares = new[] { Fail, Reject, Hang, StopReporting, NeverStart };
        if (shares.Any(share => double.IsNaN(share) || share < 0 || share > 1))
        {
            return "each share must be from 0 to 1";
        }

        return shares.Sum() > 1 ? "the shares add up to more than the whole fleet" : null;
    }

    /// <summary>How many of <paramref name="devices"/> behave each way.</summary>
    public IReadOnlyDictionary<DeviceBehaviour, int> Counts(int devices)
    {
        var counts = new Dictionary<DeviceBehaviour, int>
        {
            [DeviceBehaviour.Fails] = Share(Fail),
            [DeviceBehaviour.Rejects] = Share(Reject),
            [DeviceBehaviour.Hangs] = Share(Hang),
            [DeviceBehaviour.StopsReporting] = Share(StopReporting),
            [DeviceBehaviour.NeverStarts] = Share(NeverStart),
        };
        counts[DeviceBehaviour.Succeeds] = devices - counts.Values.Sum();
        return counts;

        int Share(double share) => (int)Math.Round(share * devices, MidpointRounding.AwayFromZero);
    }
}
