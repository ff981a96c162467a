namespace JobsFunctions.Local.Stack;

/// <summary>
/// Where the local stack finds its Python tools (python3 for moto, aws, cfn-lint): in the virtual environment at the
/// repository root when there is one (made from requirements.txt, whose versions they were checked against), else
/// on PATH.
/// </summary>
public static class PythonTools
{
    public const string Requirements = "requirements.txt";

    /// <summary>The one line that installs the pinned tools where <see cref="Find"/> looks first.</summary>
    public const string InstallCommand = "python3 -m venv .venv && .venv/bin/pip install -r " + Requirements;

    private const string VirtualEnvironment = ".venv";

    /// <summary>
    /// The program to start for <paramref name="tool"/>: the virtual environment's copy when the checkout at
    /// <paramref name="repositoryRoot"/> has one, else the bare name, for the operating system to find on PATH.
    /// </summary>
    public static string Find(string tool, string? repositoryRoot)
    {
        ArgumentException.ThrowIfNullOrEmpty(tool);
        if (repositoryRoot is null)
        {
            return tool;
        }

        // A virtual environment keeps its programs in bin/, or on Windows in Scripts/ (python3 there is python.exe).
        var environment = Path.Combine(repositoryRoot, VirtualEnvironment);
        var program = OperatingSystem.IsWindows()
            ? Path.Combine(environment, "Scripts", (tool == "python3" ? "python" : tool) + ".exe")
            : Path.Combine(environment, "bin", tool);
        return File.Exists(program) ? program : tool;
    }
}
