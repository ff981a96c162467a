using JobsFunctions.Domain.Executions;
using JobsFunctions.Local.Emulator.Model;
using JobsFunctions.Local.Fleet;

namespace JobsFunctions.Local.Tests.Fleet;

/// <summary>Devices calling the emulator's model directly, without HTTP between them, for tests of the fleet alone.</summary>
internal sealed class EmulatorDevices(JobsEmulator emulator) : IDeviceJobsApi
{
    public Task<StartedExecution?> StartNextPendingAsync(string thingName, IReadOnlyDictionary<string, string> statusDetails, CancellationToken cancellationToken)
    {
        var started = emulator.StartNextPendingJobExecution(thingName, statusDetails, null);
        return Task.FromResult(started is null ? null : new StartedExecution(started.JobId, started.VersionNumber, started.ExecutionNumber));
    }

    public Task<ReportOutcome> ReportAsync(string thingName, string jobId, string status, IReadOnlyDictionary<string, string> statusDetails, CancellationToken cancellationToken)
    {
        Assert.True(ExecutionStatuses.TryParse(status, out var parsed), $"The fleet reported an unknown status {status}.");
        try
        {
            emulator.UpdateJobExecution(jobId, thingName, new ExecutionUpdate { Status = parsed, StatusDetails = statusDetails });
            return Task.FromResult(ReportOutcome.Accepted);
        }
        catch (EmulatorException e) when (e.Code == ErrorCodes.InvalidStateTransition)
        {
            return Task.FromResult(ReportOutcome.Ended);
        }
    }
}
