using JobsFunctions.Configuration;

namespace JobsFunctions.Tests.Configuration;

public sealed class AuditRetentionSettingsTests
{
    private static Func<string, string?> Environment(string? days) =>
        name => name == "AUDIT_RETENTION_DAYS" ? days : null;

    [Fact]
    public void Unset_means_the_templates_default_of_365_days() =>
        Assert.Equal(TimeSpan.FromDays(365), FunctionSettings.AuditRetention(Environment(null)));

    [Fact]
    public void Zero_keeps_entries_forever() =>
        Assert.Null(FunctionSettings.AuditRetention(Environment("0")));

    [Fact]
    public void A_number_of_days_is_that_many_whole_days() =>
        Assert.Equal(TimeSpan.FromDays(30), FunctionSettings.AuditRetention(Environment("30")));

    [Theory]
    [InlineData("-1")]
    [InlineData("3651")]
    [InlineData("1.5")]
    [InlineData("a year")]
    public void A_value_out_of_range_or_not_a_whole_number_fails_the_cold_start_naming_the_variable(string value)
    {
        var failure = Assert.Throws<ConfigurationException>(() => FunctionSettings.AuditRetention(Environment(value)));

        Assert.Equal($"AUDIT_RETENTION_DAYS is '{value}': it must be a whole number from 0 to 3650.", failure.Message);
    }
}
