namespace JobsFunctions.OperatorConsole;

/// <summary>The page's files, embedded in this assembly (wwwroot/), so the console serves everything it loads.</summary>
internal static class ConsoleAssets
{
    private static readonly Dictionary<string, Asset> ByPath = Load();

    public static Asset? Find(string path) => ByPath.GetValueOrDefault(path == "/" ? "/index.html" : path);

    private static Dictionary<string, Asset> Load()
    {
        var assembly = typeof(ConsoleAssets).Assembly;
        var assets = new Dictionary<string, Asset>(StringComparer.Ordinal);
        foreach (var name in assembly.GetManifestResourceNames().Where(name => name.StartsWith("wwwroot/", StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            assets["/" + name["wwwroot/".Length..]] = new Asset(ContentTypeOf(name), copy.ToArray());
        }

        return assets;
    }

    private static string ContentTypeOf(string name) => Path.GetExtension(name) switch
    {
        ".html" => "text/html; charset=utf-8",
        ".js" => "text/javascript; charset=utf-8",
        ".css" => "text/css; charset=utf-8",
        ".svg" => "image/svg+xml",
        _ => "application/octet-stream",
    };

    internal sealed record Asset(string ContentType, byte[] Bytes);
}
