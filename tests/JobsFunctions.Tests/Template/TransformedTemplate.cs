using System.Diagnostics;
using System.Text.Json;
using JobsFunctions.TestSupport;

namespace JobsFunctions.Tests.Template;

/// <summary>template.yaml after the SAM transform (run offline by samtranslator), as CloudFormation would receive it.</summary>
public static class TransformedTemplate
{
    private static readonly Lazy<JsonElement> Transformed = new(Transform);

    public static JsonElement Resources => Transformed.Value.GetProperty(nameof(Resources));

    public static JsonElement Parameters => Transformed.Value.GetProperty(nameof(Parameters));

    public static JsonElement Outputs => Transformed.Value.GetProperty(nameof(Outputs));

    public static IEnumerable<(string LogicalId, JsonElement Resource)> OfType(string type) =>
        Resources.EnumerateObject()
            .Where(resource => resource.Value.GetProperty("Type").GetString() == type)
            .Select(resource => (resource.Name, resource.Value));

    private static JsonElement Transform()
    {
        var script = Path.Combine(AppContext.BaseDirectory, "Template", "transform_template.py");
        var start = new ProcessStartInfo(PythonTool.Path("python3"), [script, RepositoryPaths.Template])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)
            ?? throw new InvalidOperationException("python3 is needed to run the SAM transform (aws-sam-translator).");
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"The SAM transform of template.yaml failed (is aws-sam-translator installed?):\n{errors}");
        }

        return JsonDocument.Parse(output.Result).RootElement.Clone();
    }
}
