using System.Text.Json.Serialization;

namespace JobsFunctions.Aws.Lambda;

/// <summary>The body of <c>/error</c> and <c>/init/error</c>, as the Runtime API reads it.</summary>
internal sealed record LambdaErrorBody(string ErrorMessage, string ErrorType, IReadOnlyList<string> StackTrace);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(LambdaErrorBody))]
internal sealed partial class LambdaRuntimeJsonContext : JsonSerializerContext;
