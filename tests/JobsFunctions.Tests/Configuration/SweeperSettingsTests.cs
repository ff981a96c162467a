using JobsFunctions.Configuration;
using JobsFunctions.Domain.Policies;

namespace JobsFunctions.Tests.Configuration;

public sealed class SweeperSettingsTests
{
    private static Func<string, string?> Environment(params (string Name, string Value)[] variables) =>
        name => variables.FirstOrDefault(variable => variable.Name == name).Value;

    [Fact]
    public void Without_settings_there_is_no_default_policy_and_a_40_second_budget()
    {
        var settings = FunctionSettings.Sweeper(Environment());

        Assert.Equal(new SweeperSettings(null, TimeSpan.FromSeconds(40)), settings);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void An_empty_default_policy_means_none(string value) =>
        Assert.Null(FunctionSettings.Sweeper(Environment(("DEFAULT_POLICY", value))).DefaultPolicy);

    [Fact]
    public void A_default_policy_document_is_parsed_at_cold_start()
    {
        var settings = FunctionSettings.Sweeper(Environment(
            ("DEFAULT_POLICY", """{"dryRun":true,"timeoutConfig":{"queuedTimeoutInMinutes":1440,"action":"FAIL"}}"""),
            ("SWEEP_BUDGET_SECONDS", "20")));

        Assert.True(settings.DefaultPolicy?.DryRun);
        Assert.Equal(new PolicyTimeouts(QueuedTimeoutInMinutes: 1440, Action: TimeoutAction.Fail), settings.DefaultPolicy?.Timeouts);
        Assert.Equal(TimeSpan.FromSeconds(20), settings.Budget);
    }

    [Theory]
    [InlineData("""{"timeoutConfig":{"queuedTimeoutInMinutes":0,"action":"CANCEL"}}""", "timeoutConfig.queuedTimeoutInMinutes")]
    [InlineData("""{"timeoutConfig":{"queuedTimeout":5,"action":"CANCEL"}}""", "timeoutConfig.queuedTimeout")]
    [InlineData("""{"timeoutConfig":""", "not valid JSON")]
    public void A_bad_default_policy_fails_the_cold_start_naming_the_variable_and_the_field(string value, string named)
    {
        var failure = Assert.Throws<ConfigurationException>(() => FunctionSettings.Sweeper(Environment(("DEFAULT_POLICY", value))));

        Assert.StartsWith("DEFAULT_POLICY is not a valid policy document", failure.Message, StringComparison.Ordinal);
        Assert.Contains(named, failure.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("841")]
    [InlineData("soon")]
    public void A_budget_out_of_range_fails_the_cold_start_naming_the_variable(string value) =>
        Assert.StartsWith("SWEEP_BUDGET_SECONDS is",
            Assert.Throws<ConfigurationException>(() => FunctionSettings.Sweeper(Environment(("SWEEP_BUDGET_SECONDS", value)))).Message,
            StringComparison.Ordinal);
}
