using System.Text.Json.Serialization;
using JobsFunctions.Deployment;
using JobsFunctions.Recorder;
using JobsFunctions.Sweeper;

namespace JobsFunctions;

/// <summary>
/// Every event and response type the functions read or write, serialized by generated code only (Native AOT):
/// AWS payloads are camelCase, and missing members stay null rather than failing the whole event.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    NumberHandling = JsonNumberHandling.AllowReadingFromString)]
[JsonSerializable(typeof(JobsEventPayload))]
[JsonSerializable(typeof(CustomResourceRequest))]
[JsonSerializable(typeof(CustomResourceResponse))]
[JsonSerializable(typeof(ScheduledEvent))]
internal sealed partial class FunctionsJsonContext : JsonSerializerContext;
