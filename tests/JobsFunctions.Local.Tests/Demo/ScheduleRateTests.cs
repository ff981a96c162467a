using JobsFunctions.Local.Demo;
using JobsFunctions.Local.Stack;
using JobsFunctions.TestSupport;

namespace JobsFunctions.Local.Tests.Demo;

public sealed class ScheduleRateTests
{
    [Theory]
    [InlineData("rate(1 minute)", 60)]
    [InlineData("rate(5 minutes)", 300)]
    [InlineData("rate(2 hours)", 7200)]
    [InlineData("rate(1 day)", 86400)]
    public void A_rate_expression_is_the_time_between_two_runs(string expression, int seconds)
    {
        Assert.Equal(TimeSpan.FromSeconds(seconds), ScheduleRate.Parse(expression));
    }

    [Theory]
    [InlineData("cron(0 12 * * ? *)", "not a rate expression")]
    [InlineData("rate(1 minutes)", "not a valid rate")]
    [InlineData("rate(5 minute)", "not a valid rate")]
    [InlineData("rate(0 minutes)", "not a valid rate")]
    public void Anything_but_a_valid_rate_is_refused_saying_why(string expression, string reason)
    {
        var error = Assert.Throws<LocalStackException>(() => ScheduleRate.Parse(expression));

        Assert.Contains(reason, error.Message);
    }

    [Fact]
    public void The_sweepers_schedule_is_read_from_the_template_through_its_parameter()
    {
        var template = StackTemplate.Load(RepositoryPaths.Template);

        var schedule = template.FunctionSchedule(template.FunctionWithHandler("sweeper")!);

        Assert.Equal("rate(1 minute)", schedule);
        Assert.Equal(TimeSpan.FromMinutes(1), ScheduleRate.Parse(schedule!));
        Assert.Null(template.FunctionSchedule(template.FunctionWithHandler("recorder")!));
    }
}
