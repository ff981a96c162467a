using JobsFunctions.Local.Fleet;

namespace JobsFunctions.Local.Demo;

/// <summary>What a fleet run is asked to do.</summary>
/// <param name="Speed">How many times faster than real time the emulator's clock runs (at most: a busy machine is slower).</param>
/// <param name="DynamoFaults">The share of the recorder's DynamoDB requests to fail, from 0 to 1.</param>
/// <param name="RecorderEnvironments">How many recorder execution environments take events at once.</param>
public sealed record FleetDemoOptions(
    int Devices,
    int Seed,
    double Speed,
    FleetMix Mix,
    bool DuplicateEvents,
    bool ShuffleEvents,
    double DynamoFaults,
    int RecorderEnvironments = 2)
{
    public const int DefaultDevices = 1000;
    public const double DefaultSpeed = 600;
}
