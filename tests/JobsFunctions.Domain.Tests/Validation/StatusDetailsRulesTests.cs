using JobsFunctions.Domain.Errors;
using JobsFunctions.Domain.Validation;

namespace JobsFunctions.Domain.Tests.Validation;

public sealed class StatusDetailsRulesTests
{
    [Fact]
    public void No_details_and_empty_details_are_both_fine()
    {
        Assert.Null(StatusDetailsRules.Check(null));
        Assert.Null(StatusDetailsRules.Check(new Dictionary<string, string>()));
    }

    [Fact]
    public void Ten_pairs_are_accepted_and_eleven_are_too_many()
    {
        Assert.Null(StatusDetailsRules.Check(Pairs(10)));

        var error = StatusDetailsRules.Check(Pairs(11));

        Assert.NotNull(error);
        Assert.Equal(ErrorKind.Validation, error.Kind);
        Assert.Equal("validation.statusDetails.tooMany", error.Code);
        Assert.Equal("statusDetails", error.Field);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(128)]
    public void A_key_of_1_to_128_characters_is_accepted(int length) =>
        Assert.Null(StatusDetailsRules.Check(One(new string('k', length), "v")));

    [Fact]
    public void A_key_of_129_characters_is_rejected()
    {
        var key = new string('k', 129);

        var error = StatusDetailsRules.Check(One(key, "v"));

        Assert.Equal("validation.statusDetails.key", error?.Code);
        Assert.DoesNotContain(key, error?.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("step:1")]
    [InlineData("A_b-9")]
    public void A_key_may_hold_letters_digits_colon_underscore_and_hyphen(string key) =>
        Assert.Null(StatusDetailsRules.Check(One(key, "v")));

    [Theory]
    [InlineData("")]
    [InlineData("step 1")]
    [InlineData("step.1")]
    [InlineData("step/1")]
    [InlineData("schritt-ü")]
    public void A_key_outside_the_pattern_is_rejected_and_named(string key)
    {
        var error = StatusDetailsRules.Check(One(key, "v"));

        Assert.Equal("validation.statusDetails.key", error?.Code);
        Assert.StartsWith("statusDetails.", error?.Field, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(1024)]
    public void A_value_of_1_to_1024_characters_is_accepted(int length) =>
        Assert.Null(StatusDetailsRules.Check(One("step", new string('v', length))));

    [Theory]
    [InlineData(0)]
    [InlineData(1025)]
    public void An_empty_value_or_one_of_1025_characters_is_rejected(int length)
    {
        var error = StatusDetailsRules.Check(One("step", new string('v', length)));

        Assert.Equal("validation.statusDetails.value", error?.Code);
        Assert.Equal("statusDetails.step", error?.Field);
    }

    [Theory]
    [InlineData("line\nbreak")]
    [InlineData("tab\there")]
    [InlineData("nul\0")]
    [InlineData("del\u007F")]
    [InlineData("next\u0085line")]
    [InlineData("zero\u200Bwidth")]
    [InlineData("\uFEFFbom")]
    [InlineData("rtl\u202Eoverride")]
    [InlineData("private\uE000use")]
    [InlineData("unassigned\u0378")]
    public void A_value_with_a_control_format_private_use_or_unassigned_character_is_rejected(string value) =>
        Assert.Equal("validation.statusDetails.value", StatusDetailsRules.Check(One("step", value))?.Code);

    // Written out here rather than as theory data: the test runner's serialization turns a lone surrogate into U+FFFD.
    [Fact]
    public void A_value_with_an_unpaired_surrogate_is_rejected()
    {
        string[] values = ["lone \uD83D high surrogate", "lone \uDE80 low surrogate", "swapped \uDE80\uD83D pair", "ends on a high \uD83D"];

        Assert.All(values, value => Assert.Equal("validation.statusDetails.value", StatusDetailsRules.Check(One("step", value))?.Code));
    }

    [Theory]
    [InlineData("🚀 deployed")]
    [InlineData("ok 👍🏽")]
    [InlineData("Grüße, 世界")]
    [InlineData("50 % · done — ✓")]
    [InlineData(" leading and trailing spaces ")]
    public void A_value_of_printable_text_including_emoji_is_accepted(string value) =>
        Assert.Null(StatusDetailsRules.Check(One("step", value)));

    [Fact]
    public void A_value_of_512_emoji_is_1024_characters_and_accepted_but_one_more_character_is_not()
    {
        var emoji = string.Concat(Enumerable.Repeat("🚀", 512));

        Assert.Null(StatusDetailsRules.Check(One("step", emoji)));
        Assert.Equal("validation.statusDetails.value", StatusDetailsRules.Check(One("step", emoji + "!"))?.Code);
    }

    [Fact]
    public void The_first_bad_pair_in_key_order_is_reported_under_the_field_asked_about()
    {
        var details = new Dictionary<string, string> { ["zeta"] = "\n", ["alpha"] = "\t", ["mid"] = "ok" };

        var error = StatusDetailsRules.Check(details, "body.statusDetails");

        Assert.Equal("validation.body.statusDetails.value", error?.Code);
        Assert.Equal("body.statusDetails.alpha", error?.Field);
    }

    private static Dictionary<string, string> One(string key, string value) => new() { [key] = value };

    private static Dictionary<string, string> Pairs(int count) =>
        Enumerable.Range(0, count).ToDictionary(i => $"key-{i}", i => $"value {i}");
}
