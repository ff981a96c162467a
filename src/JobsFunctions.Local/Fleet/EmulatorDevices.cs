using JobsFunctions.Domain.Executions;
using JobsFunctions.Emulator.Model;

namespace JobsFunctions.Local.Fleet;

/// <summary>
/// Devices calling the emulator's jobs data-plane operations in process: the same StartNextPendingJobExecution and
/// UpdateJobExecution the emulator's HTTP plane serves, without a signed HTTP request around each call. On two cores
/// a large fleet's HTTP costs more CPU than the functions under test (<see cref="DataPlaneDevices"/> is the HTTP way).
/// </summary>
public sealed class EmulatorDevices(JobsEmulator emulator) : IDeviceJobsApi
{
    public Task<StartedExecution?> StartNextPendingAsync(string thingName, IReadOnlyDictionary<string, string> statusDetails, CancellationToken cancellationToken)
    {
        var started = emulator.StartNextPendingJobExecution(thingName, statusDetails, null);
        return Task.FromResult(started is null ? null : new StartedExecution(started.JobId, started.VersionNumber, started.ExecutionNumber));
    }

    public Task<ReportOutcome> ReportAsync(string thingName, string jobId, string status, IReadOnlyDictionary<string, string> statusDetails, CancellationToken cancellationToken)
    {
        if (!ExecutionStatuses.TryParse(status, out var parsed))
        {
            throw new ArgumentException($"A device reported an unknown status {status}.", nameof(status));
        }

        try
        {
            emulator.UpdateJobExecution(jobId, thingName, new DeviceExecutionUpdate { Status = parsed, StatusDetails = statusDetails });
            return Task.FromResult(ReportOutcome.Accepted);
        }
        catch (EmulatorException e) when (e.Code is ErrorCodes.InvalidStateTransition or ErrorCodes.ResourceNotFound or ErrorCodes.TerminalState)
        {
            return Task.FromResult(ReportOutcome.Ended);
        }
    }
}
