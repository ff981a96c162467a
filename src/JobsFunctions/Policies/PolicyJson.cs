using System.Text.Json;
using JobsFunctions.Api;
using JobsFunctions.Domain.Operations;
using JobsFunctions.Domain.Policies;

namespace JobsFunctions.Policies;

/// <summary>
/// A policy document as JSON text, both ways, by generated code only. Reading refuses what the API refuses in any
/// body — not JSON, unknown or repeated members, values of the wrong JSON type — and then applies
/// <see cref="PolicyRules"/>, so every failure names its field.
/// </summary>
internal static class PolicyJson
{
    public static Result<PolicyDocument> ReadDocument(string? json) => JsonBody.Read(json, ApiJsonContext.Default.PolicyDocument);

    public static Result<JobPolicy> Parse(string? json)
    {
        var document = ReadDocument(json);
        return document.IsSuccess ? PolicyRules.ToPolicy(document.Value) : document.Error;
    }

    public static string Print(JobPolicy policy) =>
        JsonSerializer.Serialize(PolicyDocument.Of(policy), ApiJsonContext.Default.PolicyDocument);
}
