using System.Text;
using JobsFunctions.Domain.Recording;

namespace JobsFunctions.TestSupport;

/// <summary>
/// Page tokens as a client sees them: opaque text. Inside, the name of the query and the sort key of the last item
/// returned, so the next page starts after that key even when items were added or removed in between, and a token
/// from one query cannot be replayed against another.
/// </summary>
internal static class PageToken
{
    private const char Separator = '\0';

    public static IComparer<string[]> KeyComparer { get; } = Comparer<string[]>.Create(CompareKeys);

    public static string Encode(string query, string[] lastKey) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(string.Join(Separator, [query, .. lastKey])));

    public static string[] Decode(string query, string token)
    {
        string[] parts;
        try
        {
            parts = Encoding.UTF8.GetString(Convert.FromBase64String(token)).Split(Separator);
        }
        catch (FormatException)
        {
            throw new InvalidPageTokenException();
        }

        if (parts.Length < 2 || !string.Equals(parts[0], query, StringComparison.Ordinal))
        {
            throw new InvalidPageTokenException();
        }

        return parts[1..];
    }

    public static int CompareKeys(string[]? a, string[]? b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        for (var i = 0; i < Math.Min(a.Length, b.Length); i++)
        {
            var comparison = string.CompareOrdinal(a[i], b[i]);
            if (comparison != 0)
            {
                return comparison;
            }
        }

        return a.Length.CompareTo(b.Length);
    }
}
