using System.Text.Json.Nodes;
using JobsFunctions.Local.Runtime;

namespace JobsFunctions.IntegrationTests.Bootstrap;

/// <summary>HTTP API 2.0 events sent to the bootstrap as <c>api</c> through a local Runtime API, and their answers read back.</summary>
internal static class OperatorApiCalls
{
    public static async Task<JsonObject> SendAsync(LocalRuntimeApi runtime, string label, JsonObject apiEvent, TimeSpan patience)
    {
        var requestId = runtime.Enqueue(new LocalInvocation(apiEvent.ToJsonString()) { RequestId = $"{label}-{Guid.NewGuid():N}" });
        var result = await runtime.WaitForResultAsync(requestId, patience);
        Assert.True(result.Kind == RuntimePostKind.Response, $"{label}: {result.BodyText}");
        return JsonNode.Parse(result.BodyText)!.AsObject();
    }

    public static int Status(JsonObject response) => response["statusCode"]!.GetValue<int>();

    public static JsonObject Body(JsonObject response) => JsonNode.Parse(response["body"]!.GetValue<string>())!.AsObject();

    /// <summary>A sample event from the repository's events/ folder, copied beside the tests.</summary>
    public static JsonObject Sample(string name) =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "events", name)))!.AsObject();
}
