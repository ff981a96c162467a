using System.Diagnostics;
using JobsFunctions.Local.Stack;

namespace JobsFunctions.Local.Runtime;

/// <summary>
/// Finds the bootstrap to run: the one named on the command line, else <c>artifacts/bootstrap</c> (what <c>make
/// publish</c> leaves), else publishes one exactly as a deploy builds it and keeps a copy there. Where the Native AOT
/// build is not to be had (<see cref="BootstrapChoice"/>), the framework-dependent Release build of src/JobsFunctions
/// (<c>bootstrap.dll</c>, the build <c>dotnet build -c Release</c> and the tests share), which <see cref="LocalFunction"/>
/// runs under <c>dotnet</c>.
/// </summary>
public static class BootstrapLocator
{
    /// <summary>A bootstrap with this ending is an assembly for <c>dotnet</c> to run, not an executable.</summary>
    public const string AssemblyExtension = ".dll";

    private static readonly string[] SourceProjects = ["JobsFunctions", "JobsFunctions.Aws", "JobsFunctions.Domain"];

    public static string PublishCommand => "dotnet publish src/JobsFunctions -c Release -r linux-x64 -p:PublishAot=true -o artifacts/publish";

    public static string JitBuildCommand => "dotnet build src/JobsFunctions -c Release";

    /// <summary>The Native AOT bootstrap.</summary>
    public static Task<string> LocateAsync(
        string? given, bool publish, RepositoryLayout repository, TextWriter console, CancellationToken cancellationToken) =>
        LocateAsync(given, publish, BootstrapChoice.NativeAot, repository, console, cancellationToken);

    public static async Task<string> LocateAsync(
        string? given, bool publish, BootstrapChoice choice, RepositoryLayout repository, TextWriter console, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(choice);
        ArgumentNullException.ThrowIfNull(repository);
        ArgumentNullException.ThrowIfNull(console);
        if (given is not null)
        {
            return File.Exists(given)
                ? Path.GetFullPath(given)
                : throw new LocalStackException($"--bootstrap names '{given}', which does not exist.");
        }

        if (choice.Jit)
        {
            console.WriteLine(
                $"Functions: JIT-compiled under dotnet ({choice.Reason}): a framework-dependent build of src/JobsFunctions, "
                + "the same code as the Native AOT bootstrap a deploy ships, with slower cold starts.");
        }

        var local = choice.Jit ? JitBuildOutput(repository) : Path.Combine(repository.Artifacts, "bootstrap");
        var shown = Path.GetRelativePath(repository.Root, local);
        var stale = File.Exists(local) && NewestSource(repository) is { } source && File.GetLastWriteTimeUtc(source) > File.GetLastWriteTimeUtc(local)
            ? source
            : null;
        if (!publish && File.Exists(local) && (stale is null || !choice.Jit))
        {
            if (stale is not null)
            {
                console.WriteLine($"Note: {shown} is older than {Path.GetRelativePath(repository.Root, stale)}; pass --publish to rebuild it.");
            }

            return local;
        }

        // The JIT build is incremental and takes seconds, so it is simply rebuilt when the sources changed.
        var command = choice.Jit ? JitBuildCommand : PublishCommand;
        console.WriteLine(choice.Jit
            ? $"Building {shown} (framework-dependent, for dotnet):"
            : publish
                ? "Publishing the bootstrap (Native AOT, as a deploy builds it); this takes a minute or two:"
                : "No artifacts/bootstrap yet: publishing it (Native AOT, as a deploy builds it); this takes a minute or two:");
        console.WriteLine($"  {command}");
        var started = Stopwatch.GetTimestamp();
        await PublishAsync(repository, command, cancellationToken);
        if (!choice.Jit)
        {
            File.Copy(Path.Combine(repository.Artifacts, "publish", "bootstrap"), local, overwrite: true);
        }

        console.WriteLine($"Built in {Stopwatch.GetElapsedTime(started).TotalSeconds:0} s; kept as {shown} for the next run.");
        return local;
    }

    /// <summary>
    /// Where <see cref="JitBuildCommand"/> leaves the bootstrap: the project's Release output for the target framework
    /// the whole solution builds for, the one this program runs on too.
    /// </summary>
    private static string JitBuildOutput(RepositoryLayout repository) => Path.Combine(
        repository.Root, "src", "JobsFunctions", "bin", "Release", $"net{Environment.Version.Major}.{Environment.Version.Minor}", "bootstrap" + AssemblyExtension);

    private static async Task PublishAsync(RepositoryLayout repository, string command, CancellationToken cancellationToken)
    {
        var words = command.Split(' ');
        var start = new ProcessStartInfo(words[0], [.. words.Skip(1), "-nologo"])
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
            throw new LocalStackException($"Building the bootstrap failed (exit code {process.ExitCode}):{Environment.NewLine}{text}");
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
