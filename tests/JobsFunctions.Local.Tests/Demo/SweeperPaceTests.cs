using JobsFunctions.Local.Demo;
using JobsFunctions.Local.Runtime;

namespace JobsFunctions.Local.Tests.Demo;

/// <summary>The sweeper's IoT pace in a fleet run: the template's calls per second, per second of the emulator's clock.</summary>
public sealed class SweeperPaceTests
{
    [Theory]
    [InlineData("5", 600, "3000")]
    [InlineData("2.5", 10, "25")]
    [InlineData("5", 1, "5")]
    public void The_template_s_rate_is_multiplied_by_how_much_faster_the_clock_runs(string templateTps, double speed, string expected)
    {
        var paced = FleetServices.PacedForTheClock(Sweeper(new() { ["IOT_CONTROL_TPS"] = templateTps, ["TABLE_NAME"] = "records" }), speed);

        Assert.Equal(expected, paced.Environment["IOT_CONTROL_TPS"]);
        Assert.Equal("records", paced.Environment["TABLE_NAME"]);
    }

    [Fact]
    public void Without_a_rate_in_the_template_the_product_s_default_is_the_one_multiplied()
    {
        var paced = FleetServices.PacedForTheClock(Sweeper([]), 600);

        Assert.Equal("3000", paced.Environment["IOT_CONTROL_TPS"]);
    }

    private static FunctionDefinition Sweeper(Dictionary<string, string> environment) =>
        new("SweeperFunction", "artifacts/bootstrap", "sweeper", environment, TimeSpan.FromSeconds(60), 256, "JSON");
}
