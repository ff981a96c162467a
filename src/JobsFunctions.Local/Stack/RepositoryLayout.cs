namespace JobsFunctions.Local.Stack;

/// <summary>Where the checkout's files are: the template, the sample events and the build output.</summary>
public sealed record RepositoryLayout(string Root)
{
    public string Template => Path.Combine(Root, "template.yaml");

    public string Events => Path.Combine(Root, "events");

    public string Artifacts => Path.Combine(Root, "artifacts");

    /// <summary>
    /// The checkout holding the current directory, or else the one this program was built in (so
    /// <c>dotnet run --project</c> works from anywhere).
    /// </summary>
    public static RepositoryLayout Find() =>
        TryFind() ?? throw new LocalStackException(
            $"No JobsFunctions checkout (a folder with template.yaml and JobsFunctions.sln) above {Environment.CurrentDirectory}: run this from the repository.");

    /// <summary>As <see cref="Find"/>, or null outside a checkout.</summary>
    public static RepositoryLayout? TryFind()
    {
        foreach (var start in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
        {
            for (var folder = new DirectoryInfo(start); folder is not null; folder = folder.Parent)
            {
                if (File.Exists(Path.Combine(folder.FullName, "template.yaml")) && File.Exists(Path.Combine(folder.FullName, "JobsFunctions.sln")))
                {
                    return new RepositoryLayout(folder.FullName);
                }
            }
        }

        return null;
    }
}
