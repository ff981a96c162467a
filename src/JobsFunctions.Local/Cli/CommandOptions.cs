using JobsFunctions.Local.Demo;
using JobsFunctions.Local.Soak;
using JobsFunctions.Local.Stack;
using JobsFunctions.OperatorConsole;

namespace JobsFunctions.Local.Cli;

/// <summary>What a command line asked of the local stack: the files to record and the stack's options.</summary>
/// <param name="ConsolePort">The operator console's port on 127.0.0.1 that serve starts (0: any free port).</param>
/// <param name="Console">What the console command was asked to call, and how.</param>
/// <param name="AfterRolloutSpeed">How many times faster than real time serve's clock runs once the rollout is over: --speed when given, else 1.</param>
/// <param name="Region">The region demo and serve run the product in (<see cref="StackRegion"/>).</param>
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
    bool Jit = false,
    double AfterRolloutSpeed = 1,
    SoakOptions? Soak = null,
    int ConsolePort = ConsoleSettings.DefaultPort,
    ConsoleSettings? Console = null,
    string Region = LocalTables.Region);
