using System.Buffers.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Amazon.DynamoDBv2.Model;

namespace JobsFunctions.Aws.Dynamo;

/// <summary>
/// Opaque page tokens: a query's LastEvaluatedKey (string attributes only in this table), plus the open-index shard
/// being read, as base64url JSON. A token that does not decode is the caller's mistake, reported as such.
/// </summary>
internal static class PageTokens
{
    /// <summary>The token of the page after <paramref name="lastKey"/>; null when the query is exhausted.</summary>
    public static string? Next(Dictionary<string, AttributeValue>? lastKey) =>
        lastKey is null || lastKey.Count == 0 ? null : Encode(0, lastKey);

    /// <summary>A token for a position in a sharded read: a shard, and the last key read in it (none: its start).</summary>
    public static string Encode(int shard, Dictionary<string, AttributeValue>? lastKey)
    {
        var token = new PageToken(shard, lastKey?.ToDictionary(pair => pair.Key, pair => pair.Value.S) ?? []);
        return Base64Url.EncodeToString(JsonSerializer.SerializeToUtf8Bytes(token, PageTokenJsonContext.Default.PageToken));
    }

    public static PageToken? Decode(string? token)
    {
        if (string.IsNullOrEmpty(token))
        {
            return null;
        }

        try
        {
            var decoded = JsonSerializer.Deserialize(Base64Url.DecodeFromChars(token), PageTokenJsonContext.Default.PageToken);
            return decoded ?? throw new InvalidPageTokenException();
        }
        catch (Exception e) when (e is FormatException or JsonException)
        {
            throw new InvalidPageTokenException();
        }
    }

    /// <summary>The ExclusiveStartKey a token stands for; null at the start of a shard.</summary>
    public static Dictionary<string, AttributeValue>? StartKey(PageToken? token) =>
        token is null || token.Key.Count == 0 ? null : token.Key.ToDictionary(pair => pair.Key, pair => new AttributeValue { S = pair.Value });
}

internal sealed record PageToken(int Shard, Dictionary<string, string> Key);

[JsonSerializable(typeof(PageToken))]
internal sealed partial class PageTokenJsonContext : JsonSerializerContext;

/// <summary>A page token that this store did not issue.</summary>
public sealed class InvalidPageTokenException() : ArgumentException("The page token is not one this API issued.");
