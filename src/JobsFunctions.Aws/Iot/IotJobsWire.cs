using System.Collections.ObjectModel;
using System.Globalization;
using JobsFunctions.Domain.Executions;
using JobsFunctions.Domain.Jobs;
using JobsFunctions.Domain.Operations;

namespace JobsFunctions.Aws.Iot;

/// <summary>
/// The domain's commands and readings to and from the IoT Jobs wire shapes (<see cref="Control"/>,
/// <see cref="JobsData"/>), for <see cref="IotJobsControl"/>.
/// </summary>
internal static class IotJobsWire
{
    /// <summary>UpdateJob member for member. Members the model requires inside an optional structure must be present.</summary>
    internal static Control.UpdateJobRequest ToRequest(UpdateJob command) => new()
    {
        JobId = command.JobId,
        NamespaceId = command.NamespaceId,
        Description = command.Description,
        PresignedUrlConfig = command.PresignedUrlConfig is { } presigned
            ? new Control.PresignedUrlConfig { RoleArn = presigned.RoleArn, ExpiresInSec = presigned.ExpiresInSec }
            : null,
        JobExecutionsRolloutConfig = command.JobExecutionsRolloutConfig is { } rollout
            ? new Control.JobExecutionsRolloutConfig
            {
                MaximumPerMinute = rollout.MaximumPerMinute,
                ExponentialRate = rollout.ExponentialRate is { } rate ? ToWire(rate) : null,
            }
            : null,
        AbortConfig = command.AbortConfig is { } abort
            ? new Control.AbortConfig { CriteriaList = Items(abort.CriteriaList, "abortConfig.criteriaList", ToWire) }
            : null,
        TimeoutConfig = command.TimeoutConfig is { } timeout
            ? new Control.TimeoutConfig { InProgressTimeoutInMinutes = timeout.InProgressTimeoutInMinutes }
            : null,
        JobExecutionsRetryConfig = command.JobExecutionsRetryConfig is { } retry
            ? new Control.JobExecutionsRetryConfig { CriteriaList = Items(retry.CriteriaList, "jobExecutionsRetryConfig.criteriaList", ToWire) }
            : null,
    };

    /// <summary>
    /// The model types these members as doubles and the wire carries the shortest text that reads back as the same
    /// double, so the double must be the one nearest the decimal's own digits. Parsing those digits guarantees it;
    /// a decimal-to-double cast does not once the decimal keeps a long tail of zeros, as it does when a JSON body
    /// spells it so: 10.55 followed by 22 zeros casts to the double that prints as 10.549999999999999.
    /// </summary>
    internal static double ToWireNumber(decimal value) =>
        double.Parse(value.ToString(CultureInfo.InvariantCulture), NumberStyles.Float, CultureInfo.InvariantCulture);

    private static Control.ExponentialRolloutRate ToWire(ExponentialRolloutRate rate)
    {
        const string field = "jobExecutionsRolloutConfig.exponentialRate";
        var criteria = Required(rate.RateIncreaseCriteria, $"{field}.rateIncreaseCriteria");
        return new Control.ExponentialRolloutRate
        {
            BaseRatePerMinute = Required(rate.BaseRatePerMinute, $"{field}.baseRatePerMinute"),
            IncrementFactor = ToWireNumber(Required(rate.IncrementFactor, $"{field}.incrementFactor")),
            RateIncreaseCriteria = new Control.RateIncreaseCriteria
            {
                NumberOfNotifiedThings = criteria.NumberOfNotifiedThings,
                NumberOfSucceededThings = criteria.NumberOfSucceededThings,
            },
        };
    }

    private static Control.AbortCriteria ToWire(AbortCriteria criteria, string field) => new()
    {
        FailureType = Required(criteria.FailureType, $"{field}.failureType"),
        Action = Required(criteria.Action, $"{field}.action"),
        ThresholdPercentage = ToWireNumber(Required(criteria.ThresholdPercentage, $"{field}.thresholdPercentage")),
        MinNumberOfExecutedThings = Required(criteria.MinNumberOfExecutedThings, $"{field}.minNumberOfExecutedThings"),
    };

    private static Control.RetryCriteria ToWire(RetryCriteria criteria, string field) => new()
    {
        FailureType = Required(criteria.FailureType, $"{field}.failureType"),
        NumberOfRetries = Required(criteria.NumberOfRetries, $"{field}.numberOfRetries"),
    };

    private static List<TWire> Items<TDomain, TWire>(IReadOnlyList<TDomain?>? items, string field, Func<TDomain, string, TWire> map)
        where TDomain : class =>
        Required(items, field).Select((item, index) => map(Required(item, $"{field}[{index}]"), $"{field}[{index}]")).ToList();

    // The port takes validated commands; a missing required member is a caller's bug, never something to default.
    internal static T Required<T>(T? value, string field)
        where T : class =>
        value ?? throw new ArgumentException($"{field} is required; the command was not validated.", field);

    internal static T Required<T>(T? value, string field)
        where T : struct =>
        value ?? throw new ArgumentException($"{field} is required; the command was not validated.", field);

    internal static ExecutionState? ToState(JobsData.JobExecutionState? state) =>
        state is not null && ExecutionStatuses.TryParse(state.Status, out var status)
            ? new ExecutionState(status, state.StatusDetails ?? ReadOnlyDictionary<string, string>.Empty, state.VersionNumber)
            : null;

    /// <summary>The control plane names no thing in an execution (only its ARN), so the requested name stands.</summary>
    internal static JobExecutionDescription? ToDescription(Control.JobExecution? execution, string jobId, string thingName) =>
        execution is not null && ExecutionStatuses.TryParse(execution.Status, out var status)
            ? new JobExecutionDescription(
                execution.JobId ?? jobId,
                thingName,
                status,
                execution.StatusDetails?.DetailsMap ?? ReadOnlyDictionary<string, string>.Empty,
                execution.VersionNumber,
                execution.ExecutionNumber,
                execution.ForceCanceled ?? false,
                execution.QueuedAt,
                execution.StartedAt,
                execution.LastUpdatedAt)
            : null;

    /// <summary>A job DescribeJob reported; a count it leaves out is zero, a job without a readable status is null.</summary>
    internal static JobDescription? ToDescription(Control.Job? job, string jobId)
    {
        if (job is null || !JobStatuses.TryParse(job.Status, out var status))
        {
            return null;
        }

        var details = job.JobProcessDetails;
        return new JobDescription(
            job.JobId ?? jobId,
            status,
            new JobProcessCounts(
                details?.NumberOfQueuedThings ?? 0,
                details?.NumberOfInProgressThings ?? 0,
                details?.NumberOfSucceededThings ?? 0,
                details?.NumberOfFailedThings ?? 0,
                details?.NumberOfRejectedThings ?? 0,
                details?.NumberOfCanceledThings ?? 0,
                details?.NumberOfTimedOutThings ?? 0,
                details?.NumberOfRemovedThings ?? 0),
            job.LastUpdatedAt);
    }
}
