namespace JobsFunctions.TestSupport;

/// <summary>Finds the repository root (the folder holding JobsFunctions.sln) from wherever the tests run.</summary>
public static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    public static string Template => Path.Combine(Root, "template.yaml");

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
