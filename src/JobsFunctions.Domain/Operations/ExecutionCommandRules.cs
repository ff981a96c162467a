using JobsFunctions.Domain.Errors;
using JobsFunctions.Domain.Executions;
using JobsFunctions.Domain.Validation;

namespace JobsFunctions.Domain.Operations;

/// <summary>CancelJobExecution's input rules (facts sheet §1.2): the first broken rule, in API-reference order.</summary>
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
/// UpdateJobExecution's input rules (facts sheet §1.5): the first broken rule, in API-reference order.
/// AWS's enum accepts all eight statuses, but QUEUED, TIMED_OUT, REMOVED and CANCELED belong to the service and the
/// service refuses them with an error whose code is not documented; they are refused here, before any call, as
/// <c>validation.status.serviceOwned</c>, so the operator learns which statuses a device may set (and that
/// cancelling has its own route).
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

        if (!ExecutionStatuses.TryParse(status, out var parsed))
        {
            return FieldRules.OneOf(status, "status", ExecutionStatuses.All.Select(known => known.ToWire()).ToList());
        }

        return parsed.Owner() == StatusOwner.Service
            ? FieldRules.Invalid("status", "serviceOwned",
                $"status {status} is set by AWS IoT, not by a device; UpdateJobExecution accepts {DeviceStatuses} (an execution is canceled with CancelJobExecution).")
            : null;
    }

    private static Error? CheckStepTimeout(long? minutes) => minutes is null or DiscardStepTimer
        ? null
        : FieldRules.Range(minutes, "stepTimeoutInMinutes", 1, StepTimeoutMinutesMax) is { } error
            ? error with { Message = $"stepTimeoutInMinutes must be {DiscardStepTimer} (discard the step timer) or 1–{StepTimeoutMinutesMax} (got {minutes})." }
            : null;

    private static string DeviceStatuses { get; } = string.Join(", ", ExecutionStatuses.All
        .Where(status => status.Owner() == StatusOwner.Device)
        .Select(status => status.ToWire()));
}
