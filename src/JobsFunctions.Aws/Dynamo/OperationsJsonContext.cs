using System.Text.Json.Serialization;
using JobsFunctions.Domain.Operations;

namespace JobsFunctions.Aws.Dynamo;

/// <summary>Audit entries and stored answers are kept as one JSON attribute each: read back whole, never queried inside.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    UseStringEnumConverter = true)]
[JsonSerializable(typeof(AuditEntry))]
[JsonSerializable(typeof(StoredResponse))]
internal sealed partial class OperationsJsonContext : JsonSerializerContext;
