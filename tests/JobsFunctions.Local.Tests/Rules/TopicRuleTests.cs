using JobsFunctions.Local.Rules;
using JobsFunctions.Local.Stack;
using JobsFunctions.TestSupport;

namespace JobsFunctions.Local.Tests.Rules;

public sealed class TopicRuleTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("topic-rules-").FullName;

    [Fact]
    public void The_templates_own_rules_send_job_and_job_execution_events_to_the_recorder()
    {
        var template = StackTemplate.Load(RepositoryPaths.Template);

        var rules = TopicRule.FromTemplate(template);

        Assert.Equal(["JobEventsRule", "JobExecutionEventsRule"], rules.Select(rule => rule.Name).Order(StringComparer.Ordinal));
        Assert.All(rules, rule => Assert.Equal("recorder", template.FunctionHandler(rule.FunctionLogicalId)));
        var execution = rules.Single(rule => rule.Name == "JobExecutionEventsRule");
        Assert.Equal("$aws/events/jobExecution/+/+", execution.Filter.Text);
        Assert.Equal("2016-03-23", execution.SqlVersion);
    }

    [Fact]
    public void A_rule_reads_its_filter_version_and_function_from_the_template()
    {
        var rules = TopicRule.FromTemplate(Template(Rule("select  *  from 'fleet/+/status'", "beta", "{ \"Fn::GetAtt\": [Handler, Arn] }")));

        var rule = Assert.Single(rules);
        Assert.Equal("Rule", rule.Name);
        Assert.Equal("fleet/+/status", rule.Filter.Text);
        Assert.Equal("beta", rule.SqlVersion);
        Assert.Equal("Handler", rule.FunctionLogicalId);
    }

    [Fact]
    public void A_disabled_rule_delivers_nothing()
    {
        Assert.Empty(TopicRule.FromTemplate(Template(Rule("SELECT * FROM 'a/b'", "2016-03-23", "!GetAtt Handler.Arn", disabled: true))));
    }

    [Theory]
    [InlineData("SELECT state FROM 'a/+'", "2016-03-23", "!GetAtt Handler.Arn", "is not SELECT * FROM '<topic filter>'")]
    [InlineData("SELECT * FROM 'a/+' WHERE status = 'FAILED'", "2016-03-23", "!GetAtt Handler.Arn", "is not SELECT * FROM '<topic filter>'")]
    [InlineData("SELECT * FROM 'a/#/b'", "2016-03-23", "!GetAtt Handler.Arn", "'#' must be alone in the last level")]
    [InlineData("SELECT * FROM 'a/+'", "2017-01-01", "!GetAtt Handler.Arn", "AwsIotSqlVersion '2017-01-01'")]
    [InlineData("SELECT * FROM 'a/+'", "2016-03-23", "!GetAtt Queue.Arn", "names Queue, which is not a function")]
    [InlineData("SELECT * FROM 'a/+'", "2016-03-23", "arn:aws:lambda:us-east-1:123456789012:function:x", "is not !GetAtt <function>.Arn")]
    public void A_rule_the_local_stack_cannot_play_faithfully_is_refused_naming_the_rule_and_the_reason(
        string sql, string version, string functionArn, string reason)
    {
        var error = Assert.Throws<LocalStackException>(() => TopicRule.FromTemplate(Template(Rule(sql, version, functionArn))));

        Assert.Contains("topic rule Rule cannot be played locally", error.Message);
        Assert.Contains(reason, error.Message);
    }

    [Fact]
    public void A_rule_with_an_action_besides_its_Lambda_action_is_refused()
    {
        var rule = Rule("SELECT * FROM 'a/+'", "2016-03-23", "!GetAtt Handler.Arn", otherAction: "- Republish: { Topic: copy, RoleArn: arn }");

        var error = Assert.Throws<LocalStackException>(() => TopicRule.FromTemplate(Template(rule)));

        Assert.Contains("exactly one action, a Lambda action", error.Message);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static string Rule(string sql, string version, string functionArn, bool disabled = false, string otherAction = "") => $"""
          Rule:
            Type: AWS::IoT::TopicRule
            Properties:
              TopicRulePayload:
                Sql: "{sql}"
                AwsIotSqlVersion: "{version}"
                RuleDisabled: {(disabled ? "true" : "false")}
                Actions:
                  - Lambda:
                      FunctionArn: {functionArn}
                  {otherAction}
        """;

    private StackTemplate Template(string rule)
    {
        var path = Path.Combine(_folder, "template.yaml");
        File.WriteAllText(path, $"""
            Resources:
              Queue:
                Type: AWS::SQS::Queue
              Handler:
                Type: AWS::Serverless::Function
                Properties:
                  Handler: handler
            {rule}
            """);
        return StackTemplate.Load(path);
    }
}
