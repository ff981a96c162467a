namespace JobsFunctions.Domain;

/// <summary>Exact, case-sensitive lookup of an AWS enum value by its wire name, as the API enums are.</summary>
internal static class WireNames
{
    public static bool TryParse<T>(string? wire, IReadOnlyList<T> all, Func<T, string> toWire, out T value)
        where T : struct, Enum
    {
        foreach (var candidate in all)
        {
            if (string.Equals(toWire(candidate), wire, StringComparison.Ordinal))
            {
                value = candidate;
                return true;
            }
        }

        value = default;
        return false;
    }
}
