using JobsFunctions.Domain.Operations;
using JobsFunctions.Domain.Recording;

namespace JobsFunctions.TestSupport.Operations;

/// <summary>An operator service wired as the composition root wires it: its actions on the same jobs port.</summary>
public static class OperatorServices
{
    public static OperatorService Create(IJobsControl jobs, IAuditLog audit, IIdempotencyStore idempotency, IRecordStore records, TimeProvider clock) =>
        new(jobs, new ExecutionActions(jobs, records, audit, clock), idempotency, clock);
}
