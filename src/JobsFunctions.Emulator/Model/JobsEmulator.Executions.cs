using JobsFunctions.Domain.Executions;

namespace JobsFunctions.Emulator.Model;

// Job executions on the control plane: describe, list, cancel and delete, as an operator calls them.
public sealed partial class JobsEmulator
{
    public ExecutionView DescribeJobExecution(string jobId, string thingName, long? executionNumber) => Atomically(() => View(Execution(LiveJob(jobId), thingName, executionNumber)));

    public EmulatedPage<ExecutionView> ListJobExecutionsForJob(string jobId, ExecutionStatus? status, int maxResults, string? nextToken) => Atomically(() =>
    {
        var job = Job(jobId);
        var matching = job.ByThing.Values
            .Select(list => list[^1])
            .Where(execution => status is null || execution.Status == status)
            .Select(View);
        return Paged(matching, maxResults, nextToken);
    });

    public EmulatedPage<ExecutionView> ListJobExecutionsForThing(string thingName, ExecutionStatus? status, string? jobId, int maxResults, string? nextToken) => Atomically(() =>
    {
        var matching = _jobs.Values
            .Where(job => jobId is null || job.Id == jobId)
            .OrderBy(job => job.Order)
            .Select(job => Latest(job, thingName))
            .OfType<EmulatedExecution>()
            .Where(execution => status is null || execution.Status == status)
            .Select(View);
        return Paged(matching, maxResults, nextToken);
    });

    /// <summary>
    /// CancelJobExecution (https://docs.aws.amazon.com/iot/latest/apireference/API_CancelJobExecution.html) of the
    /// thing's latest execution: QUEUED, or IN_PROGRESS with force; a stale expectedVersion is a VersionConflict.
    /// </summary>
    public ExecutionView CancelJobExecution(string jobId, string thingName, bool force, long? expectedVersion, IReadOnlyDictionary<string, string>? statusDetails) => Atomically(() =>
    {
        var execution = Execution(LiveJob(jobId), thingName, null);
        ExecutionTransitions.CheckCancel(execution, force, expectedVersion);

        if (statusDetails is not null)
        {
            execution.StatusDetails = new Dictionary<string, string>(statusDetails, StringComparer.Ordinal);
        }

        execution.ForceCanceled = force;
        Touch(execution);
        ChangeStatus(execution, ExecutionStatus.Canceled);
        return View(execution);
    });

    /// <summary>
    /// DeleteJobExecution: a terminal or QUEUED execution, an IN_PROGRESS one only with force (the emulator follows
    /// https://docs.aws.amazon.com/iot/latest/developerguide/manage-job-cli.html, which allows QUEUED).
    /// </summary>
    public void DeleteJobExecution(string jobId, string thingName, long executionNumber, bool force) => Atomically(() =>
    {
        var execution = Execution(LiveJob(jobId), thingName, executionNumber);
        ExecutionTransitions.CheckDelete(execution, force);

        Remove(execution);
    });
}
