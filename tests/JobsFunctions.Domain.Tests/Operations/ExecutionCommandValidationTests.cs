using JobsFunctions.Domain.Errors;
using JobsFunctions.Domain.Operations;

namespace JobsFunctions.Domain.Tests.Operations;

public sealed class ExecutionCommandValidationTests
{
    private static readonly CancelJobExecution Cancel = new("fw-2026-11", "sensor-42");
    private static readonly UpdateJobExecution Update = new("fw-2026-11", "sensor-42", "IN_PROGRESS");

    private static Dictionary<string, string> Pairs(int count) =>
        Enumerable.Range(1, count).ToDictionary(index => $"key{index}", index => $"value {index}");

    private static void AssertError(Error? error, string field, string code)
    {
        Assert.NotNull(error);
        Assert.Equal(ErrorKind.Validation, error.Kind);
        Assert.Equal(field, error.Field);
        Assert.Equal(code, error.Code);
    }

    [Fact]
    public void A_cancel_with_only_its_path_is_valid() => Assert.Null(CancelJobExecutionRules.Check(Cancel));

    [Fact]
    public void A_forced_cancel_with_a_version_and_ten_details_is_valid() =>
        Assert.Null(CancelJobExecutionRules.Check(Cancel with { Force = true, ExpectedVersion = 3, StatusDetails = Pairs(10) }));

    [Theory]
    [InlineData("", "jobId", "validation.jobId.required")]
    [InlineData("fw:1", "jobId", "validation.jobId.pattern")]
    public void Cancel_checks_the_job_id(string jobId, string field, string code) =>
        AssertError(CancelJobExecutionRules.Check(Cancel with { JobId = jobId }), field, code);

    [Theory]
    [InlineData("", "validation.thingName.required")]
    [InlineData("sensor/42", "validation.thingName.pattern")]
    [InlineData("sensor 42", "validation.thingName.pattern")]
    public void Cancel_checks_the_thing_name(string thingName, string code) =>
        AssertError(CancelJobExecutionRules.Check(Cancel with { ThingName = thingName }), "thingName", code);

    [Fact]
    public void Thing_names_may_hold_colons_and_be_128_characters_but_not_129()
    {
        Assert.Null(CancelJobExecutionRules.Check(Cancel with { ThingName = "site:lyon:sensor-42" }));
        Assert.Null(CancelJobExecutionRules.Check(Cancel with { ThingName = new string('t', 128) }));
        AssertError(CancelJobExecutionRules.Check(Cancel with { ThingName = new string('t', 129) }), "thingName", "validation.thingName.tooLong");
    }

    [Fact]
    public void Cancel_status_details_may_hold_10_pairs_but_not_11() =>
        AssertError(CancelJobExecutionRules.Check(Cancel with { StatusDetails = Pairs(11) }), "statusDetails", "validation.statusDetails.tooMany");

    [Fact]
    public void Cancel_status_details_name_the_offending_key()
    {
        AssertError(CancelJobExecutionRules.Check(Cancel with { StatusDetails = new Dictionary<string, string> { ["myKey"] = "" } }),
            "statusDetails.myKey", "validation.statusDetails.value");
        AssertError(CancelJobExecutionRules.Check(Cancel with { StatusDetails = new Dictionary<string, string> { ["my key"] = "v" } }),
            "statusDetails.my key", "validation.statusDetails.key");
    }

    [Fact]
    public void A_status_details_value_may_be_1024_characters_but_not_1025()
    {
        Assert.Null(UpdateJobExecutionRules.Check(Update with { StatusDetails = new Dictionary<string, string> { ["log"] = new string('v', 1024) } }));
        AssertError(UpdateJobExecutionRules.Check(Update with { StatusDetails = new Dictionary<string, string> { ["log"] = new string('v', 1025) } }),
            "statusDetails.log", "validation.statusDetails.value");
    }

    [Fact]
    public void A_status_details_key_may_be_128_characters_but_not_129()
    {
        Assert.Null(UpdateJobExecutionRules.Check(Update with { StatusDetails = new Dictionary<string, string> { [new string('k', 128)] = "v" } }));
        Assert.Equal("validation.statusDetails.key",
            UpdateJobExecutionRules.Check(Update with { StatusDetails = new Dictionary<string, string> { [new string('k', 129)] = "v" } })?.Code);
    }

    [Fact]
    public void A_status_details_value_with_a_control_character_is_refused() =>
        AssertError(UpdateJobExecutionRules.Check(Update with { StatusDetails = new Dictionary<string, string> { ["step"] = "a\tb" } }),
            "statusDetails.step", "validation.statusDetails.value");

    [Theory]
    [InlineData("QUEUED")]
    [InlineData("IN_PROGRESS")]
    [InlineData("SUCCEEDED")]
    [InlineData("FAILED")]
    [InlineData("TIMED_OUT")]
    [InlineData("REJECTED")]
    [InlineData("REMOVED")]
    [InlineData("CANCELED")]
    public void Every_status_of_AWS_enum_passes_so_AWS_answers_for_itself(string status) =>
        Assert.Null(UpdateJobExecutionRules.Check(Update with { Status = status }));

    [Theory]
    [InlineData(null, "validation.status.required")]
    [InlineData("in_progress", "validation.status.invalid")]
    [InlineData("DONE", "validation.status.invalid")]
    public void Status_is_required_and_an_exact_AWS_status(string? status, string code) =>
        AssertError(UpdateJobExecutionRules.Check(Update with { Status = status }), "status", code);

    [Theory]
    [InlineData(-1)]
    [InlineData(1)]
    [InlineData(10080)]
    public void Step_timeout_is_minus_1_or_1_to_10080(long minutes) =>
        Assert.Null(UpdateJobExecutionRules.Check(Update with { StepTimeoutInMinutes = minutes }));

    [Theory]
    [InlineData(-2, "tooSmall")]
    [InlineData(0, "tooSmall")]
    [InlineData(10081, "tooLarge")]
    public void Step_timeout_outside_its_range_is_refused(long minutes, string rule)
    {
        var error = UpdateJobExecutionRules.Check(Update with { StepTimeoutInMinutes = minutes });

        AssertError(error, "stepTimeoutInMinutes", $"validation.stepTimeoutInMinutes.{rule}");
        Assert.Contains("-1", error!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Update_checks_path_before_body()
    {
        AssertError(UpdateJobExecutionRules.Check(Update with { JobId = "", Status = null }), "jobId", "validation.jobId.required");
        AssertError(UpdateJobExecutionRules.Check(Update with { ThingName = "", Status = null }), "thingName", "validation.thingName.required");
    }

    [Theory]
    [InlineData("", "validation.idempotencyKey.tooShort")]
    [InlineData("key with space", "validation.idempotencyKey.pattern")]
    [InlineData("clé", "validation.idempotencyKey.pattern")]
    public void An_idempotency_key_is_visible_ascii(string key, string code) =>
        AssertError(OperatorContextRules.Check(new OperatorContext("r", "route", Caller.Anonymous, IdempotencyKey: key)), "idempotencyKey", code);

    [Fact]
    public void An_idempotency_key_may_be_255_characters_but_not_256()
    {
        Assert.Null(OperatorContextRules.Check(new OperatorContext("r", "route", Caller.Anonymous, IdempotencyKey: new string('k', 255))));
        AssertError(OperatorContextRules.Check(new OperatorContext("r", "route", Caller.Anonymous, IdempotencyKey: new string('k', 256))),
            "idempotencyKey", "validation.idempotencyKey.tooLong");
    }

    [Fact]
    public void A_reason_may_be_2028_characters_without_control_characters()
    {
        Assert.Null(OperatorContextRules.Check(new OperatorContext("r", "route", Caller.Anonymous, Reason: new string('r', 2028))));
        AssertError(OperatorContextRules.Check(new OperatorContext("r", "route", Caller.Anonymous, Reason: new string('r', 2029))), "reason", "validation.reason.tooLong");
        AssertError(OperatorContextRules.Check(new OperatorContext("r", "route", Caller.Anonymous, Reason: "a\u0000b")), "reason", "validation.reason.pattern");
    }
}
