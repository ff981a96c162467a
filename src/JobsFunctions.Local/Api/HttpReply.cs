using System.Text;
using System.Text.Json;

namespace JobsFunctions.Local.Api;

/// <summary>What the local API answers the HTTP client, worked out the way API Gateway works it out.</summary>
public sealed record HttpReply(int StatusCode, IReadOnlyList<KeyValuePair<string, string>> Headers, byte[] Body)
{
    public static HttpReply NotFound { get; } = Message(404, "Not Found");

    /// <summary>What API Gateway answers when the function failed or returned something it cannot read.</summary>
    public static HttpReply InternalServerError { get; } = Message(500, "Internal Server Error");

    public static HttpReply ServiceUnavailable { get; } = Message(503, "Service Unavailable");

    public string BodyText => Encoding.UTF8.GetString(Body);

    /// <summary>
    /// Reads a function's response in payload format 2.0: the full form (<c>statusCode</c>, <c>headers</c>,
    /// <c>cookies</c>, <c>body</c>, <c>isBase64Encoded</c>), or any other JSON, which API Gateway passes on as a 200
    /// JSON body.
    /// </summary>
    public static HttpReply FromFunctionResponse(ReadOnlySpan<byte> payload)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(payload.ToArray());
        }
        catch (JsonException)
        {
            return InternalServerError;
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("statusCode", out var status))
            {
                var text = root.ValueKind == JsonValueKind.String ? root.GetString()! : root.GetRawText();
                return new HttpReply(200, [new("content-type", "application/json")], Encoding.UTF8.GetBytes(text));
            }

            return FullForm(root, status) ?? InternalServerError;
        }
    }

    private static HttpReply? FullForm(JsonElement root, JsonElement status)
    {
        if (status.ValueKind != JsonValueKind.Number || !status.TryGetInt32(out var code) || code is < 100 or > 599)
        {
            return null;
        }

        var headers = new List<KeyValuePair<string, string>>();
        if (root.TryGetProperty("headers", out var declared) && declared.ValueKind == JsonValueKind.Object)
        {
            foreach (var header in declared.EnumerateObject())
            {
                headers.Add(new(header.Name, header.Value.ValueKind == JsonValueKind.String ? header.Value.GetString()! : header.Value.GetRawText()));
            }
        }

        if (root.TryGetProperty("cookies", out var cookies) && cookies.ValueKind == JsonValueKind.Array)
        {
            headers.AddRange(cookies.EnumerateArray().Where(cookie => cookie.ValueKind == JsonValueKind.String)
                .Select(cookie => new KeyValuePair<string, string>("set-cookie", cookie.GetString()!)));
        }

        var body = root.TryGetProperty("body", out var text) && text.ValueKind == JsonValueKind.String ? text.GetString()! : string.Empty;
        var base64 = root.TryGetProperty("isBase64Encoded", out var flag) && flag.ValueKind == JsonValueKind.True;
        if (!base64)
        {
            return new HttpReply(code, headers, Encoding.UTF8.GetBytes(body));
        }

        try
        {
            return new HttpReply(code, headers, Convert.FromBase64String(body));
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private static HttpReply Message(int status, string message) =>
        new(status, [new("content-type", "application/json")], Encoding.UTF8.GetBytes($$"""{"message":"{{message}}"}"""));
}
