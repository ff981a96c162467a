namespace JobsFunctions.Domain.Executions;

/// <summary>
/// An execution's state as AWS IoT reports it in JobExecutionState: status, details and version. The version is
/// unknown when the state comes from our own record of events, which carry none.
/// </summary>
public sealed record ExecutionState(ExecutionStatus Status, IReadOnlyDictionary<string, string> StatusDetails, long? VersionNumber)
{
    public static ExecutionState Of(ExecutionRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return new ExecutionState(record.Status, record.StatusDetails, record.VersionNumber);
    }
}
