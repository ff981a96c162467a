using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using JobsFunctions.Aws.Iot.JobsData;

namespace JobsFunctions.Aws.Iot.Http;

/// <summary>
/// Reads an AWS rest-json error response. The code comes from the <c>x-amzn-ErrorType</c> header, else the body's
/// <c>__type</c>, else its <c>code</c>; namespaces (<c>aws.iot#Foo</c>) and suffixes (<c>Foo:http://…</c>) are
/// stripped. A response without any code (a proxy's HTML page, say) is named by its status, as botocore does.
/// </summary>
internal static class ErrorResponseParser
{
    private const int MaxRawMessageLength = 256;

    public static IotServiceException Parse(HttpResponseMessage response, byte[] body, TimeSpan? retryAfter = null)
    {
        var status = (int)response.StatusCode;
        string? bodyType = null, bodyCode = null, bodyMessage = null;
        JobExecutionState? executionState = null;
        var isJson = TryReadJson(body, ref bodyType, ref bodyCode, ref bodyMessage, ref executionState);

        var code = Sanitize(Header(response.Headers, "x-amzn-ErrorType"))
            ?? Sanitize(bodyType)
            ?? Sanitize(bodyCode)
            ?? status.ToString(System.Globalization.CultureInfo.InvariantCulture);

        var message = bodyMessage
            ?? Header(response.Headers, "x-amzn-error-message")
            ?? (isJson ? null : RawText(body))
            ?? response.ReasonPhrase
            ?? $"HTTP {status}";

        var requestId = Header(response.Headers, "x-amzn-RequestId") ?? Header(response.Headers, "x-amz-request-id");
        return new IotServiceException(code, status, message, requestId, executionState) { RetryAfter = retryAfter };
    }

    /// <summary>
    /// A success status whose body is a service-framework error envelope, <c>{"Output":{"__type":"…#Code",…}}</c>,
    /// as the jobs data plane has answered operations it did not perform (aws/aws-sdk-js#2539); null for a real answer,
    /// which no operation here shapes that way.
    /// </summary>
    public static IotServiceException? WrappedError(HttpResponseMessage response, byte[] body)
    {
        if (body.Length == 0 || body[0] != (byte)'{')
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind != JsonValueKind.Object
                || !document.RootElement.TryGetProperty("Output", out var output) || output.ValueKind != JsonValueKind.Object
                || !output.TryGetProperty("__type", out var type) || type.ValueKind != JsonValueKind.String
                || Sanitize(type.GetString()) is not { } code)
            {
                return null;
            }

            var message = output.TryGetProperty("message", out var said) && said.ValueKind == JsonValueKind.String ? said.GetString() : null;
            var requestId = Header(response.Headers, "x-amzn-RequestId") ?? Header(response.Headers, "x-amz-request-id");
            return new IotServiceException(code, (int)response.StatusCode, message ?? $"The service answered with {code}.", requestId);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    internal static string? Sanitize(string? code)
    {
        if (string.IsNullOrWhiteSpace(code))
        {
            return null;
        }

        var hash = code.LastIndexOf('#');
        if (hash >= 0)
        {
            code = code[(hash + 1)..];
        }

        var colon = code.IndexOf(':', StringComparison.Ordinal);
        if (colon >= 0)
        {
            code = code[..colon];
        }

        code = code.Trim();
        return code.Length == 0 ? null : code;
    }

    private static bool TryReadJson(
        byte[] body, ref string? type, ref string? code, ref string? message, ref JobExecutionState? executionState)
    {
        if (body.Length == 0)
        {
            return false;
        }

        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return true;
            }

            foreach (var property in document.RootElement.EnumerateObject())
            {
                switch (property.Name)
                {
                    case "__type" when property.Value.ValueKind == JsonValueKind.String:
                        type = property.Value.GetString();
                        break;
                    case "code" or "Code" when property.Value.ValueKind == JsonValueKind.String:
                        code ??= property.Value.GetString();
                        break;
                    case "message" or "Message" or "errorMessage" when property.Value.ValueKind == JsonValueKind.String:
                        message ??= property.Value.GetString();
                        break;
                    case "executionState" when property.Value.ValueKind == JsonValueKind.Object:
                        executionState = property.Value.Deserialize(JobsDataJsonContext.Default.JobExecutionState);
                        break;
                }
            }

            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static string? Header(HttpResponseHeaders headers, string name) =>
        headers.TryGetValues(name, out var values) ? values.FirstOrDefault(v => !string.IsNullOrWhiteSpace(v)) : null;

    private static string? RawText(byte[] body)
    {
        if (body.Length == 0)
        {
            return null;
        }

        var text = Encoding.UTF8.GetString(body).Trim();
        return text.Length <= MaxRawMessageLength ? text : text[..MaxRawMessageLength] + "…";
    }
}
