namespace JobsFunctions.Aws.Tests.Support;

/// <summary>Finds the repository root (the folder holding JobsFunctions.sln) from the test assembly's folder.</summary>
public static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    /// <summary>The shared folder next to the repository, where large third-party test data lives.</summary>
    public static string Shared => Path.GetFullPath(Path.Combine(Root, "..", "shared"));

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "JobsFunctions.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException(
            $"No folder containing JobsFunctions.sln above {AppContext.BaseDirectory}: cannot locate the repository root.");
    }
}
