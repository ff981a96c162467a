namespace JobsFunctions.Domain.Executions;

/// <summary>
/// A job's executions counted by status, as DescribeJob's jobProcessDetails shows them; kept live by the recorder,
/// never by scanning.
/// </summary>
public sealed class StatusCounts
{
    private readonly long[] _counts = new long[ExecutionStatuses.All.Count];

    public long this[ExecutionStatus status] => _counts[(int)status];

    public long Total => _counts.Sum();

    public void Add(ExecutionStatus status, long delta) => _counts[(int)status] += delta;

    public void Apply(CounterChange change)
    {
        ArgumentNullException.ThrowIfNull(change);
        if (change.From is { } from)
        {
            Add(from, -1);
        }

        Add(change.To, 1);
    }

    public IReadOnlyDictionary<ExecutionStatus, long> ToDictionary() =>
        ExecutionStatuses.All.ToDictionary(status => status, status => _counts[(int)status]);
}
