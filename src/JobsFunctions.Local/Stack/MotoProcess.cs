using System.ComponentModel;
using System.Diagnostics;
using System.Net;

namespace JobsFunctions.Local.Stack;

/// <summary>
/// DynamoDB on a free loopback port: moto's DynamoDB (the Python package moto) served by this project's
/// <c>dynamodb_server.py</c>, which answers one request at a time over connections its clients keep, so moto's
/// transactions are serializable as DynamoDB's are, and makes them cheap (the script says how), under the Python of
/// the repository's .venv when there is one (<see cref="PythonTools"/>). It keeps everything in memory: stopping it
/// forgets the tables.
/// </summary>
public sealed class MotoProcess : IAsyncDisposable
{
    /// <summary>The script (in Stack/ beside this assembly) that serves moto's DynamoDB with DynamoDB's transaction semantics.</summary>
    public const string ServerScript = "dynamodb_server.py";

    private static readonly TimeSpan StartPatience = TimeSpan.FromSeconds(30);

    private readonly Process _process;
    private readonly List<string> _output = [];

    private MotoProcess(Process process, Uri endpoint)
    {
        _process = process;
        Endpoint = endpoint;
        _process.OutputDataReceived += (_, line) => Keep(line.Data);
        _process.ErrorDataReceived += (_, line) => Keep(line.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public Uri Endpoint { get; }

    public int ProcessId => _process.Id;

    public static async Task<MotoProcess> StartAsync(CancellationToken cancellationToken)
    {
        var script = Path.Combine(AppContext.BaseDirectory, "Stack", ServerScript);
        if (!File.Exists(script))
        {
            throw new LocalStackException($"{script} is missing: build src/JobsFunctions.Local again (it copies the script beside the assembly).");
        }

        var python = PythonTools.Find("python3", RepositoryLayout.TryFind()?.Root);
        if (!Path.IsPathRooted(python) && FindOnPath(python) is null)
        {
            throw new LocalStackException(
                $"{python} is not on PATH. The local DynamoDB is the Python package moto, pinned in {PythonTools.Requirements}: "
                + $"{PythonTools.InstallCommand}; or pass --dynamo-endpoint URL to use a DynamoDB-compatible server that is already running.");
        }

        var port = LoopbackPorts.Free();
        var start = new ProcessStartInfo(python, [script, "-H", "127.0.0.1", "-p", port.ToString(System.Globalization.CultureInfo.InvariantCulture)])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new LocalStackException("The moto server did not start.");
        }
        catch (Win32Exception e)
        {
            throw new LocalStackException($"Could not run {python} {script}: {e.Message}", e);
        }

        var moto = new MotoProcess(process, new Uri($"http://127.0.0.1:{port}"));
        try
        {
            await moto.WaitUntilReadyAsync(cancellationToken);
            return moto;
        }
        catch
        {
            await moto.DisposeAsync();
            throw;
        }
    }

    /// <summary>Waits until a DynamoDB-compatible server answers at <paramref name="endpoint"/>.</summary>
    public static async Task WaitForEndpointAsync(Uri endpoint, TimeSpan patience, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var until = DateTime.UtcNow + patience;
        while (true)
        {
            try
            {
                // Any HTTP answer means a server is there; DynamoDB answers a bare GET with 400 or similar.
                using var response = await http.GetAsync(endpoint, cancellationToken);
                return;
            }
            catch (HttpRequestException e)
            {
                if (DateTime.UtcNow >= until)
                {
                    throw new LocalStackException($"Nothing answers at {endpoint}: {e.Message}", e);
                }
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested && DateTime.UtcNow < until)
            {
            }

            await Task.Delay(100, cancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }

        _process.Dispose();
    }

    private static string? FindOnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(folder => Path.Combine(folder, name))
            .FirstOrDefault(File.Exists);

    private async Task WaitUntilReadyAsync(CancellationToken cancellationToken)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var until = DateTime.UtcNow + StartPatience;
        while (true)
        {
            if (_process.HasExited)
            {
                throw new LocalStackException($"The moto server exited with code {_process.ExitCode} before it was ready:{Environment.NewLine}{Output()}");
            }

            try
            {
                using var response = await http.GetAsync(new Uri(Endpoint, "/moto-api/"), cancellationToken);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
            }

            if (DateTime.UtcNow >= until)
            {
                throw new LocalStackException($"The moto server at {Endpoint} was not ready within {StartPatience.TotalSeconds:0} s:{Environment.NewLine}{Output()}");
            }

            await Task.Delay(100, cancellationToken);
        }
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.Add(line);
            if (_output.Count > 30)
            {
                _output.RemoveAt(0);
            }
        }
    }

    private string Output()
    {
        lock (_output)
        {
            return string.Join(Environment.NewLine, _output);
        }
    }
}
