using JobsFunctions.Emulator.Http;
using JobsFunctions.Emulator.Model;

namespace JobsFunctions.Emulator.IntegrationTests;

/// <summary>A fresh emulator on a free loopback port, on a virtual clock, for one test class.</summary>
public sealed class RunningEmulator : IAsyncLifetime
{
    private EmulatorHost? _host;

    /// <summary>The default region's (us-east-1) emulator, which unsigned requests reach.</summary>
    public JobsEmulator Emulator => Host.Emulator;

    public Uri Endpoint => new(Host.BaseAddress.ToString().TrimEnd('/'));

    /// <summary>The emulator of the region requests signed for <paramref name="region"/> reach.</summary>
    public JobsEmulator In(string region) => Host.EmulatorIn(region);

    private EmulatorHost Host => _host ?? throw new InvalidOperationException("The emulator has not started.");

    public async ValueTask InitializeAsync() =>
        _host = await EmulatorHost.StartAsync(new JobsEmulator(new EmulatorClock(frozen: true)), 0, CancellationToken.None);

    public async ValueTask DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }
    }
}
