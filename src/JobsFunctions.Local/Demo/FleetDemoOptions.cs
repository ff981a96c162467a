using JobsFunctions.Local.Fleet;

namespace JobsFunctions.Local.Demo;

/// <summary>What a fleet run is asked to do.</summary>
/// <param name="Speed">How many times faster than real time the emulator's clock runs (at most: a busy machine is slower).</param>
/// <param name="DynamoFaults">The share of the recorder's DynamoDB requests to fail, from 0 to 1.</param>
/// <param name="RecorderConcurrency">How many recorder execution environments take events at once (Lambda's concurrency).</param>
/// <param name="DevicesOverHttp">Devices call the emulator's data plane over HTTP with SigV4 rather than in process.</param>
public sealed record FleetDemoOptions(
    int Devices,
    int Seed,
    double Speed,
    FleetMix Mix,
    bool DuplicateEvents,
    bool ShuffleEvents,
    double DynamoFaults,
    int RecorderConcurrency = FleetDemoOptions.DefaultRecorderConcurrency,
    bool DevicesOverHttp = false)
{
    /// <summary>Four environments keep DynamoDB busy while each waits on its round trips, on two cores.</summary>
    public const int DefaultRecorderConcurrency = 4;

    public const int DefaultDevices = 1000;
    public const double DefaultSpeed = 600;
}
