using System.Diagnostics;
using JobsFunctions.Local.Stack;

namespace JobsFunctions.Local.Runtime;

/// <summary>
/// Finds the Native AOT <c>bootstrap</c> to run: the one named on the command line, else <c>artifacts/bootstrap</c>
/// (what <c>make publish</c> leaves), else publishes one exactly as a deploy builds it and keeps a copy there.
/// </summary>
public static class BootstrapLocator
{
    private static readonly string[] SourceProjects = ["JobsFunctions", "JobsFunctions.Aws", "JobsFunctions.Domain"];

    public static string PublishCommand => "dotnet publish src/JobsFunctions -c Release -r linux-x64 -p:PublishAot=true -o artifacts/publish";

    public static async Task<string> LocateAsync(
        string? given, bool publish, RepositoryLayout repository, TextWriter console, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(repository);
        ArgumentNullException.ThrowIfNull(console);
        if (given is not null)
        {
            return File.Exists(given)
                ? Path.GetFullPath(given)
                : throw new LocalStackException($"--bootstrap names '{given}', which does not exist.");
        }

        var local = Path.Combine(repository.Artifacts, "bootstrap");
        if (!publish && File.Exists(local))
        {
            if (NewestSource(repository) is { } source && File.GetLastWriteTimeUtc(source) > File.GetLastWriteTimeUtc(local))
            {
                console.WriteLine($"Note: artifacts/bootstrap is older than {Path.GetRelativePath(repository.Root, source)}; pass --publish to rebuild it.");
            }

            return local;
        }

        console.WriteLine(publish
            ? "Publishing the bootstrap (Native AOT, as a deploy builds it); this takes a minute or two:"
            : "No artifacts/bootstrap yet: publishing it (Native AOT, as a deploy builds it); this takes a minute or two:");
        console.WriteLine($"  {PublishCommand}");
        var started = Stopwatch.GetTimestamp();
        await PublishAsync(repository, cancellationToken);
        var published = Path.Combine(repository.Artifacts, "publish", "bootstrap");
        File.Copy(published, local, overwrite: true);
        console.WriteLine($"Published in {Stopwatch.GetElapsedTime(started).TotalSeconds:0} s; kept as artifacts/bootstrap for the next run.");
        return local;
    }

    private static async Task PublishAsync(RepositoryLayout repository, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo("dotnet",
            ["publish", Path.Combine("src", "JobsFunctions"), "-c", "Release", "-r", "linux-x64", "-p:PublishAot=true", "-o", Path.Combine("artifacts", "publish"), "-nologo"])
        {
            WorkingDirectory = repository.Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(start) ?? throw new LocalStackException("dotnet publish did not start.");
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var errors = process.StandardError.ReadToEndAsync(cancellationToken);
        try
        {
            await process.WaitForExitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        if (process.ExitCode != 0)
        {
            var text = string.Join(Environment.NewLine, (await output + await errors).Split('\n').TakeLast(30));
            throw new LocalStackException($"Publishing the bootstrap failed (exit code {process.ExitCode}):{Environment.NewLine}{text}");
        }
    }

    /// <summary>The most recently changed source file the bootstrap is built from.</summary>
    private static string? NewestSource(RepositoryLayout repository)
    {
        var source = Path.Combine(repository.Root, "src");
        var projects = SourceProjects
            .Select(name => Path.Combine(source, name))
            .Where(Directory.Exists);
        var separator = Path.DirectorySeparatorChar;
        return projects
            .SelectMany(folder => Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories))
            .Where(path => !path.Contains($"{separator}bin{separator}", StringComparison.Ordinal) && !path.Contains($"{separator}obj{separator}", StringComparison.Ordinal))
            .Where(path => path.EndsWith(".cs", StringComparison.Ordinal) || path.EndsWith(".csproj", StringComparison.Ordinal))
            .MaxBy(File.GetLastWriteTimeUtc);
    }
}
