using JobsFunctions.Local.Runtime;
using JobsFunctions.Local.Soak;

namespace JobsFunctions.Local.Tests.Soak;

public sealed class SweepRunLinesTests
{
    private const string Report = """{"level":"WARN","message":"sweep jobsFailed","outcome":"jobsFailed","_aws":{"Timestamp":1,"CloudWatchMetrics":[]},"IotCalls":7,"Throttles":2,"JobErrors":1}""";

    [Fact]
    public async Task A_runs_report_carries_its_metrics_and_the_jobs_its_ERROR_lines_named_before_it()
    {
        var lines = new SweepRunLines();
        var run = lines.StartRun();

        lines.Observe(Line("""{"level":"ERROR","message":"sweep could not sweep a job","jobId":"j1","errorCode":"aws.AccessDeniedException"}"""));
        lines.Observe(Line("""{"level":"ERROR","message":"sweep could not read a list of jobs","errorCode":"aws.InternalFailure"}"""));
        lines.Observe(Line("""{"level":"INFO","message":"something else","jobId":"j2"}"""));
        lines.Observe(Line(Report));

        var log = await run;
        Assert.Equal("jobsFailed", log.Outcome);
        Assert.Equal((7, 2, 1), (log.Metric("IotCalls"), log.Metric("Throttles"), log.Metric("JobErrors")));
        Assert.False(log.Has("EventsCheckFailed"));
        Assert.Equal(new Dictionary<string, string?> { ["j1"] = "aws.AccessDeniedException" }, log.ErrorJobs);
    }

    [Fact]
    public async Task The_next_run_starts_with_none_of_the_last_runs_errors_and_ignores_what_is_not_a_JSON_line()
    {
        var lines = new SweepRunLines();
        var first = lines.StartRun();
        lines.Observe(Line("""{"level":"ERROR","jobId":"j1","errorCode":"x"}"""));
        lines.Observe(Line(Report));
        await first;

        var second = lines.StartRun();
        lines.Observe(Line("not json {"));
        lines.Observe(new FunctionOutput("sweeper", IsStandardError: true, """{"level":"ERROR","jobId":"j9"}"""));
        lines.Observe(Line("{ broken"));
        Assert.False(second.IsCompleted);
        lines.Observe(Line(Report));

        Assert.Empty((await second).ErrorJobs);
    }

    private static FunctionOutput Line(string text) => new("sweeper", IsStandardError: false, text);
}
