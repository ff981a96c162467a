using System.Globalization;
using System.Text;
using JobsFunctions.Aws.Signing;

namespace JobsFunctions.Aws.Iot.Http;

/// <summary>
/// One rest-json call, already serialized: method, escaped path, escaped query and the JSON body (null for
/// operations whose input has no body members, which then send no body and no Content-Type, as botocore does).
/// <paramref name="Repeatable"/> is false for a call whose second application differs from its first (an execution's
/// status change bumps its version; a cancel meets the terminal state it made): such a call is sent again only when
/// it certainly never left.
/// </summary>
internal sealed record RestRequest(string Operation, HttpMethod Method, string Path, string Query, byte[]? Body, bool Repeatable = true);

/// <summary>Builds escaped paths and query strings the way botocore's rest-json serializer does.</summary>
internal static class Rest
{
    /// <summary>
    /// Escapes one path label. Empty, "." and ".." are refused: they would silently address a different resource
    /// once the path is normalized.
    /// </summary>
    public static string Label(string? value, string name)
    {
        if (string.IsNullOrEmpty(value) || value is "." or "..")
        {
            throw new ArgumentException($"{name} is required and cannot be empty, '.' or '..'.", name);
        }

        return AwsUriEncoding.Encode(value);
    }

    public static byte[] Json<T>(T value, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> typeInfo) =>
        System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(value, typeInfo);
}

/// <summary>Query parameters in call order; absent (null) values are left out.</summary>
internal sealed class Query
{
    private readonly StringBuilder _builder = new();

    public Query Add(string name, string? value)
    {
        if (value is not null)
        {
            _builder.Append(_builder.Length == 0 ? "" : "&")
                .Append(AwsUriEncoding.Encode(name)).Append('=').Append(AwsUriEncoding.Encode(value));
        }

        return this;
    }

    public Query Add(string name, bool? value) => Add(name, value is null ? null : value.Value ? "true" : "false");

    public Query Add(string name, long? value) => Add(name, value?.ToString(CultureInfo.InvariantCulture));

    public override string ToString() => _builder.ToString();
}
