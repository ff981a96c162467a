using System.Buffers;
using System.Globalization;
using System.Text;

namespace JobsFunctions.Domain.Validation;

/// <summary>
/// The product's one check of the IoT model's free-text pattern <c>[^\p{C}]+</c>
/// (https://docs.aws.amazon.com/iot/latest/apireference/API_iot-jobs-data_UpdateJobExecution.html): whether text holds
/// a code point of Unicode general category C, which is what Java's <c>\p{C}</c> matches: control (Cc), format (Cf),
/// surrogate (Cs, so any unpaired surrogate), private use (Co) and unassigned (Cn).
/// </summary>
public static class UnicodeText
{
    /// <summary>True when <paramref name="text"/> holds a code point of category C (the model's pattern refuses it).</summary>
    public static bool HasOtherCategory(string text) => Find(text, alsoLineBreaks: false);

    /// <summary>
    /// True when <paramref name="text"/> passes the model's pattern and also holds no line or paragraph separator (Zl,
    /// Zp): one line fit to show an operator or write to an audit trail as it is.
    /// </summary>
    public static bool IsOnePrintableLine(string text) => !Find(text, alsoLineBreaks: true);

    private static bool Find(string text, bool alsoLineBreaks)
    {
        ArgumentNullException.ThrowIfNull(text);
        var remaining = text.AsSpan();
        while (!remaining.IsEmpty)
        {
            if (Rune.DecodeFromUtf16(remaining, out var rune, out var consumed) != OperationStatus.Done)
            {
                return true; // an unpaired surrogate is category Cs
            }

            var category = Rune.GetUnicodeCategory(rune);
            if (category is UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.Surrogate
                    or UnicodeCategory.PrivateUse or UnicodeCategory.OtherNotAssigned
                || (alsoLineBreaks && category is UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator))
            {
                return true;
            }

            remaining = remaining[consumed..];
        }

        return false;
    }
}
