using JobsFunctions.Domain.Executions;
using JobsFunctions.Domain.Policies;
using JobsFunctions.Domain.Recording;
using JobsFunctions.Domain.Sweeping;
using JobsFunctions.TestSupport;

namespace JobsFunctions.Domain.Tests.Sweeping;

/// <summary>Planning: what a policy calls for, from the store alone, with no IoT call and no write.</summary>
public sealed class PolicyPlannerTests : SweepHarness
{
    private PolicyPlanner Planner => Sweepers.Planner(Store, Store);

    [Fact]
    public async Task A_plan_answers_what_the_policy_would_do_from_the_store_alone()
    {
        await PolicyAsync(new JobPolicy(false, [], null));
        Stuck("pump-1");
        Stuck("pump-2", startedMinutesAgo: 60);
        await Sweeper().RunAsync(new SweepRun("fill", Now.AddMinutes(1)), Cancel);
        var calls = Iot.Calls;
        var writes = Store.ExecutionWrites;

        var plan = await Planner.PlanAsync(JobId, StuckAfterTwoHours, "policy", Now, Cancel);

        var action = Assert.Single(plan.Actions);
        Assert.Equal((PlannedActionKind.CancelExecution, "pump-1", true, ExecutionStatus.InProgress), (action.Kind, action.ThingName, action.Force, action.Status));
        Assert.Equal("CancelJobExecution", action.Operation);
        Assert.Contains("inProgressTimeoutInMinutes 120", action.Reason, StringComparison.Ordinal);
        Assert.Equal(calls, Iot.Calls);
        Assert.Equal(writes, Store.ExecutionWrites);
        Assert.Empty(Audit.Entries);
    }

    [Fact]
    public async Task A_tripped_abort_criterion_is_the_whole_plan()
    {
        var recorder = new StatusRecorder(Store, Clock);
        for (var i = 0; i < 4; i++)
        {
            await recorder.RecordAsync(new ExecutionObservation(JobId, $"pump-{i}", ExecutionStatus.Failed, new Dictionary<string, string>(),
                ObservationSource.Event, $"evt-{i}", Now.AddMinutes(-10)), Cancel);
        }

        await recorder.RecordAsync(new ExecutionObservation(JobId, "pump-stuck", ExecutionStatus.InProgress, new Dictionary<string, string>(),
            ObservationSource.Event, "evt-stuck", Now.AddHours(-5)), Cancel);
        var policy = StuckAfterTwoHours with { AbortCriteria = [new AbortCriterion(FailureType.Failed, ThresholdCount: 3)] };

        var plan = await Planner.PlanAsync(JobId, policy, "policy", Now, Cancel);

        Assert.Equal(PlannedActionKind.CancelJob, Assert.Single(plan.Actions).Kind);
        Assert.Empty(plan.Timeouts);
    }

    [Fact]
    public async Task Timeouts_are_planned_in_thing_name_order_and_a_FAIL_timeout_calls_UpdateJobExecution()
    {
        var recorder = new StatusRecorder(Store, Clock);
        foreach (var thing in new[] { "pump-c", "pump-a", "pump-b" })
        {
            await recorder.RecordAsync(new ExecutionObservation(JobId, thing, ExecutionStatus.InProgress, new Dictionary<string, string>(),
                ObservationSource.Event, $"evt-{thing}", Now.AddHours(-5)), Cancel);
        }

        var plan = await Planner.PlanAsync(JobId, new JobPolicy(false, [], new PolicyTimeouts(InProgressTimeoutInMinutes: 60, Action: TimeoutAction.Fail)),
            "policy", Now, Cancel);

        Assert.Equal(["pump-a", "pump-b", "pump-c"], plan.Actions.Select(action => action.ThingName));
        Assert.All(plan.Actions, action => Assert.Equal(("UpdateJobExecution", false), (action.Operation, action.Force)));
    }
}
