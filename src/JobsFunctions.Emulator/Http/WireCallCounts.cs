using JobsFunctions.Domain.Errors;

namespace JobsFunctions.Emulator.Http;

/// <summary>What the emulator answered one operation of one plane: every answer, and those that were throttling or injected faults.</summary>
public sealed record OperationCalls(string Plane, string Operation, long Answered, long Throttled, long Injected);

/// <summary>What the emulator answered one operation about one job (operations whose path names a job).</summary>
public sealed record JobCalls(string Plane, string Operation, string JobId, long Answered, long Throttled, long Injected);

/// <summary>
/// The emulator's own count of the AWS calls it answered, per plane and operation and, where the path names a job,
/// per job: what a client's count of calls and throttled answers can be checked against. A throttled answer is one a
/// client counts as throttling (HTTP 429 or one of the <see cref="ThrottlingCodes"/>).
/// Routes under <c>/_emulator</c> are not counted.
/// </summary>
public sealed class WireCallCounts
{
    private readonly object _gate = new();
    private readonly Dictionary<(string Plane, string Operation), long[]> _byOperation = [];
    private readonly Dictionary<(string Plane, string Operation, string JobId), long[]> _byJob = [];

    public void Count(string plane, string operation, string? jobId, int status, string? errorCode, bool injected)
    {
        var throttled = status == 429 || (errorCode is not null && ThrottlingCodes.Contains(errorCode));
        lock (_gate)
        {
            Add(_byOperation, (plane, operation), throttled, injected);
            if (jobId is not null)
            {
                Add(_byJob, (plane, operation, jobId), throttled, injected);
            }
        }
    }

    public void Clear()
    {
        lock (_gate)
        {
            _byOperation.Clear();
            _byJob.Clear();
        }
    }

    public IReadOnlyList<OperationCalls> ByOperation()
    {
        lock (_gate)
        {
            return [.. _byOperation.OrderBy(pair => pair.Key.Plane, StringComparer.Ordinal).ThenBy(pair => pair.Key.Operation, StringComparer.Ordinal)
                .Select(pair => new OperationCalls(pair.Key.Plane, pair.Key.Operation, pair.Value[0], pair.Value[1], pair.Value[2]))];
        }
    }

    public IReadOnlyList<JobCalls> ByJob()
    {
        lock (_gate)
        {
            return [.. _byJob.OrderBy(pair => pair.Key.Plane, StringComparer.Ordinal).ThenBy(pair => pair.Key.Operation, StringComparer.Ordinal)
                .ThenBy(pair => pair.Key.JobId, StringComparer.Ordinal)
                .Select(pair => new JobCalls(pair.Key.Plane, pair.Key.Operation, pair.Key.JobId, pair.Value[0], pair.Value[1], pair.Value[2]))];
        }
    }

    private static void Add<TKey>(Dictionary<TKey, long[]> counts, TKey key, bool throttled, bool injected)
        where TKey : notnull
    {
        if (!counts.TryGetValue(key, out var count))
        {
            count = new long[3];
            counts[key] = count;
        }

        count[0]++;
        count[1] += throttled ? 1 : 0;
        count[2] += injected ? 1 : 0;
    }
}
