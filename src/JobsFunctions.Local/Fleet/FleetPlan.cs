using System.Globalization;

namespace JobsFunctions.Local.Fleet;

/// <summary>One simulated device: its thing name, its behaviour and its pace, all fixed by the seed.</summary>
/// <param name="ProgressSteps">How many progress reports it makes before its final status.</param>
/// <param name="StepInterval">The time between two of its reports.</param>
/// <param name="FirstPoll">When, after the run starts, it first asks for a job.</param>
public sealed record DevicePlan(string ThingName, DeviceBehaviour Behaviour, int ProgressSteps, TimeSpan StepInterval, TimeSpan FirstPoll);

/// <summary>A fleet decided up front from a seed: the same seed, size and mix always give the same devices.</summary>
public static class FleetPlan
{
    /// <summary>The longest a device takes between two reports.</summary>
    public static readonly TimeSpan MaxStepInterval = TimeSpan.FromMinutes(3);

    public static IReadOnlyList<DevicePlan> Create(int devices, FleetMix mix, int seed, string thingPrefix = "sim-device-")
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(devices);
        ArgumentNullException.ThrowIfNull(mix);
        if (mix.Problem() is { } problem)
        {
            throw new ArgumentException($"Fleet mix: {problem}.", nameof(mix));
        }

        var random = new Random(seed);
        var behaviours = mix.Counts(devices)
            .OrderBy(pair => pair.Key)
            .SelectMany(pair => Enumerable.Repeat(pair.Key, pair.Value))
            .ToArray();
        random.Shuffle(behaviours);
        var width = (devices - 1).ToString(CultureInfo.InvariantCulture).Length;
        return behaviours
            .Select((behaviour, i) => new DevicePlan(
                thingPrefix + i.ToString(CultureInfo.InvariantCulture).PadLeft(width, '0'),
                behaviour,
                ProgressSteps: random.Next(1, 4),
                StepInterval: TimeSpan.FromSeconds(random.Next(30, (int)MaxStepInterval.TotalSeconds + 1)),
                FirstPoll: TimeSpan.FromSeconds(random.Next(0, 60))))
            .ToList();
    }
}
