using JobsFunctions.Local.Demo;
using JobsFunctions.Local.Runtime;

namespace JobsFunctions.Local.Tests.Demo;

public sealed class SweeperTallyTests
{
    [Fact]
    public void Each_runs_metrics_are_summed_and_other_lines_ignored()
    {
        var tally = new SweeperTally();

        tally.Observe(Line("""{"_aws":{"Timestamp":1},"message":"sweep finished","Actions":2,"Skips":1,"ReconciledChanges":7,"IotCalls":4}"""));
        tally.Observe(Line("""{"_aws":{"Timestamp":2},"message":"sweep finished","Actions":1,"Skips":0,"ReconciledChanges":0,"IotCalls":3}"""));
        tally.Observe(Line("""{"level":"INFO","message":"acted","jobId":"j"}"""));
        tally.Observe(Line("not json"));
        tally.Observe(new FunctionOutput("sweeper", IsStandardError: true, """{"_aws":{},"Actions":100}"""));

        Assert.Equal(2, tally.Runs);
        Assert.Equal(3, tally.Totals["Actions"]);
        Assert.Equal(1, tally.Totals["Skips"]);
        Assert.Equal(7, tally.Totals["ReconciledChanges"]);
        Assert.Equal(7, tally.Totals["IotCalls"]);
    }

    private static FunctionOutput Line(string text) => new("sweeper", IsStandardError: false, text);
}
