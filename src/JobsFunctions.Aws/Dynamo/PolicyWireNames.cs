using JobsFunctions.Domain.Policies;

namespace JobsFunctions.Aws.Dynamo;

/// <summary>
/// How a stored policy spells its enums: the names of the policy document (AWS's AbortCriteria failureType, and the
/// timeout actions), never C# member names, so renaming code never makes a stored policy unreadable.
/// </summary>
internal static class PolicyWireNames
{
    public static string Of(FailureType type) => type switch
    {
        Domain.Policies.FailureType.Failed => "FAILED",
        Domain.Policies.FailureType.Rejected => "REJECTED",
        Domain.Policies.FailureType.TimedOut => "TIMED_OUT",
        Domain.Policies.FailureType.All => "ALL",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, null),
    };

    public static string Of(TimeoutAction action) => action switch
    {
        Domain.Policies.TimeoutAction.Cancel => "CANCEL",
        Domain.Policies.TimeoutAction.Fail => "FAIL",
        _ => throw new ArgumentOutOfRangeException(nameof(action), action, null),
    };

    public static FailureType FailureType(string wire) =>
        Enum.GetValues<FailureType>().Where(type => Of(type) == wire).Select(type => (FailureType?)type).FirstOrDefault()
        ?? throw new InvalidDataException($"Stored failure type '{wire}' is not known.");

    public static TimeoutAction TimeoutAction(string wire) =>
        Enum.GetValues<TimeoutAction>().Where(action => Of(action) == wire).Select(action => (TimeoutAction?)action).FirstOrDefault()
        ?? throw new InvalidDataException($"Stored timeout action '{wire}' is not known.");
}
