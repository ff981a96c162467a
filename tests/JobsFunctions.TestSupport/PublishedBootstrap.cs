using System.Diagnostics;

namespace JobsFunctions.TestSupport;

/// <summary>
/// The Native AOT <c>bootstrap</c> as Lambda runs it. CI publishes it the way <c>sam build</c> does and passes its path
/// in BOOTSTRAP_PATH; without it the fixture publishes one itself (a minute or two, once per test run).
/// </summary>
public sealed class PublishedBootstrap : IAsyncLifetime
{
    // One publish per test process, whichever fixture instance asks first: two publishes of the same project at
    // once would write the same obj folder.
    private static readonly Lazy<Task<string>> Published = new(PublishAsync);

    public string Path { get; private set; } = null!;

    public async ValueTask InitializeAsync() => Path = await Published.Value;

    private static async Task<string> PublishAsync()
    {
        var given = Environment.GetEnvironmentVariable("BOOTSTRAP_PATH");
        if (!string.IsNullOrWhiteSpace(given))
        {
            return File.Exists(given) ? given : throw new FileNotFoundException($"BOOTSTRAP_PATH names '{given}', which does not exist.");
        }

        var output = System.IO.Path.Combine(RepositoryPaths.Root, "artifacts", "test-bootstrap");
        var publish = new ProcessStartInfo("dotnet", ["publish", System.IO.Path.Combine(RepositoryPaths.Root, "src", "JobsFunctions", "JobsFunctions.csproj"),
            "-c", "Release", "-r", "linux-x64", "-p:PublishAot=true", "-o", output, "-nologo", "-v", "quiet"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(publish)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"dotnet publish of the bootstrap failed ({process.ExitCode}):\n{await stdout}\n{await stderr}");
        }

        return System.IO.Path.Combine(output, "bootstrap");
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    /// <summary>Starts the bootstrap with exactly the given environment (plus PATH), as Lambda would.</summary>
    public Process Start(IReadOnlyDictionary<string, string> environment)
    {
        var start = new ProcessStartInfo(Path)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment.Clear();
        start.Environment["PATH"] = Environment.GetEnvironmentVariable("PATH");
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        return Process.Start(start) ?? throw new InvalidOperationException("bootstrap did not start.");
    }
}
