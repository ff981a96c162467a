using System.Collections.ObjectModel;
using System.Globalization;
using JobsFunctions.Domain.Executions;
using JobsFunctions.Domain.Jobs;
using JobsFunctions.Domain.Recording;

namespace JobsFunctions.TestSupport;

/// <summary>
/// The record store held in memory, with the semantics the DynamoDB store has: a save succeeds only when the stored
/// revision equals the revision the record was read at (0 = must not exist yet) and stores it one higher; the counter
/// change goes in the same atomic write; lists page in key order with opaque tokens. Records are copied on the way in,
/// so a caller that keeps mutating what it saved cannot change what is stored, as with a real table.
/// <para>
/// <see cref="BeforeExecutionSave"/> and <see cref="BeforeJobSave"/> run between a writer's read and its conditional
/// write, which is where a concurrent writer gets in. Writes made from inside a hook are not intercepted again.
/// </para>
/// </summary>
public sealed class InMemoryRecordStore : IRecordStore, IRecordQueries, IEndedAttemptQueries
{
    private readonly Lock _gate = new();
    private readonly Dictionary<(string JobId, string ThingName), ExecutionRecord> _executions = [];
    private readonly Dictionary<string, JobRecord> _jobs = new(StringComparer.Ordinal);
    private readonly Dictionary<string, StatusCounts> _counts = new(StringComparer.Ordinal);
    private readonly Dictionary<string, StatusCounts> _endedAttempts = new(StringComparer.Ordinal);
    private readonly Dictionary<(string JobId, DateTimeOffset Minute), StatusCounts> _endedMinutes = [];
    private readonly Dictionary<string, (DateTimeOffset At, long Sequence)> _listed = new(StringComparer.Ordinal);
    private readonly TimeProvider _clock;
    private readonly AsyncLocal<bool> _insideHook = new();
    private int _executionReads;
    private int _executionWrites;
    private int _executionConflicts;
    private int _jobWrites;
    private int _jobConflicts;
    private int _endedMinutesRead;

    /// <param name="clock">The clock that stamps when a job was first recorded (the listing's order); the system's by default.</param>
    public InMemoryRecordStore(TimeProvider? clock = null) => _clock = clock ?? TimeProvider.System;

    /// <summary>Runs before each conditional execution save, with the record about to be saved.</summary>
    public Func<ExecutionRecord, CancellationToken, Task>? BeforeExecutionSave { get; set; }

    /// <summary>Runs after each execution save the store accepted; throwing stands for an answer lost after the write.</summary>
    public Func<ExecutionRecord, Task>? AfterExecutionSave { get; set; }

    /// <summary>Runs before each conditional job save, with the record about to be saved.</summary>
    public Func<JobRecord, CancellationToken, Task>? BeforeJobSave { get; set; }

    /// <summary>Reads of one execution's record.</summary>
    public int ExecutionReads => Volatile.Read(ref _executionReads);

    public int ExecutionWrites => Volatile.Read(ref _executionWrites);

    /// <summary>Execution saves refused because the stored revision had moved on.</summary>
    public int ExecutionConflicts => Volatile.Read(ref _executionConflicts);

    public int JobWrites => Volatile.Read(ref _jobWrites);

    public int JobConflicts => Volatile.Read(ref _jobConflicts);

    /// <summary>Minute buckets returned by <see cref="ListEndedMinutesAsync"/> (DynamoDB reads one per minute and counter shard).</summary>
    public int EndedMinutesRead => Volatile.Read(ref _endedMinutesRead);

    /// <summary>Every stored execution, by job id then thing name.</summary>
    public IReadOnlyList<ExecutionRecord> Executions
    {
        get
        {
            lock (_gate)
            {
                return [.. _executions.Values.OrderBy(record => record.JobId, StringComparer.Ordinal).ThenBy(record => record.ThingName, StringComparer.Ordinal)];
            }
        }
    }

    /// <summary>Every stored job, by job id.</summary>
    public IReadOnlyList<JobRecord> Jobs
    {
        get
        {
            lock (_gate)
            {
                return [.. _jobs.Values.OrderBy(record => record.JobId, StringComparer.Ordinal)];
            }
        }
    }

    /// <summary>The ids of every job that has counters.</summary>
    public IReadOnlyList<string> CountedJobIds
    {
        get
        {
            lock (_gate)
            {
                return [.. _counts.Keys.Order(StringComparer.Ordinal)];
            }
        }
    }

    public Task<ExecutionRecord?> FindExecutionAsync(string jobId, string thingName, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            _executionReads++;
            return Task.FromResult(_executions.GetValueOrDefault((jobId, thingName)));
        }
    }

    public async Task<bool> TrySaveExecutionAsync(ExecutionRecord next, CounterChange? counterChange, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(next);
        cancellationToken.ThrowIfCancellationRequested();
        await RunHookAsync(BeforeExecutionSave, next, cancellationToken);
        lock (_gate)
        {
            var key = (next.JobId, next.ThingName);
            var storedRevision = _executions.TryGetValue(key, out var stored) ? stored.Revision : 0;
            if (storedRevision != next.Revision)
            {
                _executionConflicts++;
                return false;
            }

            List(next.JobId);
            _executions[key] = Copy(next) with { Revision = next.Revision + 1 };
            if (counterChange is not null)
            {
                CountsOf(_counts, next.JobId).Apply(counterChange);
                foreach (var ended in counterChange.Ended)
                {
                    CountsOf(_endedAttempts, next.JobId).Add(ended.Status, ended.Delta);
                    CountsOf(_endedMinutes, (next.JobId, ended.Minute)).Add(ended.Status, ended.Delta);
                }
            }

            _executionWrites++;
        }

        if (AfterExecutionSave is { } after)
        {
            await after(next);
        }

        return true;
    }

    public Task<JobRecord?> FindJobAsync(string jobId, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            return Task.FromResult(_jobs.GetValueOrDefault(jobId));
        }
    }

    public async Task<bool> TrySaveJobAsync(JobRecord next, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(next);
        cancellationToken.ThrowIfCancellationRequested();
        await RunHookAsync(BeforeJobSave, next, cancellationToken);
        lock (_gate)
        {
            var storedRevision = _jobs.TryGetValue(next.JobId, out var stored) ? stored.Revision : 0;
            if (storedRevision != next.Revision)
            {
                _jobConflicts++;
                return false;
            }

            List(next.JobId);
            _jobs[next.JobId] = Copy(next) with { Revision = next.Revision + 1 };
            _jobWrites++;
            return true;
        }
    }

    public Task<StatusCounts> GetCountsAsync(string jobId, CancellationToken cancellationToken) =>
        Task.FromResult(Snapshot(_counts, jobId, cancellationToken));

    public Task<StatusCounts> GetEndedAttemptCountsAsync(string jobId, CancellationToken cancellationToken) =>
        Task.FromResult(Snapshot(_endedAttempts, jobId, cancellationToken));

    /// <summary>One bucket per minute (the store has no counter shards), newest first.</summary>
    public Task<Page<EndedMinute>> ListEndedMinutesAsync(string jobId, DateTimeOffset since, int limit, string? pageToken, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        cancellationToken.ThrowIfCancellationRequested();
        var query = $"ended#{jobId}";
        var before = pageToken is null ? (DateTimeOffset?)null : new DateTimeOffset(long.Parse(PageToken.Decode(query, pageToken)[0], CultureInfo.InvariantCulture), TimeSpan.Zero);
        var from = EndedAttempts.MinuteOf(since);
        List<EndedMinute> page;
        lock (_gate)
        {
            page = [.. _endedMinutes
                .Where(pair => string.Equals(pair.Key.JobId, jobId, StringComparison.Ordinal) && pair.Key.Minute >= from && (before is null || pair.Key.Minute < before))
                .OrderByDescending(pair => pair.Key.Minute)
                .Take(limit)
                .Select(pair => new EndedMinute(pair.Key.Minute, Snapshot(pair.Value)))];
        }

        Interlocked.Add(ref _endedMinutesRead, page.Count);
        return Task.FromResult(new Page<EndedMinute>(
            page,
            page.Count == limit ? PageToken.Encode(query, [page[^1].Minute.UtcTicks.ToString("D19", CultureInfo.InvariantCulture)]) : null));
    }

    public Task<Page<ExecutionRecord>> ListExecutionsOfJobAsync(
        string jobId, ExecutionStatus? status, int limit, string? pageToken, CancellationToken cancellationToken) =>
        ListAsync(
            "job",
            record => string.Equals(record.JobId, jobId, StringComparison.Ordinal) && (status is null || record.Status == status),
            record => [record.ThingName],
            limit,
            pageToken,
            cancellationToken);

    public Task<Page<ExecutionRecord>> ListExecutionsOfThingAsync(string thingName, int limit, string? pageToken, CancellationToken cancellationToken) =>
        ListAsync(
            "thing",
            record => string.Equals(record.ThingName, thingName, StringComparison.Ordinal),
            record => [record.JobId],
            limit,
            pageToken,
            cancellationToken);


    private Task<Page<ExecutionRecord>> ListAsync(
        string query,
        Func<ExecutionRecord, bool> matches,
        Func<ExecutionRecord, string[]> sortKey,
        int limit,
        string? pageToken,
        CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        cancellationToken.ThrowIfCancellationRequested();
        var after = pageToken is null ? null : PageToken.Decode(query, pageToken);
        List<(string[] Key, ExecutionRecord Record)> candidates;
        lock (_gate)
        {
            candidates = [.. _executions.Values.Where(matches).Select(record => (sortKey(record), record))];
        }

        var ordered = candidates
            .Where(candidate => after is null || PageToken.CompareKeys(candidate.Key, after) > 0)
            .OrderBy(candidate => candidate.Key, PageToken.KeyComparer)
            .ToList();
        var page = ordered.Take(limit).ToList();
        var next = ordered.Count > limit ? PageToken.Encode(query, page[^1].Key) : null;
        return Task.FromResult(new Page<ExecutionRecord>([.. page.Select(candidate => candidate.Record)], next));
    }

    /// <summary>Jobs newest first by when this store first saved a record of them (ties: the later save first).</summary>
    public Task<Page<KnownJob>> ListJobsAsync(int limit, string? pageToken, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        cancellationToken.ThrowIfCancellationRequested();
        var after = pageToken is null ? (long?)null : long.Parse(PageToken.Decode("jobs", pageToken)[0], CultureInfo.InvariantCulture);
        List<(string JobId, DateTimeOffset At, long Sequence)> ordered;
        lock (_gate)
        {
            ordered = [.. _listed
                .Select(pair => (pair.Key, pair.Value.At, pair.Value.Sequence))
                .Where(job => after is null || job.Sequence < after)
                .OrderByDescending(job => job.Sequence)];
        }

        var page = ordered.Take(limit).ToList();
        var next = ordered.Count > limit ? PageToken.Encode("jobs", [page[^1].Sequence.ToString(CultureInfo.InvariantCulture)]) : null;
        return Task.FromResult(new Page<KnownJob>([.. page.Select(job => new KnownJob(job.JobId, job.At))], next));
    }

    // Under _gate: the first record of a job lists it.
    private void List(string jobId) => _listed.TryAdd(jobId, (_clock.GetUtcNow(), _listed.Count + 1));

    private static StatusCounts CountsOf<TKey>(Dictionary<TKey, StatusCounts> counters, TKey key)
        where TKey : notnull
    {
        if (!counters.TryGetValue(key, out var counts))
        {
            counts = new StatusCounts();
            counters[key] = counts;
        }

        return counts;
    }

    private StatusCounts Snapshot(Dictionary<string, StatusCounts> counters, string jobId, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            return counters.TryGetValue(jobId, out var counts) ? Snapshot(counts) : new StatusCounts();
        }
    }

    private static StatusCounts Snapshot(StatusCounts counts)
    {
        var copy = new StatusCounts();
        foreach (var status in ExecutionStatuses.All)
        {
            copy.Add(status, counts[status]);
        }

        return copy;
    }

    private async Task RunHookAsync<T>(Func<T, CancellationToken, Task>? hook, T next, CancellationToken cancellationToken)
    {
        if (hook is null || _insideHook.Value)
        {
            return;
        }

        _insideHook.Value = true;
        try
        {
            await hook(next, cancellationToken);
        }
        finally
        {
            _insideHook.Value = false;
        }
    }

    private static ExecutionRecord Copy(ExecutionRecord record) => record with
    {
        StatusDetails = Copy(record.StatusDetails),
        Ledger = new ReadOnlyCollection<LedgerEntry>([.. record.Ledger.Select(entry => entry with { StatusDetails = Copy(entry.StatusDetails) })]),
    };

    private static JobRecord Copy(JobRecord record) => record with
    {
        Targets = new ReadOnlyCollection<string>([.. record.Targets]),
        ReportedProcessDetails = CopyOrNull(record.ReportedProcessDetails),
        History = new ReadOnlyCollection<JobObservation>([.. record.History.Select(seen => seen with
        {
            Targets = seen.Targets is null ? null : new ReadOnlyCollection<string>([.. seen.Targets]),
            ReportedProcessDetails = CopyOrNull(seen.ReportedProcessDetails),
        })]),
    };

    private static ReadOnlyDictionary<string, TValue> Copy<TValue>(IReadOnlyDictionary<string, TValue> values) =>
        new(values.ToDictionary(StringComparer.Ordinal));

    private static ReadOnlyDictionary<string, TValue>? CopyOrNull<TValue>(IReadOnlyDictionary<string, TValue>? values) =>
        values is null ? null : Copy(values);
}
