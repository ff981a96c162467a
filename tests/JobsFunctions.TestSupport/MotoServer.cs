using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Xunit;

namespace JobsFunctions.TestSupport;

/// <summary>
/// A real moto server on a loopback port, shared by a test assembly. `.ci/run` starts one and passes its URL in
/// MOTO_ENDPOINT; without it (a developer's `dotnet test`) the fixture starts its own and stops it afterwards.
/// A machine without moto fails loudly: these tests never pass by skipping.
/// </summary>
public sealed class MotoServer : IAsyncLifetime
{
    private Process? _process;

    public Uri Endpoint { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        var given = Environment.GetEnvironmentVariable("MOTO_ENDPOINT");
        if (!string.IsNullOrWhiteSpace(given))
        {
            Endpoint = new Uri(given);
            await WaitUntilReadyAsync(TimeSpan.FromSeconds(20));
            return;
        }

        var port = FreeLoopbackPort();
        Endpoint = new Uri($"http://127.0.0.1:{port}");
        var start = new ProcessStartInfo("moto_server", $"-H 127.0.0.1 -p {port}")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        try
        {
            _process = Process.Start(start) ?? throw new InvalidOperationException("moto_server did not start.");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException(
                "These tests need a moto server: install the Python package moto (it provides `moto_server`) or set MOTO_ENDPOINT.", e);
        }

        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        await WaitUntilReadyAsync(TimeSpan.FromSeconds(30));
    }

    public ValueTask DisposeAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(5000);
        }

        _process?.Dispose();
        return ValueTask.CompletedTask;
    }

    private async Task WaitUntilReadyAsync(TimeSpan patience)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var until = DateTime.UtcNow + patience;
        while (true)
        {
            try
            {
                using var response = await http.GetAsync(new Uri(Endpoint, "/moto-api/"));
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException) when (DateTime.UtcNow < until)
            {
            }
            catch (TaskCanceledException) when (DateTime.UtcNow < until)
            {
            }

            if (_process is { HasExited: true })
            {
                throw new InvalidOperationException($"moto_server exited with code {_process.ExitCode} before it was ready.");
            }

            if (DateTime.UtcNow >= until)
            {
                throw new TimeoutException($"moto server at {Endpoint} was not ready within {patience.TotalSeconds} s.");
            }

            await Task.Delay(100);
        }
    }

    public static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
