using JobsFunctions.Domain.Operations;
using JobsFunctions.Domain.Policies;
using JobsFunctions.Domain.Recording;
using JobsFunctions.Domain.Sweeping;

namespace JobsFunctions.TestSupport;

/// <summary>The sweeper and the planner wired as the composition root wires them, on whatever ports a test gives.</summary>
public static class Sweepers
{
    public static PolicyPlanner Planner(IRecordQueries queries, IEndedAttemptQueries ended) => new(queries, new AbortEvaluation(ended));

    public static PolicySweeper Create<TRecords>(
        IJobsControl jobs, TRecords records, IPolicyStore policies, ISweepState state, IAuditLog audit, IJobsCallMeter meter, TimeProvider clock,
        SweeperOptions? options = null)
        where TRecords : IRecordStore, IRecordQueries, IEndedAttemptQueries
    {
        options ??= new SweeperOptions();
        var recorder = new StatusRecorder(records, clock);
        var enforcement = new PolicyEnforcement(jobs, new ExecutionActions(jobs, records, audit, clock), recorder, state, clock, options);
        return new PolicySweeper(jobs, records, policies, state, Planner(records, records), new JobReconciliation(jobs, recorder, state, clock), enforcement,
            meter, clock, options);
    }
}
