using JobsFunctions.Domain.Errors;
using JobsFunctions.Domain.Validation;

namespace JobsFunctions.Domain.Tests.Validation;

public sealed class IdentifiersTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(64)]
    public void A_job_id_of_1_to_64_characters_is_accepted(int length) =>
        Assert.Null(Identifiers.CheckJobId(new string('a', length)));

    [Fact]
    public void A_job_id_of_65_characters_is_too_long()
    {
        var error = Identifiers.CheckJobId(new string('a', 65));

        Assert.NotNull(error);
        Assert.Equal(ErrorKind.Validation, error.Kind);
        Assert.Equal("validation.jobId.tooLong", error.Code);
        Assert.Equal("jobId", error.Field);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void A_missing_job_id_is_required(string? value) =>
        Assert.Equal("validation.jobId.required", Identifiers.CheckJobId(value)?.Code);

    [Theory]
    [InlineData("fw_2025-03")]
    [InlineData("ABC-xyz_0123456789")]
    [InlineData("-")]
    public void Job_ids_of_letters_digits_underscore_and_hyphen_are_accepted(string value)
    {
        Assert.Null(Identifiers.CheckJobId(value));
        Assert.True(Identifiers.IsJobId(value));
    }

    [Theory]
    [InlineData("fw:2025")]
    [InlineData("fw 2025")]
    [InlineData("fw/2025")]
    [InlineData("fw.2025")]
    [InlineData("firmwäre")]
    [InlineData("fw\n")]
    [InlineData("ｆｗ")]
    public void A_job_id_with_any_other_character_breaks_the_pattern(string value)
    {
        Assert.Equal("validation.jobId.pattern", Identifiers.CheckJobId(value)?.Code);
        Assert.False(Identifiers.IsJobId(value));
    }

    [Fact]
    public void The_error_names_the_field_it_was_asked_about()
    {
        var error = Identifiers.CheckJobId("a b", "path.jobId");

        Assert.Equal("validation.path.jobId.pattern", error?.Code);
        Assert.Equal("path.jobId", error?.Field);
    }

    [Theory]
    [InlineData("sensor:42")]
    [InlineData(":")]
    [InlineData("a")]
    public void A_thing_name_may_contain_colons(string value)
    {
        Assert.Null(Identifiers.CheckThingName(value));
        Assert.True(Identifiers.IsThingName(value));
    }

    [Fact]
    public void A_thing_name_of_128_characters_is_accepted_and_129_is_too_long()
    {
        Assert.Null(Identifiers.CheckThingName(new string(':', 128)));
        Assert.Equal("validation.thingName.tooLong", Identifiers.CheckThingName(new string(':', 129))?.Code);
    }

    [Theory]
    [InlineData(null, "required")]
    [InlineData("", "required")]
    [InlineData("sensor/42", "pattern")]
    [InlineData("sensor 42", "pattern")]
    [InlineData("arn:aws:iot:eu-west-1:111122223333:thing/sensor", "pattern")]
    public void A_thing_name_must_be_present_and_match_its_pattern(string? value, string rule)
    {
        Assert.Equal($"validation.thingName.{rule}", Identifiers.CheckThingName(value)?.Code);
        Assert.False(Identifiers.IsThingName(value));
    }

    [Fact]
    public void A_namespace_id_has_no_length_limit()
    {
        Assert.Null(Identifiers.CheckNamespaceId("a"));
        Assert.Null(Identifiers.CheckNamespaceId(new string('n', 10_000)));
    }

    [Theory]
    [InlineData(null, "required")]
    [InlineData("", "required")]
    [InlineData("ns:1", "pattern")]
    [InlineData("ns 1", "pattern")]
    public void A_namespace_id_must_be_present_and_has_no_colon(string? value, string rule) =>
        Assert.Equal($"validation.namespaceId.{rule}", Identifiers.CheckNamespaceId(value)?.Code);
}
