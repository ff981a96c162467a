using JobsFunctions.Domain.Errors;
using JobsFunctions.Domain.Executions;
using JobsFunctions.Domain.Validation;

namespace JobsFunctions.Domain.Operations;

/// <summary>
/// CancelJobExecution's input rules (https://docs.aws.amazon.com/iot/latest/apireference/API_CancelJobExecution.html):
/// the first broken rule, in API-reference order.
/// </summary>
public static class CancelJobExecutionRules
{
    public static Error? Check(CancelJobExecution command)
    {
        ArgumentNullException.ThrowIfNull(command);
        return Identifiers.CheckJobId(command.JobId)
            ?? Identifiers.CheckThingName(command.ThingName)
            ?? StatusDetailsRules.Check(command.StatusDetails);
    }
}

/// <summary>
/// UpdateJobExecution's input rules: the first broken rule, in API-reference order. The status is checked as AWS's
/// model checks it, against the JobExecutionStatus enum, and every value of it goes through to AWS, whose answer is
/// relayed: AWS's own CLI reference example for update-job-execution sends REMOVED
/// (https://docs.aws.amazon.com/cli/latest/reference/iot-jobs-data/update-job-execution.html), so refusing the
/// statuses a device does not usually set would refuse what AWS accepts.
/// </summary>
public static class UpdateJobExecutionRules
{
    public const long StepTimeoutMinutesMax = 10080;

    /// <summary>The step timeout that discards the current step timer instead of setting one.</summary>
    public const long DiscardStepTimer = -1;

    public static Error? Check(UpdateJobExecution command)
    {
        ArgumentNullException.ThrowIfNull(command);
        return Identifiers.CheckJobId(command.JobId)
            ?? Identifiers.CheckThingName(command.ThingName)
            ?? CheckStatus(command.Status)
            ?? StatusDetailsRules.Check(command.StatusDetails)
            ?? CheckStepTimeout(command.StepTimeoutInMinutes);
    }

    private static Error? CheckStatus(string? status)
    {
        if (status is null)
        {
            return FieldRules.Required(status, "status");
        }

        return ExecutionStatuses.TryParse(status, out _)
            ? null
            : FieldRules.OneOf(status, "status", ExecutionStatuses.All.Select(known => known.ToWire()).ToList());
    }

    private static Error? CheckStepTimeout(long? minutes) => minutes is null or DiscardStepTimer
        ? null
        : FieldRules.Range(minutes, "stepTimeoutInMinutes", 1, StepTimeoutMinutesMax) is { } error
            ? error with { Message = $"stepTimeoutInMinutes must be {DiscardStepTimer} (discard the step timer) or 1–{StepTimeoutMinutesMax} (got {minutes})." }
            : null;
}
