using JobsFunctions.Domain.Policies;

namespace JobsFunctions.Domain.Tests.Policies;

public sealed class PolicyRulesTests
{
    private static PolicyAbortCriterion Percentage => new("FAILED", "CANCEL", ThresholdPercentage: 10m, MinNumberOfExecutedThings: 50);

    private static PolicyDocument WithCriterion(PolicyAbortCriterion criterion) => new(AbortConfig: new PolicyAbortConfig([criterion]));

    private static PolicyDocument WithTimeouts(PolicyTimeoutConfig timeouts) => new(TimeoutConfig: timeouts);

    private static void AssertValid(PolicyDocument document) => Assert.Null(PolicyRules.Check(document));

    private static void AssertInvalid(PolicyDocument document, string field, string rule)
    {
        var error = PolicyRules.Check(document);
        Assert.NotNull(error);
        Assert.Equal((field, $"validation.{field.Replace("[0]", "", StringComparison.Ordinal).Replace("[1]", "", StringComparison.Ordinal)}.{rule}"),
            (error.Field, error.Code));
        Assert.False(PolicyRules.ToPolicy(document).IsSuccess);
    }

    [Fact]
    public void The_issue_example_is_valid_and_becomes_the_policy_it_describes()
    {
        var document = new PolicyDocument(
            false,
            new PolicyAbortConfig([new PolicyAbortCriterion("FAILED", "CANCEL", false, 10.0m, 50, 25, 15, 5)]),
            new PolicyTimeoutConfig(1440, 120, 30, "FAIL"));

        var policy = PolicyRules.ToPolicy(document).Value;

        Assert.False(policy.DryRun);
        Assert.Equal(new AbortCriterion(FailureType.Failed, false, 10.0m, 50, 25, 15, 5), Assert.Single(policy.AbortCriteria));
        Assert.Equal(new PolicyTimeouts(1440, 120, 30, TimeoutAction.Fail), policy.Timeouts);
    }

    [Fact]
    public void A_policy_written_back_as_a_document_reads_as_the_same_policy()
    {
        var policy = new JobPolicy(true,
            [new AbortCriterion(FailureType.TimedOut, true, ConsecutiveFailures: 3), new AbortCriterion(FailureType.All, ThresholdCount: 9, WindowInMinutes: 60)],
            new PolicyTimeouts(QueuedTimeoutInMinutes: 60, Action: TimeoutAction.Cancel));

        var document = PolicyDocument.Of(policy);
        var again = PolicyRules.ToPolicy(document).Value;

        Assert.Equal(policy.DryRun, again.DryRun);
        Assert.Equal(policy.AbortCriteria, again.AbortCriteria);
        Assert.Equal(policy.Timeouts, again.Timeouts);
        Assert.Equal("CANCEL", document.AbortConfig!.CriteriaList![0]!.Action);
    }

    [Fact]
    public void DryRun_defaults_to_false_and_force_to_false()
    {
        var policy = PolicyRules.ToPolicy(WithCriterion(Percentage)).Value;

        Assert.False(policy.DryRun);
        Assert.False(Assert.Single(policy.AbortCriteria).Force);
        Assert.Null(policy.Timeouts);
    }

    [Fact]
    public void An_empty_document_is_refused_because_it_would_never_act() =>
        AssertInvalid(new PolicyDocument(DryRun: true), "abortConfig", "required");

    [Fact]
    public void A_timeouts_only_policy_and_an_abort_only_policy_are_both_valid()
    {
        AssertValid(WithTimeouts(new PolicyTimeoutConfig(QueuedTimeoutInMinutes: 1, Action: "CANCEL")));
        AssertValid(WithCriterion(Percentage));
    }

    [Fact]
    public void The_criteria_list_is_required_and_holds_1_to_10_criteria()
    {
        AssertInvalid(new PolicyDocument(AbortConfig: new PolicyAbortConfig()), "abortConfig.criteriaList", "required");
        AssertInvalid(new PolicyDocument(AbortConfig: new PolicyAbortConfig([])), "abortConfig.criteriaList", "tooFew");
        AssertValid(new PolicyDocument(AbortConfig: new PolicyAbortConfig([.. Enumerable.Repeat(Percentage, 10)])));
        AssertInvalid(new PolicyDocument(AbortConfig: new PolicyAbortConfig([.. Enumerable.Repeat(Percentage, 11)])), "abortConfig.criteriaList", "tooMany");
    }

    [Fact]
    public void A_null_criterion_is_named_by_its_index() =>
        AssertInvalid(new PolicyDocument(AbortConfig: new PolicyAbortConfig([Percentage, null])), "abortConfig.criteriaList[1]", "required");

    [Theory]
    [InlineData("FAILED")]
    [InlineData("REJECTED")]
    [InlineData("TIMED_OUT")]
    [InlineData("ALL")]
    public void Each_AWS_failure_type_is_valid(string failureType) => AssertValid(WithCriterion(Percentage with { FailureType = failureType }));

    [Theory]
    [InlineData(null, "required")]
    [InlineData("failed", "invalid")]
    [InlineData("CANCELED", "invalid")]
    public void FailureType_is_required_and_spelt_as_AWS_does(string? failureType, string rule) =>
        AssertInvalid(WithCriterion(Percentage with { FailureType = failureType }), "abortConfig.criteriaList[0].failureType", rule);

    [Theory]
    [InlineData(null, "required")]
    [InlineData("FAIL", "invalid")]
    [InlineData("cancel", "invalid")]
    public void The_abort_action_is_required_and_only_CANCEL(string? action, string rule) =>
        AssertInvalid(WithCriterion(Percentage with { Action = action }), "abortConfig.criteriaList[0].action", rule);

    [Theory]
    [InlineData("0", "tooSmall")]
    [InlineData("0.009", "tooSmall")]
    [InlineData("-1", "tooSmall")]
    [InlineData("100.01", "tooLarge")]
    [InlineData("10.555", "decimals")]
    public void ThresholdPercentage_is_above_0_at_most_100_with_two_decimals(string value, string rule) =>
        AssertInvalid(WithCriterion(Percentage with { ThresholdPercentage = decimal.Parse(value, System.Globalization.CultureInfo.InvariantCulture) }),
            "abortConfig.criteriaList[0].thresholdPercentage", rule);

    [Theory]
    [InlineData("0.01")]
    [InlineData("8.57")]
    [InlineData("100")]
    public void ThresholdPercentage_at_its_bounds_is_valid(string value) =>
        AssertValid(WithCriterion(Percentage with { ThresholdPercentage = decimal.Parse(value, System.Globalization.CultureInfo.InvariantCulture) }));

    [Fact]
    public void MinNumberOfExecutedThings_is_required_with_the_percentage_and_at_least_1()
    {
        AssertInvalid(WithCriterion(Percentage with { MinNumberOfExecutedThings = null }), "abortConfig.criteriaList[0].minNumberOfExecutedThings", "required");
        AssertInvalid(WithCriterion(Percentage with { MinNumberOfExecutedThings = 0 }), "abortConfig.criteriaList[0].minNumberOfExecutedThings", "tooSmall");
        AssertValid(WithCriterion(Percentage with { MinNumberOfExecutedThings = 1 }));
    }

    [Fact]
    public void MinNumberOfExecutedThings_may_hold_back_a_count_criterion_too()
    {
        AssertValid(WithCriterion(new PolicyAbortCriterion("FAILED", "CANCEL", ThresholdCount: 5, MinNumberOfExecutedThings: 10)));
        AssertInvalid(WithCriterion(new PolicyAbortCriterion("FAILED", "CANCEL", ThresholdCount: 5, MinNumberOfExecutedThings: 0)),
            "abortConfig.criteriaList[0].minNumberOfExecutedThings", "tooSmall");
    }

    [Fact]
    public void ThresholdCount_is_at_least_1()
    {
        var count = new PolicyAbortCriterion("FAILED", "CANCEL");
        AssertInvalid(WithCriterion(count with { ThresholdCount = 0 }), "abortConfig.criteriaList[0].thresholdCount", "tooSmall");
        AssertValid(WithCriterion(count with { ThresholdCount = 1 }));
        AssertValid(WithCriterion(count with { ThresholdCount = int.MaxValue }));
    }

    [Fact]
    public void WindowInMinutes_runs_from_1_to_10080()
    {
        var windowed = new PolicyAbortCriterion("ALL", "CANCEL", ThresholdCount: 5);
        AssertInvalid(WithCriterion(windowed with { WindowInMinutes = 0 }), "abortConfig.criteriaList[0].windowInMinutes", "tooSmall");
        AssertValid(WithCriterion(windowed with { WindowInMinutes = 1 }));
        AssertValid(WithCriterion(windowed with { WindowInMinutes = 10080 }));
        AssertInvalid(WithCriterion(windowed with { WindowInMinutes = 10081 }), "abortConfig.criteriaList[0].windowInMinutes", "tooLarge");
    }

    [Fact]
    public void ConsecutiveFailures_runs_from_1_to_1000()
    {
        var run = new PolicyAbortCriterion("REJECTED", "CANCEL");
        AssertInvalid(WithCriterion(run with { ConsecutiveFailures = 0 }), "abortConfig.criteriaList[0].consecutiveFailures", "tooSmall");
        AssertValid(WithCriterion(run with { ConsecutiveFailures = 1 }));
        AssertValid(WithCriterion(run with { ConsecutiveFailures = 1000 }));
        AssertInvalid(WithCriterion(run with { ConsecutiveFailures = 1001 }), "abortConfig.criteriaList[0].consecutiveFailures", "tooLarge");
    }

    [Fact]
    public void A_criterion_without_any_threshold_is_refused_even_with_a_window() =>
        AssertInvalid(WithCriterion(new PolicyAbortCriterion("FAILED", "CANCEL", Force: true, WindowInMinutes: 15)),
            "abortConfig.criteriaList[0]", "noThreshold");

    [Fact]
    public void The_second_criterion_is_named_by_its_own_index() =>
        AssertInvalid(new PolicyDocument(AbortConfig: new PolicyAbortConfig([Percentage, Percentage with { ThresholdPercentage = 101m }])),
            "abortConfig.criteriaList[1].thresholdPercentage", "tooLarge");

    [Theory]
    [InlineData("queuedTimeoutInMinutes")]
    [InlineData("inProgressTimeoutInMinutes")]
    [InlineData("noProgressTimeoutInMinutes")]
    public void Each_timeout_runs_from_1_to_10080_minutes(string member)
    {
        PolicyDocument With(int minutes) => WithTimeouts(member switch
        {
            "queuedTimeoutInMinutes" => new PolicyTimeoutConfig(QueuedTimeoutInMinutes: minutes, Action: "CANCEL"),
            "inProgressTimeoutInMinutes" => new PolicyTimeoutConfig(InProgressTimeoutInMinutes: minutes, Action: "CANCEL"),
            _ => new PolicyTimeoutConfig(NoProgressTimeoutInMinutes: minutes, Action: "CANCEL"),
        });

        AssertInvalid(With(0), $"timeoutConfig.{member}", "tooSmall");
        AssertValid(With(1));
        AssertValid(With(10080));
        AssertInvalid(With(10081), $"timeoutConfig.{member}", "tooLarge");
    }

    [Fact]
    public void A_timeout_config_sets_at_least_one_timeout() =>
        AssertInvalid(WithTimeouts(new PolicyTimeoutConfig(Action: "CANCEL")), "timeoutConfig", "noTimeout");

    [Theory]
    [InlineData(null, "required")]
    [InlineData("TIMED_OUT", "invalid")]
    [InlineData("fail", "invalid")]
    public void The_timeout_action_is_required_and_CANCEL_or_FAIL(string? action, string rule) =>
        AssertInvalid(WithTimeouts(new PolicyTimeoutConfig(QueuedTimeoutInMinutes: 5, Action: action)), "timeoutConfig.action", rule);

    [Fact]
    public void The_FAIL_timeout_action_becomes_Fail()
    {
        var policy = PolicyRules.ToPolicy(WithTimeouts(new PolicyTimeoutConfig(NoProgressTimeoutInMinutes: 30, Action: "FAIL"))).Value;

        Assert.Equal(TimeoutAction.Fail, policy.Timeouts?.Action);
    }
}
