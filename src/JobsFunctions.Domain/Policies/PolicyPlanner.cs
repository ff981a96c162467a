using System.Globalization;
using JobsFunctions.Domain.Executions;
using JobsFunctions.Domain.Recording;

namespace JobsFunctions.Domain.Policies;

/// <summary>
/// Turns a policy into the actions it calls for on one job, judged on what the store holds: the abort criteria
/// (<see cref="AbortEvaluation"/>) and the timeouts (<see cref="TimeoutRules"/>). Reads only: no IoT call, no write.
/// The sweeper acts on a plan after describing each execution again; the operator API's preview answers one.
/// </summary>
public sealed class PolicyPlanner(IRecordQueries queries, AbortEvaluation abort)
{
    /// <summary>The store list page the planner reads.</summary>
    public const int PageSize = 250;

    private static readonly ExecutionStatus[] OpenStatuses = [ExecutionStatus.Queued, ExecutionStatus.InProgress];

    /// <summary>How a policy is named in reasons and in the statusDetails the sweeper sets.</summary>
    public static string Label(long revision) => string.Create(CultureInfo.InvariantCulture, $"policy revision {revision}");

    public const string DefaultPolicyLabel = "default policy";

    /// <summary>
    /// The plan from the store alone. Reads the job's QUEUED and IN_PROGRESS executions (one store query per
    /// <see cref="PageSize"/> of them) plus what the abort criteria read.
    /// </summary>
    public async Task<PolicyPlan> PlanAsync(string jobId, JobPolicy policy, string label, DateTimeOffset now, CancellationToken cancellationToken) =>
        await PlanAsync(jobId, policy, label, (await ListOpenAsync(jobId, cancellationToken)).Values, now, cancellationToken);

    /// <summary>The plan for open executions the caller already holds (the sweeper has just reconciled them).</summary>
    public async Task<PolicyPlan> PlanAsync(
        string jobId, JobPolicy policy, string label, IEnumerable<ExecutionRecord> open, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(policy);
        if (await abort.EvaluateAsync(jobId, policy.AbortCriteria, now, cancellationToken) is { } decision)
        {
            return new PolicyPlan(new PlannedAction(PlannedActionKind.CancelJob, jobId, null, decision.Criterion.Force, decision.Comment), []);
        }

        if (policy.Timeouts is not { } limits)
        {
            return PolicyPlan.Nothing;
        }

        var kind = limits.Action == TimeoutAction.Fail ? PlannedActionKind.FailExecution : PlannedActionKind.CancelExecution;
        var timeouts = new List<PlannedTimeout>();
        foreach (var record in open.OrderBy(record => record.ThingName, StringComparer.Ordinal))
        {
            if (TimeoutRules.Check(record.Status, ExecutionTimes.Of(record), limits, now) is { } verdict)
            {
                var force = kind == PlannedActionKind.CancelExecution && record.Status == ExecutionStatus.InProgress;
                timeouts.Add(new PlannedTimeout(
                    new PlannedAction(kind, jobId, record.ThingName, force, $"{label}: {verdict.Reason}", record.Status, record.VersionNumber), record));
            }
        }

        return new PolicyPlan(null, timeouts);
    }

    /// <summary>The job's QUEUED and IN_PROGRESS executions as the store holds them, by thing name.</summary>
    public async Task<Dictionary<string, ExecutionRecord>> ListOpenAsync(string jobId, CancellationToken cancellationToken)
    {
        var open = new Dictionary<string, ExecutionRecord>(StringComparer.Ordinal);
        foreach (var status in OpenStatuses)
        {
            string? token = null;
            do
            {
                var page = await queries.ListExecutionsOfJobAsync(jobId, status, PageSize, token, cancellationToken);
                foreach (var record in page.Items.Where(record => !record.IsTerminal))
                {
                    open[record.ThingName] = record;
                }

                token = page.NextPageToken;
            }
            while (token is not null);
        }

        return open;
    }
}
