using System.Diagnostics;
using JobsFunctions.Local.Runtime;
using JobsFunctions.Local.Stack;

namespace JobsFunctions.TestSupport;

/// <summary>
/// The Native AOT <c>bootstrap</c> as Lambda runs it. CI publishes it the way <c>sam build</c> does and passes its path
/// in BOOTSTRAP_PATH; without it the fixture publishes one to artifacts/bootstrap (a minute or two, once per test run).
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

        // Always republish, so the tests run the code as it is now, the same way the local stack builds it. Test
        // projects run in parallel processes: a file lock keeps their publishes from sharing the obj folder at once.
        var repository = new RepositoryLayout(RepositoryPaths.Root);
        Directory.CreateDirectory(repository.Artifacts);
        using var exclusive = await LockAsync(System.IO.Path.Combine(repository.Artifacts, ".publish.lock"));
        return await BootstrapLocator.LocateAsync(null, publish: true, repository, TextWriter.Null, CancellationToken.None);
    }

    private static async Task<FileStream> LockAsync(string path)
    {
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException)
            {
                await Task.Delay(500);
            }
        }
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
