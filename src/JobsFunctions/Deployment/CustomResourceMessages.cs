using System.Text.Json.Serialization;

namespace JobsFunctions.Deployment;

/// <summary>The CloudFormation custom resource request (PascalCase on the wire).</summary>
internal sealed class CustomResourceRequest
{
    [JsonPropertyName("RequestType")]
    public string? RequestType { get; set; }

    [JsonPropertyName("ResponseURL")]
    public string? ResponseUrl { get; set; }

    [JsonPropertyName("StackId")]
    public string? StackId { get; set; }

    [JsonPropertyName("RequestId")]
    public string? RequestId { get; set; }

    [JsonPropertyName("LogicalResourceId")]
    public string? LogicalResourceId { get; set; }

    [JsonPropertyName("PhysicalResourceId")]
    public string? PhysicalResourceId { get; set; }
}

internal sealed class CustomResourceResponse
{
    [JsonPropertyName("Status")]
    public required string Status { get; init; }

    [JsonPropertyName("Reason")]
    public string? Reason { get; init; }

    [JsonPropertyName("PhysicalResourceId")]
    public required string PhysicalResourceId { get; init; }

    [JsonPropertyName("StackId")]
    public string? StackId { get; init; }

    [JsonPropertyName("RequestId")]
    public string? RequestId { get; init; }

    [JsonPropertyName("LogicalResourceId")]
    public string? LogicalResourceId { get; init; }
}
