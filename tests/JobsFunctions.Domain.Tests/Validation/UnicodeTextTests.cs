using JobsFunctions.Domain.Validation;

namespace JobsFunctions.Domain.Tests.Validation;

public sealed class UnicodeTextTests
{
    [Theory]
    [InlineData("wave 2 of 3")]
    [InlineData("checksum ✓ — 42 °C, ünïcödé, 日本語")]
    [InlineData("emoji 🚀 outside the BMP")]
    [InlineData("line\u2028separator")]
    public void Printable_text_has_no_character_of_category_C(string text) =>
        Assert.False(UnicodeText.HasOtherCategory(text));

    [Theory]
    [InlineData("tab\there")]
    [InlineData("new\nline")]
    [InlineData("nul\0")]
    [InlineData("zero\u200Bwidth")]
    [InlineData("private\uE000use")]
    [InlineData("unassigned\u0378")]
    public void Control_format_private_use_and_unassigned_characters_are_category_C(string text) =>
        Assert.True(UnicodeText.HasOtherCategory(text));

    [Fact]
    public void An_unpaired_surrogate_is_category_Cs()
    {
        // Built from chars: attribute arguments cannot carry an unpaired surrogate (it becomes U+FFFD).
        Assert.True(UnicodeText.HasOtherCategory(string.Concat("unpaired ", ((char)0xD800).ToString(), " surrogate")));
        Assert.True(UnicodeText.HasOtherCategory(string.Concat("trailing ", ((char)0xDC00).ToString())));
        Assert.False(UnicodeText.HasOtherCategory(string.Concat("paired ", ((char)0xD83D).ToString(), ((char)0xDE80).ToString())));
    }

    [Theory]
    [InlineData("line\u2028separator")]
    [InlineData("paragraph\u2029separator")]
    [InlineData("new\nline")]
    public void One_printable_line_also_refuses_line_and_paragraph_separators(string text) =>
        Assert.False(UnicodeText.IsOnePrintableLine(text));

    [Fact]
    public void A_plain_sentence_is_one_printable_line() =>
        Assert.True(UnicodeText.IsOnePrintableLine("Job fw-2026-11 is in progress: 🚀"));
}
