using System.Text.Json.Nodes;
using JobsFunctions.Domain.Policies;
using JobsFunctions.Policies;

namespace JobsFunctions.Tests.Policies;

public sealed class PolicyJsonTests
{
    private const string IssueExample = """
        {
          "dryRun": false,
          "abortConfig": { "criteriaList": [ {
              "failureType": "FAILED", "action": "CANCEL", "force": false,
              "thresholdPercentage": 10.0, "minNumberOfExecutedThings": 50,
              "thresholdCount": 25, "windowInMinutes": 15, "consecutiveFailures": 5 } ] },
          "timeoutConfig": {
              "queuedTimeoutInMinutes": 1440, "inProgressTimeoutInMinutes": 120,
              "noProgressTimeoutInMinutes": 30, "action": "CANCEL" }
        }
        """;

    [Fact]
    public void The_documented_example_parses_into_the_policy_it_describes()
    {
        var policy = PolicyJson.Parse(IssueExample).Value;

        Assert.Equal(new AbortCriterion(FailureType.Failed, false, 10.0m, 50, 25, 15, 5), Assert.Single(policy.AbortCriteria));
        Assert.Equal(new PolicyTimeouts(1440, 120, 30, TimeoutAction.Cancel), policy.Timeouts);
    }

    [Fact]
    public void A_printed_policy_parses_back_to_the_same_policy_and_leaves_absent_members_out()
    {
        var policy = PolicyJson.Parse("""{"dryRun":true,"abortConfig":{"criteriaList":[{"failureType":"ALL","action":"CANCEL","consecutiveFailures":3}]}}""").Value;

        var printed = PolicyJson.Print(policy);
        var again = PolicyJson.Parse(printed).Value;

        Assert.Equal(policy.AbortCriteria, again.AbortCriteria);
        Assert.True(again.DryRun);
        var criterion = JsonNode.Parse(printed)!["abortConfig"]!["criteriaList"]![0]!.AsObject();
        Assert.Equal(["failureType", "action", "force", "consecutiveFailures"], criterion.Select(member => member.Key));
        Assert.Null(JsonNode.Parse(printed)!["timeoutConfig"]);
    }

    [Theory]
    [InlineData("""{"abortConfig":{"criteriaList":[{"failureType":"FAILED","action":"CANCEL","thresholdPercentge":5}]}}""",
        "abortConfig.criteriaList[0].thresholdPercentge", "validation.body.unknownField")]
    [InlineData("""{"dryRun":true,"dryRun":false,"timeoutConfig":{"queuedTimeoutInMinutes":5,"action":"CANCEL"}}""",
        "dryRun", "validation.body.duplicateField")]
    [InlineData("""{"dryRun":"yes"}""", "dryRun", "validation.body.type")]
    [InlineData("""{"timeoutConfig":{"queuedTimeoutInMinutes":1.5,"action":"CANCEL"}}""", "timeoutConfig.queuedTimeoutInMinutes", "validation.body.type")]
    [InlineData("""{"abortConfig":{"criteriaList":{}}}""", "abortConfig.criteriaList", "validation.body.type")]
    [InlineData("""{"abortConfig":{"criteriaList":[{"failureType":"FAILED","action":"CANCEL","thresholdPercentage":10.555,"minNumberOfExecutedThings":1}]}}""",
        "abortConfig.criteriaList[0].thresholdPercentage", "validation.abortConfig.criteriaList.thresholdPercentage.decimals")]
    public void A_malformed_document_is_refused_naming_the_field(string json, string field, string code)
    {
        var error = PolicyJson.Parse(json).Error;

        Assert.NotNull(error);
        Assert.Equal((field, code), (error.Field, error.Code));
    }

    [Fact]
    public void Text_that_is_not_JSON_is_refused_as_malformed() =>
        Assert.Equal("validation.body.malformed", PolicyJson.Parse("{\"dryRun\":").Error?.Code);
}
