using System.Globalization;
using JobsFunctions.Domain.Operations;

namespace JobsFunctions.Domain.Tests.Operations;

public sealed class UpdateJobValidationTests
{
    private static readonly UpdateJob Empty = new("fw-2026-11");

    private static AbortCriteria ValidAbort => new("FAILED", "CANCEL", 10m, 5);

    private static ExponentialRolloutRate ValidRate => new(10, 2m, new RateIncreaseCriteria(NumberOfNotifiedThings: 5));

    private static void AssertValid(UpdateJob command) => Assert.Null(UpdateJobRules.Check(command));

    private static void AssertInvalid(UpdateJob command, string field, string rule)
    {
        var error = UpdateJobRules.Check(command);
        Assert.NotNull(error);
        Assert.Equal(field, error.Field);
        Assert.Equal($"validation.{field.Replace("[0]", "", StringComparison.Ordinal).Replace("[1]", "", StringComparison.Ordinal)}.{rule}", error.Code);
    }

    private static decimal D(string text) => decimal.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);

    [Fact]
    public void A_job_id_alone_is_a_valid_update_as_it_is_for_AWS() => AssertValid(Empty);

    [Fact]
    public void A_fully_specified_update_is_valid() => AssertValid(Empty with
    {
        NamespaceId = "greengrass_ns-1",
        Description = "Firmware 2.4 — rollout wave 2 🚀",
        PresignedUrlConfig = new PresignedUrlConfig("arn:aws:iam::111122223333:role/JobsS3", 600),
        JobExecutionsRolloutConfig = new JobExecutionsRolloutConfig(100, ValidRate),
        AbortConfig = new AbortConfig([ValidAbort, new AbortCriteria("TIMED_OUT", "CANCEL", 99.99m, 1)]),
        TimeoutConfig = new TimeoutConfig(60),
        JobExecutionsRetryConfig = new JobExecutionsRetryConfig([new RetryCriteria("FAILED", 5), new RetryCriteria("TIMED_OUT", 5)]),
    });

    [Theory]
    [InlineData("", "required")]
    [InlineData("job with spaces", "pattern")]
    [InlineData("job.1", "pattern")]
    public void JobId_must_be_1_to_64_of_letters_digits_dash_and_underscore(string jobId, string rule) =>
        AssertInvalid(Empty with { JobId = jobId }, "jobId", rule);

    [Fact]
    public void JobId_of_64_characters_is_valid_and_65_is_too_long()
    {
        AssertValid(Empty with { JobId = new string('j', 64) });
        AssertInvalid(Empty with { JobId = new string('j', 65) }, "jobId", "tooLong");
    }

    [Theory]
    [InlineData("", "required")]
    [InlineData("ns:1", "pattern")]
    public void NamespaceId_when_given_must_match_its_pattern(string namespaceId, string rule) =>
        AssertInvalid(Empty with { NamespaceId = namespaceId }, "namespaceId", rule);

    [Fact]
    public void Description_may_be_2028_characters_but_not_2029_nor_empty()
    {
        AssertValid(Empty with { Description = new string('d', 2028) });
        AssertInvalid(Empty with { Description = new string('d', 2029) }, "description", "tooLong");
        AssertInvalid(Empty with { Description = "" }, "description", "tooShort");
    }

    [Theory]
    [InlineData("line\nbreak")]
    [InlineData("bell\u0007")]
    [InlineData("zero\u200Bwidth")]
    [InlineData("private\uE000use")]
    public void Description_rejects_any_character_of_unicode_category_other(string description) =>
        AssertInvalid(Empty with { Description = description }, "description", "pattern");

    [Fact]
    public void Description_rejects_an_unpaired_surrogate() =>
        AssertInvalid(Empty with { Description = "broken " + '\uD83D' + " emoji" }, "description", "pattern");

    [Fact]
    public void Description_accepts_emoji_because_the_pattern_is_checked_per_code_point() =>
        AssertValid(Empty with { Description = "done ✅ 🚀" });

    [Theory]
    [InlineData(19, "tooShort")]
    [InlineData(2049, "tooLong")]
    public void RoleArn_must_be_20_to_2048_characters(int length, string rule) =>
        AssertInvalid(Empty with { PresignedUrlConfig = new PresignedUrlConfig(new string('r', length)) }, "presignedUrlConfig.roleArn", rule);

    [Theory]
    [InlineData(20)]
    [InlineData(2048)]
    public void RoleArn_at_either_length_bound_is_valid(int length) =>
        AssertValid(Empty with { PresignedUrlConfig = new PresignedUrlConfig(new string('r', length)) });

    [Theory]
    [InlineData(59, "tooSmall")]
    [InlineData(3601, "tooLarge")]
    public void ExpiresInSec_must_be_60_to_3600(long seconds, string rule) =>
        AssertInvalid(Empty with { PresignedUrlConfig = new PresignedUrlConfig(ExpiresInSec: seconds) }, "presignedUrlConfig.expiresInSec", rule);

    [Theory]
    [InlineData(60)]
    [InlineData(3600)]
    public void ExpiresInSec_at_either_bound_is_valid(long seconds) =>
        AssertValid(Empty with { PresignedUrlConfig = new PresignedUrlConfig(ExpiresInSec: seconds) });

    [Fact]
    public void MaximumPerMinute_must_be_at_least_1() =>
        AssertInvalid(Empty with { JobExecutionsRolloutConfig = new JobExecutionsRolloutConfig(0) },
            "jobExecutionsRolloutConfig.maximumPerMinute", "tooSmall");

    /// <summary>
    /// The model sets no maximum: 1,000 a minute is the default of an adjustable quota, so an account that raised it
    /// must be able to roll out faster; AWS itself refuses what the account's quota does not allow.
    /// </summary>
    [Theory]
    [InlineData(1)]
    [InlineData(1000)]
    [InlineData(5000)]
    [InlineData(int.MaxValue)]
    public void MaximumPerMinute_has_no_maximum_of_ours(int perMinute) =>
        AssertValid(Empty with { JobExecutionsRolloutConfig = new JobExecutionsRolloutConfig(perMinute) });

    private static UpdateJob WithRate(ExponentialRolloutRate rate) =>
        Empty with { JobExecutionsRolloutConfig = new JobExecutionsRolloutConfig(ExponentialRate: rate) };

    private const string Rate = "jobExecutionsRolloutConfig.exponentialRate";

    [Theory]
    [InlineData(null, "required")]
    [InlineData(0, "tooSmall")]
    [InlineData(1001, "tooLarge")]
    public void BaseRatePerMinute_is_required_and_1_to_1000(int? perMinute, string rule) =>
        AssertInvalid(WithRate(ValidRate with { BaseRatePerMinute = perMinute }), $"{Rate}.baseRatePerMinute", rule);

    [Theory]
    [InlineData(1)]
    [InlineData(1000)]
    public void BaseRatePerMinute_at_either_bound_is_valid(int perMinute) =>
        AssertValid(WithRate(ValidRate with { BaseRatePerMinute = perMinute }));

    [Theory]
    [InlineData("1.0", "tooSmall")]
    [InlineData("1.09", "tooSmall")]
    [InlineData("5.1", "tooLarge")]
    [InlineData("1.55", "decimals")]
    [InlineData("4.99", "decimals")]
    [InlineData("2.0000000000000000000000001", "decimals")]
    public void IncrementFactor_is_1_1_to_5_with_at_most_one_decimal_place(string factor, string rule) =>
        AssertInvalid(WithRate(ValidRate with { IncrementFactor = D(factor) }), $"{Rate}.incrementFactor", rule);

    [Theory]
    [InlineData("1.1")]
    [InlineData("5")]
    [InlineData("5.0")]
    [InlineData("1.50")]
    [InlineData("3.7")]
    public void IncrementFactor_at_the_bounds_and_with_trailing_zeros_is_valid(string factor) =>
        AssertValid(WithRate(ValidRate with { IncrementFactor = D(factor) }));

    [Fact]
    public void IncrementFactor_is_required_in_an_exponential_rate() =>
        AssertInvalid(WithRate(ValidRate with { IncrementFactor = null }), $"{Rate}.incrementFactor", "required");

    [Fact]
    public void RateIncreaseCriteria_is_required_and_needs_at_least_one_member()
    {
        AssertInvalid(WithRate(ValidRate with { RateIncreaseCriteria = null }), $"{Rate}.rateIncreaseCriteria", "required");
        AssertInvalid(WithRate(ValidRate with { RateIncreaseCriteria = new RateIncreaseCriteria() }), $"{Rate}.rateIncreaseCriteria", "empty");
        AssertValid(WithRate(ValidRate with { RateIncreaseCriteria = new RateIncreaseCriteria(NumberOfSucceededThings: 1) }));
        AssertValid(WithRate(ValidRate with { RateIncreaseCriteria = new RateIncreaseCriteria(1, 1) }));
    }

    [Fact]
    public void Rate_increase_thresholds_must_be_at_least_1()
    {
        AssertInvalid(WithRate(ValidRate with { RateIncreaseCriteria = new RateIncreaseCriteria(NumberOfNotifiedThings: 0) }),
            $"{Rate}.rateIncreaseCriteria.numberOfNotifiedThings", "tooSmall");
        AssertInvalid(WithRate(ValidRate with { RateIncreaseCriteria = new RateIncreaseCriteria(NumberOfSucceededThings: 0) }),
            $"{Rate}.rateIncreaseCriteria.numberOfSucceededThings", "tooSmall");
    }

    private static UpdateJob WithAbort(params AbortCriteria?[] criteria) => Empty with { AbortConfig = new AbortConfig(criteria) };

    [Fact]
    public void AbortConfig_needs_a_criteria_list_of_at_least_one_item()
    {
        AssertInvalid(Empty with { AbortConfig = new AbortConfig() }, "abortConfig.criteriaList", "required");
        AssertInvalid(WithAbort(), "abortConfig.criteriaList", "tooFew");
        AssertInvalid(WithAbort([null]), "abortConfig.criteriaList[0]", "required");
    }

    [Theory]
    [InlineData("FAILED")]
    [InlineData("REJECTED")]
    [InlineData("TIMED_OUT")]
    [InlineData("ALL")]
    public void Abort_failure_types_are_the_four_AWS_knows(string failureType) =>
        AssertValid(WithAbort(ValidAbort with { FailureType = failureType }));

    [Theory]
    [InlineData(null, "required")]
    [InlineData("CANCELED", "invalid")]
    [InlineData("failed", "invalid")]
    public void Abort_failure_type_is_required_and_exact(string? failureType, string rule) =>
        AssertInvalid(WithAbort(ValidAbort with { FailureType = failureType }), "abortConfig.criteriaList[0].failureType", rule);

    [Theory]
    [InlineData(null, "required")]
    [InlineData("STOP", "invalid")]
    public void Abort_action_is_required_and_can_only_be_CANCEL(string? action, string rule) =>
        AssertInvalid(WithAbort(ValidAbort with { Action = action }), "abortConfig.criteriaList[0].action", rule);

    [Theory]
    [InlineData("0", "tooSmall")]
    [InlineData("-5", "tooSmall")]
    [InlineData("0.001", "tooSmall")]
    [InlineData("100.01", "tooLarge")]
    [InlineData("10.999", "decimals")]
    [InlineData("33.333", "decimals")]
    public void Abort_threshold_is_above_0_at_most_100_with_at_most_two_decimal_places(string threshold, string rule) =>
        AssertInvalid(WithAbort(ValidAbort with { ThresholdPercentage = D(threshold) }), "abortConfig.criteriaList[0].thresholdPercentage", rule);

    [Theory]
    [InlineData("0.01")]
    [InlineData("100")]
    [InlineData("100.00")]
    [InlineData("10.99")]
    [InlineData("10.990")]
    [InlineData("1e1")]
    public void Abort_threshold_at_the_bounds_and_with_trailing_zeros_is_valid(string threshold) =>
        AssertValid(WithAbort(ValidAbort with { ThresholdPercentage = D(threshold) }));

    [Fact]
    public void Abort_threshold_is_required() =>
        AssertInvalid(WithAbort(ValidAbort with { ThresholdPercentage = null }), "abortConfig.criteriaList[0].thresholdPercentage", "required");

    [Fact]
    public void Abort_min_number_of_executed_things_is_required_and_at_least_1()
    {
        AssertInvalid(WithAbort(ValidAbort with { MinNumberOfExecutedThings = null }), "abortConfig.criteriaList[0].minNumberOfExecutedThings", "required");
        AssertInvalid(WithAbort(ValidAbort with { MinNumberOfExecutedThings = 0 }), "abortConfig.criteriaList[0].minNumberOfExecutedThings", "tooSmall");
        AssertValid(WithAbort(ValidAbort with { MinNumberOfExecutedThings = 1 }));
    }

    [Fact]
    public void An_error_in_a_later_criteria_names_its_index_while_the_code_stays_the_same()
    {
        var error = UpdateJobRules.Check(WithAbort(ValidAbort, ValidAbort with { ThresholdPercentage = 12.345m }));

        Assert.Equal("abortConfig.criteriaList[1].thresholdPercentage", error?.Field);
        Assert.Equal("validation.abortConfig.criteriaList.thresholdPercentage.decimals", error?.Code);
    }

    [Theory]
    [InlineData(0, "tooSmall")]
    [InlineData(10081, "tooLarge")]
    public void InProgressTimeout_must_be_1_to_10080_minutes(long minutes, string rule) =>
        AssertInvalid(Empty with { TimeoutConfig = new TimeoutConfig(minutes) }, "timeoutConfig.inProgressTimeoutInMinutes", rule);

    [Theory]
    [InlineData(1)]
    [InlineData(10080)]
    public void InProgressTimeout_at_either_bound_is_valid(long minutes) =>
        AssertValid(Empty with { TimeoutConfig = new TimeoutConfig(minutes) });

    private static UpdateJob WithRetries(params RetryCriteria?[] criteria) => Empty with { JobExecutionsRetryConfig = new JobExecutionsRetryConfig(criteria) };

    [Fact]
    public void Retry_criteria_list_holds_one_or_two_items()
    {
        AssertInvalid(Empty with { JobExecutionsRetryConfig = new JobExecutionsRetryConfig() }, "jobExecutionsRetryConfig.criteriaList", "required");
        AssertInvalid(WithRetries(), "jobExecutionsRetryConfig.criteriaList", "tooFew");
        AssertValid(WithRetries(new RetryCriteria("ALL", 3)));
        AssertValid(WithRetries(new RetryCriteria("FAILED", 3), new RetryCriteria("TIMED_OUT", 3)));
        AssertInvalid(WithRetries(new RetryCriteria("FAILED", 1), new RetryCriteria("TIMED_OUT", 1), new RetryCriteria("ALL", 1)),
            "jobExecutionsRetryConfig.criteriaList", "tooMany");
        AssertInvalid(WithRetries([null]), "jobExecutionsRetryConfig.criteriaList[0]", "required");
    }

    [Theory]
    [InlineData(null, "required")]
    [InlineData("REJECTED", "invalid")]
    [InlineData("CANCELED", "invalid")]
    public void Retry_failure_type_is_FAILED_TIMED_OUT_or_ALL(string? failureType, string rule) =>
        AssertInvalid(WithRetries(new RetryCriteria(failureType, 1)), "jobExecutionsRetryConfig.criteriaList[0].failureType", rule);

    [Theory]
    [InlineData(null, "required")]
    [InlineData(-1, "tooSmall")]
    [InlineData(11, "tooLarge")]
    public void Number_of_retries_is_required_and_0_to_10(int? retries, string rule) =>
        AssertInvalid(WithRetries(new RetryCriteria("FAILED", retries)), "jobExecutionsRetryConfig.criteriaList[0].numberOfRetries", rule);

    [Theory]
    [InlineData(0)]
    [InlineData(10)]
    public void Number_of_retries_at_either_bound_is_valid(int retries) =>
        AssertValid(WithRetries(new RetryCriteria("FAILED", retries)));

    [Fact]
    public void Retries_may_total_10_across_both_criteria_but_not_11()
    {
        AssertValid(WithRetries(new RetryCriteria("FAILED", 5), new RetryCriteria("TIMED_OUT", 5)));
        AssertInvalid(WithRetries(new RetryCriteria("FAILED", 5), new RetryCriteria("TIMED_OUT", 6)), "jobExecutionsRetryConfig.criteriaList", "totalTooLarge");
    }

    [Fact]
    public void The_first_broken_rule_in_API_reference_order_is_the_one_reported()
    {
        var error = UpdateJobRules.Check(Empty with
        {
            Description = "",
            TimeoutConfig = new TimeoutConfig(0),
        });

        Assert.Equal("description", error?.Field);
    }
}
