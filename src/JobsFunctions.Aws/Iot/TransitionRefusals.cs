using JobsFunctions.Domain.Errors;
using JobsFunctions.Domain.Executions;
using JobsFunctions.Domain.Operations;

namespace JobsFunctions.Aws.Iot;

/// <summary>
/// The one place the adapter reinterprets AWS IoT's transition rules: an InvalidStateTransitionException from the
/// data plane is read against the execution state it carries, and reported as an invalid transition or, when only
/// the version stood in the way, as a version conflict. Rules about which transitions exist belong to the domain;
/// this is only the reading of AWS's answer, against the domain's lifecycle table.
/// </summary>
internal static class TransitionRefusals
{
    /// <summary>
    /// The data plane sends the execution's state with InvalidStateTransition. When that state could take the change
    /// and only its version differs from the caller's expectedVersion, the version is what stood in the way, and
    /// retrying with the current version can succeed: that is a version conflict, not an impossible transition.
    /// </summary>
    internal static Error Remap(IotJobsControl.Call call, IotServiceException failure, string? said)
    {
        var current = IotJobsWire.ToState(failure.ExecutionState);
        if (call.ExpectedVersion is { } expected && current is { VersionNumber: { } actual } && actual != expected && CouldTake(call, current.Status))
        {
            return JobsControlErrors.VersionConflict(ServiceMessages.Sentence(IotJobsErrors.VersionMismatch(expected, actual), said), current);
        }

        var status = current is null ? "" : $" from {current.Status.ToWire()}";
        return JobsControlErrors.InvalidTransition(
            ServiceMessages.Sentence($"AWS IoT refused {call.Operation}: the execution cannot make that change{status}", said), current);
    }

    /// <summary>Whether the lifecycle lets a device make the asked change from <paramref name="from"/> (at the right version).</summary>
    private static bool CouldTake(IotJobsControl.Call call, ExecutionStatus from) => call.Asked is { } to
        ? ExecutionLifecycle.Decide(new ExecutionMove(from, to, ExecutionMover.Device)).Allowed
        : !from.IsTerminal();
}
