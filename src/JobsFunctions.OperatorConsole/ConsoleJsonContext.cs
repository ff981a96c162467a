using System.Text.Json.Serialization;

namespace JobsFunctions.OperatorConsole;

/// <summary>What the console itself tells the page: which API it calls, whether it signs, and as whom.</summary>
internal sealed record ConsoleInfo(string Api, bool Signed, string? Region, string Caller);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(ConsoleInfo))]
[JsonSerializable(typeof(string))]
internal sealed partial class ConsoleJsonContext : JsonSerializerContext;
