using System.Buffers.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Amazon.DynamoDBv2.Model;
using JobsFunctions.Domain.Recording;

namespace JobsFunctions.Aws.Dynamo;

/// <summary>
/// Opaque page tokens as base64url JSON: the key of the last item returned (string attributes only in this table).
/// A token that does not decode is the caller's mistake, reported as such.
/// </summary>
internal static class PageTokens
{
    public static string Encode(Dictionary<string, AttributeValue> lastKey) =>
        Serialize(new PageToken(Strings(lastKey)));

    /// <summary>The last key of a token; null when there is no token.</summary>
    public static Dictionary<string, AttributeValue>? DecodeKey(string? token) => Decode(token) switch
    {
        null => null,
        { Key: { } key } => Attributes(key),
        _ => throw new InvalidPageTokenException(),
    };

    private static PageToken? Decode(string? token)
    {
        if (string.IsNullOrEmpty(token))
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize(Base64Url.DecodeFromChars(token), PageTokenJsonContext.Default.PageToken)
                ?? throw new InvalidPageTokenException();
        }
        catch (Exception e) when (e is FormatException or JsonException)
        {
            throw new InvalidPageTokenException();
        }
    }

    private static string Serialize(PageToken token) =>
        Base64Url.EncodeToString(JsonSerializer.SerializeToUtf8Bytes(token, PageTokenJsonContext.Default.PageToken));

    private static Dictionary<string, string> Strings(Dictionary<string, AttributeValue> key) =>
        key.ToDictionary(pair => pair.Key, pair => pair.Value.S);

    private static Dictionary<string, AttributeValue> Attributes(Dictionary<string, string> key) =>
        key.ToDictionary(pair => pair.Key, pair => new AttributeValue { S = pair.Value });
}

internal sealed record PageToken(Dictionary<string, string>? Key);

[JsonSerializable(typeof(PageToken))]
internal sealed partial class PageTokenJsonContext : JsonSerializerContext;
