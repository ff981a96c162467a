namespace JobsFunctions.TestSupport;

/// <summary>Finds the repository root (the folder holding JobsFunctions.sln) from wherever the tests run.</summary>
public static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    public static string Template => Path.Combine(Root, "template.yaml");

    /// <summary>A Python tool (python3, aws) as the local stack runs it: the checkout's .venv copy when there is one.</summary>
    public static string PythonTool(string tool) => JobsFunctions.Local.Stack.PythonTools.Find(tool, Root);

    private static string FindRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "JobsFunctions.sln")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException($"No JobsFunctions.sln above {AppContext.BaseDirectory}: run the tests from a checkout.");
    }
}
