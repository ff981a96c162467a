using System.Text.Json;

namespace JobsFunctions.Local.Runtime;

/// <summary>One function as the local stack runs it, with what the template and the local stack configure for it.</summary>
/// <param name="Name">The function's name (AWS_LAMBDA_FUNCTION_NAME) and how its output is labelled.</param>
/// <param name="Handler">The <c>_HANDLER</c> value that picks the function inside the bootstrap.</param>
/// <param name="Environment">The template's variables plus region, credentials and endpoints.</param>
public sealed record FunctionDefinition(
    string Name,
    string BootstrapPath,
    string Handler,
    IReadOnlyDictionary<string, string> Environment,
    TimeSpan Timeout,
    int MemoryMb,
    string LogFormat);

/// <summary>A line a function wrote: standard output carries its JSON log lines, standard error the runtime's own.</summary>
public sealed record FunctionOutput(string Function, bool IsStandardError, string Text)
{
    /// <summary>The line as a JSON object when it is one of the function's log lines (standard output); otherwise null.</summary>
    public JsonDocument? LogLine() => IsStandardError ? null : JsonLine(Text);

    /// <summary>A line of text parsed as a JSON object, or null when it is not one.</summary>
    public static JsonDocument? JsonLine(string text)
    {
        if (!text.StartsWith('{'))
        {
            return null;
        }

        try
        {
            var json = JsonDocument.Parse(text);
            if (json.RootElement.ValueKind == JsonValueKind.Object)
            {
                return json;
            }

            json.Dispose();
        }
        catch (JsonException)
        {
        }

        return null;
    }
}
