using JobsFunctions.Domain.Executions;

namespace JobsFunctions.Emulator.Model;

/// <summary>
/// Every check the emulator makes before an execution changes status, in one place, each read from the domain's
/// lifecycle table (<see cref="ExecutionLifecycle"/>): who (the device, the operator, the service) may move an execution
/// out of which status, with or without force, and the error AWS answers when the move is refused. The moves
/// themselves (version, timers, events, retries, abort) are <see cref="JobsEmulator"/>'s state changes.
/// </summary>
internal static class ExecutionTransitions
{
    /// <summary>
    /// The device's UpdateJobExecution: a stale expectedVersion or a change out of a terminal status is
    /// InvalidStateTransition carrying the execution's state; QUEUED, CANCELED and TIMED_OUT are the service's to set.
    /// </summary>
    public static void CheckDeviceUpdate(EmulatedExecution execution, DeviceExecutionUpdate update, Func<EmulatedExecution, ExecutionView> state)
    {
        var move = new ExecutionMove(execution.Status, update.Status, ExecutionMover.Device);
        switch (ExecutionLifecycle.Decide(move, update.ExpectedVersion, execution.VersionNumber).Refusal)
        {
            case MoveRefusal.None:
                return;
            case MoveRefusal.InvalidStateTransition when update.ExpectedVersion is { } expected && expected != execution.VersionNumber:
                throw EmulatorException.Transition(
                    $"The job execution is at version {execution.VersionNumber}, not the expected version {expected}.", state(execution));
            case MoveRefusal.InvalidStateTransition:
                throw EmulatorException.Transition(
                    $"The job execution is {execution.Status.ToWire()}, a terminal status; it cannot change to {update.Status.ToWire()}.", state(execution));
            default:
                throw EmulatorException.Invalid(
                    $"status {update.Status.ToWire()} is set by AWS IoT, not by a device; a device sends IN_PROGRESS, SUCCEEDED, FAILED, REJECTED or REMOVED.");
        }
    }

    /// <summary>
    /// The device's StartNextPendingJobExecution starts a QUEUED execution; an IN_PROGRESS one is returned as it is.
    /// </summary>
    public static bool StartsOnNextPending(EmulatedExecution next) => next.Status == ExecutionStatus.Queued;

    /// <summary>
    /// The operator's CancelJobExecution (https://docs.aws.amazon.com/iot/latest/apireference/API_CancelJobExecution.html):
    /// QUEUED, or IN_PROGRESS with force; a stale expectedVersion is a VersionConflict, a terminal status an
    /// InvalidStateTransition.
    /// </summary>
    public static void CheckCancel(EmulatedExecution execution, bool force, long? expectedVersion)
    {
        var move = new ExecutionMove(execution.Status, ExecutionStatus.Canceled, ExecutionMover.Operator, force);
        switch (ExecutionLifecycle.Decide(move, expectedVersion, execution.VersionNumber).Refusal)
        {
            case MoveRefusal.None:
                return;
            case MoveRefusal.VersionConflict:
                throw new EmulatorException(
                    ErrorCodes.VersionConflict, $"The job execution is at version {execution.VersionNumber}, not the expected version {expectedVersion}.");
            case MoveRefusal.InvalidStateTransition when execution.Status.IsTerminal():
                throw EmulatorException.Transition($"The job execution is {execution.Status.ToWire()}, a terminal status, and cannot be canceled.");
            default:
                throw EmulatorException.Transition($"The job execution is {execution.Status.ToWire()}; cancel it with force.");
        }
    }

    /// <summary>
    /// The operator's DeleteJobExecution: a terminal or QUEUED execution, an IN_PROGRESS one only with force (the
    /// emulator follows https://docs.aws.amazon.com/iot/latest/developerguide/manage-job-cli.html, which allows QUEUED).
    /// </summary>
    public static void CheckDelete(EmulatedExecution execution, bool force)
    {
        if (execution.Status == ExecutionStatus.InProgress && !force)
        {
            throw EmulatorException.Transition("The job execution is IN_PROGRESS; delete it with force.");
        }
    }

    /// <summary>The operator's CancelJob: not while deleting, not once COMPLETED, and again only with force.</summary>
    public static void CheckJobCancel(EmulatedJob job, bool force)
    {
        switch (job.Status)
        {
            case EmulatedJobStatus.DeletionInProgress:
                throw EmulatorException.Invalid($"Job {job.Id} is being deleted and cannot be canceled.");
            case EmulatedJobStatus.Completed:
                throw EmulatorException.Invalid($"Job {job.Id} is COMPLETED and cannot be canceled.");
            case EmulatedJobStatus.Canceled when !force:
                throw EmulatorException.Invalid($"Job {job.Id} is already CANCELED; cancel it again with force to cancel its IN_PROGRESS executions.");
        }
    }

    /// <summary>
    /// The service, when a job is canceled (by CancelJob or its abort criteria): a thing's latest execution is
    /// CANCELED when QUEUED, and when IN_PROGRESS with force; terminal ones are untouched.
    /// </summary>
    public static bool CanceledWithJob(EmulatedExecution latest, bool force) =>
        ExecutionLifecycle.Decide(new(latest.Status, ExecutionStatus.Canceled, ExecutionMover.Service, force)).Allowed;

    /// <summary>
    /// The service, when a thing is deleted or leaves every target of a CONTINUOUS job: its QUEUED execution is REMOVED
    /// (https://docs.aws.amazon.com/iot/latest/apireference/API_JobProcessDetails.html).
    /// </summary>
    public static bool RemovedWithThing(EmulatedExecution latest) =>
        ExecutionLifecycle.Decide(new(latest.Status, ExecutionStatus.Removed, ExecutionMover.Service)).Allowed;

    /// <summary>The service's timers: a step or in-progress timeout moves only an IN_PROGRESS execution, to TIMED_OUT.</summary>
    public static bool TimesOut(EmulatedExecution execution) =>
        ExecutionLifecycle.Decide(new(execution.Status, ExecutionStatus.TimedOut, ExecutionMover.Service)).Allowed;
}
