namespace JobsFunctions.Local.Fleet;

/// <summary>An execution a device was handed by StartNextPendingJobExecution.</summary>
public sealed record StartedExecution(string JobId, long VersionNumber, long ExecutionNumber);

/// <summary>How a device's status report went.</summary>
public enum ReportOutcome
{
    Accepted,

    /// <summary>The execution is no longer the device's to change: canceled, timed out, removed or deleted meanwhile.</summary>
    Ended,
}

/// <summary>The jobs data plane as a device uses it.</summary>
public interface IDeviceJobsApi
{
    /// <summary>StartNextPendingJobExecution: the execution now IN_PROGRESS, or null when nothing is pending.</summary>
    Task<StartedExecution?> StartNextPendingAsync(string thingName, IReadOnlyDictionary<string, string> statusDetails, CancellationToken cancellationToken);

    /// <summary>UpdateJobExecution with a status and statusDetails.</summary>
    Task<ReportOutcome> ReportAsync(string thingName, string jobId, string status, IReadOnlyDictionary<string, string> statusDetails, CancellationToken cancellationToken);
}
