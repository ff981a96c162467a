using System.Text.Json.Serialization;
using JobsFunctions.Aws.Iot.Http;

namespace JobsFunctions.Aws.Iot.Control;

/// <summary>Source-generated (AOT-safe) JSON for the control plane: camelCase, nulls omitted, epoch-second times.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    Converters = [typeof(EpochSecondsConverter)])]
[JsonSerializable(typeof(UpdateJobRequest))]
[JsonSerializable(typeof(CancelJobRequest))]
[JsonSerializable(typeof(CancelJobExecutionRequest))]
[JsonSerializable(typeof(UpdateEventConfigurationsRequest))]
[JsonSerializable(typeof(CancelJobResponse))]
[JsonSerializable(typeof(DescribeJobResponse))]
[JsonSerializable(typeof(DescribeJobExecutionResponse))]
[JsonSerializable(typeof(ListJobExecutionsForJobResponse))]
[JsonSerializable(typeof(ListJobsResponse))]
[JsonSerializable(typeof(DescribeEndpointResponse))]
[JsonSerializable(typeof(DescribeEventConfigurationsResponse))]
internal sealed partial class ControlPlaneJsonContext : JsonSerializerContext;
