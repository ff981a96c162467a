using System.Text;
using JobsFunctions.Domain.Errors;
using JobsFunctions.Domain.Operations;

namespace JobsFunctions.Domain.Policies;

/// <summary>
/// A preview's page token: the last thing name a page answered, so the next page starts after it. The plan is in
/// thing-name order (an abort, the only action of its plan, fits on the first page), so the token holds across
/// requests even when the store changes in between: nothing is skipped that was planned before and still is.
/// </summary>
internal static class PreviewToken
{
    private const string Prefix = "after:";

    public static string Encode(string thingName) => Convert.ToBase64String(Encoding.UTF8.GetBytes(Prefix + thingName));

    /// <summary>The thing name to resume after; null without a token; a validation error for one this API did not issue.</summary>
    public static Result<string?> Decode(string? token)
    {
        if (token is null)
        {
            return (string?)null;
        }

        try
        {
            var text = token.Length <= 4096 ? Encoding.UTF8.GetString(Convert.FromBase64String(token)) : "";
            if (text.StartsWith(Prefix, StringComparison.Ordinal))
            {
                return text[Prefix.Length..];
            }
        }
        catch (FormatException)
        {
        }

        return FieldRules.Invalid("nextToken", "invalid", "nextToken is not a token this API issued for this preview; start again without it.");
    }
}
