using JobsFunctions.Local.Stack;
using Xunit;

namespace JobsFunctions.TestSupport;

/// <summary>
/// A real moto server on a loopback port, shared by a test assembly: the local stack's own (<see cref="MotoProcess"/>,
/// moto with DynamoDB's serializable transactions). `.ci/run` starts one and passes its URL in MOTO_ENDPOINT; without
/// it (a developer's `dotnet test`) the fixture starts its own and stops it afterwards. A machine without moto fails
/// loudly: these tests never pass by skipping.
/// </summary>
public sealed class MotoServer : IAsyncLifetime
{
    private MotoProcess? _process;

    public Uri Endpoint { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        var given = Environment.GetEnvironmentVariable("MOTO_ENDPOINT");
        if (!string.IsNullOrWhiteSpace(given))
        {
            Endpoint = new Uri(given);
            await MotoProcess.WaitForEndpointAsync(Endpoint, TimeSpan.FromSeconds(20), CancellationToken.None);
            return;
        }

        _process = await MotoProcess.StartAsync(CancellationToken.None);
        Endpoint = _process.Endpoint;
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is not null)
        {
            await _process.DisposeAsync();
        }
    }

    public static int FreeLoopbackPort() => LoopbackPorts.Free();
}
