using JobsFunctions.Local.Rules;

namespace JobsFunctions.Local.Tests.Rules;

public sealed class TopicFilterTests
{
    [Theory]
    [InlineData("$aws/events/jobExecution/+/+", "$aws/events/jobExecution/job-1/succeeded", true)]
    [InlineData("$aws/events/jobExecution/+/+", "$aws/events/jobExecution/job-1", false)]
    [InlineData("$aws/events/jobExecution/+/+", "$aws/events/jobExecution/job-1/succeeded/extra", false)]
    [InlineData("$aws/events/jobExecution/+/+", "$aws/events/job/job-1/completed", false)]
    [InlineData("$aws/events/job/+/+", "$aws/events/job/job-1/completed", true)]
    [InlineData("$aws/events/job/+/+", "$aws/events/Job/job-1/completed", false)]
    [InlineData("$aws/events/#", "$aws/events/job/job-1/completed", true)]
    [InlineData("$aws/events/#", "$aws/events", true)]
    [InlineData("sensors/+/temperature", "sensors//temperature", true)]
    [InlineData("#", "$aws/events/job/job-1/completed", false)]
    [InlineData("+/events/job/+/+", "$aws/events/job/job-1/completed", false)]
    [InlineData("#", "sensors/1", true)]
    public void A_topic_matches_a_filter_level_by_level_as_MQTT_says(string filter, string topic, bool matches)
    {
        var parsed = TopicFilter.TryParse(filter, out var problem);

        Assert.Null(problem);
        Assert.Equal(matches, parsed!.Matches(topic));
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("sensors/#/temperature", "'#' must be alone in the last level")]
    [InlineData("sensors/a#", "'#' must be alone in the last level")]
    [InlineData("sensors/a+/temperature", "'+' must be alone in its level")]
    public void A_filter_with_a_misplaced_wildcard_is_refused_saying_why(string filter, string reason)
    {
        Assert.Null(TopicFilter.TryParse(filter, out var problem));
        Assert.Contains(reason, problem);
    }
}
