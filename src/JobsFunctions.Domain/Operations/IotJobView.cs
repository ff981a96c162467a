using JobsFunctions.Domain.Errors;
using JobsFunctions.Domain.Validation;

namespace JobsFunctions.Domain.Operations;

/// <summary>
/// The operator's read of a job as AWS IoT itself reports it (DescribeJob), to set beside the counts the store keeps
/// from events: a difference means events are missing or late. A read, so nothing is audited; AWS's refusals come
/// back as the adapter reports them (no such job is NotFound, no answer is Unavailable).
/// </summary>
public sealed class IotJobView(IJobsControl jobs)
{
    public async Task<Result<JobDescription>> DescribeAsync(string jobId, CancellationToken cancellationToken)
    {
        if (Identifiers.CheckJobId(jobId) is { } invalid)
        {
            return invalid;
        }

        return await jobs.DescribeJobAsync(jobId, cancellationToken);
    }
}
