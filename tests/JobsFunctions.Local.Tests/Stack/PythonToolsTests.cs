using System.Diagnostics;
using JobsFunctions.Local.Stack;
using JobsFunctions.TestSupport;

namespace JobsFunctions.Local.Tests.Stack;

/// <summary>
/// The Python side is pinned (requirements.txt): the local stack prefers the checkout's virtual environment, and the
/// local DynamoDB refuses a moto it was not checked against, saying how to install the pinned one.
/// </summary>
public sealed class PythonToolsTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("python-tools-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void A_tool_is_taken_from_the_checkouts_virtual_environment_when_it_has_one()
    {
        var bin = Directory.CreateDirectory(Path.Combine(_folder, ".venv", OperatingSystem.IsWindows() ? "Scripts" : "bin")).FullName;
        var aws = Path.Combine(bin, OperatingSystem.IsWindows() ? "aws.exe" : "aws");
        File.WriteAllText(aws, "");

        Assert.Equal(aws, PythonTools.Find("aws", _folder));
    }

    [Fact]
    public void Without_a_virtual_environment_a_tool_is_left_for_PATH_to_find()
    {
        Assert.Equal("python3", PythonTools.Find("python3", _folder));
        Assert.Equal("python3", PythonTools.Find("python3", repositoryRoot: null));
    }

    [Fact]
    public void The_requirements_file_pins_the_moto_the_local_DynamoDB_was_checked_against()
    {
        var pins = File.ReadAllLines(Path.Combine(RepositoryPaths.Root, PythonTools.Requirements))
            .Where(line => line.Length > 0 && !line.StartsWith('#'))
            .ToList();
        var checkedVersions = File.ReadAllLines(Script).Single(line => line.StartsWith("CHECKED_MOTO_VERSIONS", StringComparison.Ordinal));

        Assert.Contains("moto[server]==5.2.1", pins);
        Assert.Contains("\"5.2.1\"", checkedVersions, StringComparison.Ordinal);
        Assert.All(pins, pin => Assert.Contains("==", pin, StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_local_DynamoDB_refuses_a_moto_version_it_was_not_checked_against()
    {
        var fake = Directory.CreateDirectory(Path.Combine(_folder, "moto")).FullName;
        File.WriteAllText(Path.Combine(fake, "__init__.py"), "__version__ = \"5.0.0\"\n");

        var (exit, errors) = await RunScriptAsync([], pythonPath: _folder);

        Assert.NotEqual(0, exit);
        Assert.Contains("moto 5.0.0 is installed, but this server was checked against moto 5.2.1 only", errors, StringComparison.Ordinal);
        Assert.Contains(PythonTools.InstallCommand, errors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_moto_the_local_DynamoDB_names_the_requirements_file_and_the_install_line()
    {
        // -S leaves out site-packages, so this Python has no moto whatever the machine has installed.
        var (exit, errors) = await RunScriptAsync(["-S"], pythonPath: null);

        Assert.NotEqual(0, exit);
        Assert.Contains("cannot import moto", errors, StringComparison.Ordinal);
        Assert.Contains(PythonTools.InstallCommand, errors, StringComparison.Ordinal);
    }

    private static string Script => Path.Combine(AppContext.BaseDirectory, "Stack", MotoProcess.ServerScript);

    private static async Task<(int ExitCode, string Errors)> RunScriptAsync(string[] pythonOptions, string? pythonPath)
    {
        var start = new ProcessStartInfo(PythonTool.Path("python3"), [.. pythonOptions, Script, "--help"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (pythonPath is not null)
        {
            start.Environment["PYTHONPATH"] = pythonPath;
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("python3 did not start.");
        var output = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var errors = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);
        await output;
        return (process.ExitCode, await errors);
    }
}
