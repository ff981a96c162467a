using System.Text;

namespace JobsFunctions.Aws.Signing;

/// <summary>
/// RFC 3986 percent-encoding as AWS uses it: only the unreserved characters <c>A-Z a-z 0-9 - _ . ~</c> stay literal,
/// everything else is UTF-8 encoded as <c>%XX</c> with upper-case hex. Both the request serializer and the signer use
/// it, so the path a service receives and the path it re-derives for the signature agree byte for byte.
/// </summary>
public static class AwsUriEncoding
{
    private const string HexDigits = "0123456789ABCDEF";

    public static bool IsUnreserved(byte b) =>
        b is (>= (byte)'A' and <= (byte)'Z') or (>= (byte)'a' and <= (byte)'z') or (>= (byte)'0' and <= (byte)'9')
            or (byte)'-' or (byte)'_' or (byte)'.' or (byte)'~';

    /// <summary>Encodes a whole value (a path label or a query key/value): <c>/</c> is encoded too.</summary>
    public static string Encode(string value) => Encode(value, keepSlash: false);

    /// <summary>Encodes a path whose <c>/</c> separators must survive.</summary>
    public static string EncodePath(string path) => Encode(path, keepSlash: true);

    private static string Encode(string value, bool keepSlash)
    {
        ArgumentNullException.ThrowIfNull(value);
        var bytes = Encoding.UTF8.GetBytes(value);
        var builder = new StringBuilder(bytes.Length * 3);
        foreach (var b in bytes)
        {
            if (IsUnreserved(b) || (keepSlash && b == (byte)'/'))
            {
                builder.Append((char)b);
            }
            else
            {
                builder.Append('%').Append(HexDigits[b >> 4]).Append(HexDigits[b & 0xF]);
            }
        }

        return builder.ToString();
    }

    /// <summary>
    /// Decodes <c>%XX</c> sequences as UTF-8. A <c>+</c> stays a plus: SigV4 treats query strings as RFC 3986, not as
    /// HTML form data. Malformed escapes are kept literally rather than rejected, as a server would see them.
    /// </summary>
    public static string Decode(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (!value.Contains('%', StringComparison.Ordinal))
        {
            return value;
        }

        var output = new List<byte>(value.Length);
        Span<byte> scratch = stackalloc byte[4];
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (c == '%' && i + 2 < value.Length && IsHex(value[i + 1]) && IsHex(value[i + 2]))
            {
                output.Add((byte)((HexValue(value[i + 1]) << 4) | HexValue(value[i + 2])));
                i += 2;
                continue;
            }

            var length = char.IsSurrogatePair(value, i)
                ? Encoding.UTF8.GetBytes(value.AsSpan(i++, 2), scratch)
                : Encoding.UTF8.GetBytes(value.AsSpan(i, 1), scratch);
            for (var k = 0; k < length; k++)
            {
                output.Add(scratch[k]);
            }
        }

        return Encoding.UTF8.GetString(output.ToArray());
    }

    private static bool IsHex(char c) => char.IsAsciiHexDigit(c);

    private static int HexValue(char c) => c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
}
