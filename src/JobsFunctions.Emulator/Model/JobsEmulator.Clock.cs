using JobsFunctions.Domain.Executions;

namespace JobsFunctions.Emulator.Model;

// Virtual time: work due at an instant (a timeout, a rollout step, a deletion finishing) fires when the clock reaches it.
public sealed partial class JobsEmulator
{
    private enum WorkKind
    {
        Timeout,
        Rollout,
        Deletion,
    }

    private sealed record Work(WorkKind Kind, EmulatedJob Job, EmulatedExecution? Execution, long Generation);

    private void Schedule(DateTimeOffset due, Work work) => _work.Enqueue(work, (due, ++_order));

    private DateTimeOffset CatchUp()
    {
        var now = Clock.Now;
        while (_work.TryPeek(out var work, out var when) && when.Due <= now)
        {
            _work.Dequeue();
            _at = when.Due > _at ? when.Due : _at;
            Fire(work);
        }

        _at = now > _at ? now : _at;
        return _at;
    }

    private void Fire(Work work)
    {
        switch (work.Kind)
        {
            case WorkKind.Timeout when work.Execution is { } execution && ExecutionTransitions.TimesOut(execution)
                && execution.TimerGeneration == work.Generation && IsLive(execution):
                execution.StepDeadline = null;
                execution.InProgressDeadline = null;
                Touch(execution);
                ChangeStatus(execution, ExecutionStatus.TimedOut);
                break;
            case WorkKind.Rollout when work.Job.RolloutGeneration == work.Generation && work.Job.Status == EmulatedJobStatus.InProgress:
                ReleaseBatch(work.Job);
                break;
            case WorkKind.Deletion when _jobs.TryGetValue(work.Job.Id, out var job) && ReferenceEquals(job, work.Job):
                FinishDeletion(job);
                break;
        }
    }

    private bool IsLive(EmulatedExecution execution) =>
        _jobs.TryGetValue(execution.Job.Id, out var job) && ReferenceEquals(job, execution.Job)
        && job.ByThing.TryGetValue(execution.ThingName, out var list) && list.Contains(execution);
}
