using JobsFunctions.Domain.Executions;
using JobsFunctions.Domain.Jobs;
using JobsFunctions.Domain.Operations;
using JobsFunctions.Domain.Recording;
using JobsFunctions.TestSupport.Operations;

namespace JobsFunctions.Domain.Tests.Sweeping;

/// <summary>The in-memory IoT with hooks where the world moves: after a describe, before the event check, after any call.</summary>
public sealed class InterceptedJobs(FakeJobsControl inner) : IJobsControl
{
    public Func<JobExecutionDescription, Task>? AfterDescribe { get; set; }

    public Func<Task>? BeforeEventCheck { get; set; }

    public Action? AfterEachCall { get; set; }

    public Task<Result<Unit>> UpdateJobAsync(UpdateJob command, CancellationToken cancellationToken) =>
        After(inner.UpdateJobAsync(command, cancellationToken));

    public Task<Result<Unit>> CancelJobExecutionAsync(CancelJobExecution command, CancellationToken cancellationToken) =>
        After(inner.CancelJobExecutionAsync(command, cancellationToken));

    public Task<Result<ExecutionUpdate>> UpdateJobExecutionAsync(UpdateJobExecution command, CancellationToken cancellationToken) =>
        After(inner.UpdateJobExecutionAsync(command, cancellationToken));

    public Task<Result<JobDescription>> DescribeJobAsync(string jobId, CancellationToken cancellationToken) =>
        After(inner.DescribeJobAsync(jobId, cancellationToken));

    public async Task<Result<JobExecutionDescription>> DescribeJobExecutionAsync(
        string jobId, string thingName, long? executionNumber, CancellationToken cancellationToken)
    {
        var result = await After(inner.DescribeJobExecutionAsync(jobId, thingName, executionNumber, cancellationToken));
        if (result.IsSuccess && AfterDescribe is { } hook)
        {
            await hook(result.Value);
        }

        return result;
    }

    public Task<Result<Unit>> CancelJobAsync(CancelJob command, CancellationToken cancellationToken) =>
        After(inner.CancelJobAsync(command, cancellationToken));

    public Task<Result<Page<JobSummary>>> ListJobsAsync(JobStatus? status, int maxResults, string? nextToken, CancellationToken cancellationToken) =>
        After(inner.ListJobsAsync(status, maxResults, nextToken, cancellationToken));

    public Task<Result<Page<ExecutionSummary>>> ListJobExecutionsForJobAsync(
        string jobId, ExecutionStatus? status, int maxResults, string? nextToken, CancellationToken cancellationToken) =>
        After(inner.ListJobExecutionsForJobAsync(jobId, status, maxResults, nextToken, cancellationToken));

    public async Task<Result<JobEventSwitches>> DescribeEventConfigurationsAsync(CancellationToken cancellationToken)
    {
        if (BeforeEventCheck is { } hook)
        {
            await hook();
        }

        return await After(inner.DescribeEventConfigurationsAsync(cancellationToken));
    }

    private async Task<T> After<T>(Task<T> call)
    {
        var result = await call;
        AfterEachCall?.Invoke();
        return result;
    }
}
