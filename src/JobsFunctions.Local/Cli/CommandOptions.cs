using JobsFunctions.Local.Demo;
using JobsFunctions.Local.Soak;

namespace JobsFunctions.Local.Cli;

/// <summary>What a command line asked of the local stack: the files to record and the stack's options.</summary>
public sealed record CommandOptions(
    IReadOnlyList<string> Files,
    Uri? DynamoEndpoint,
    string? Table,
    string? Bootstrap,
    bool Publish,
    int Port,
    Uri? IotEndpoint,
    bool VirtualClock = false,
    FleetDemoOptions? Fleet = null,
    int EmulatorPort = 0,
    SoakOptions? Soak = null);
