using System.Globalization;
using JobsFunctions.Domain.Errors;
using JobsFunctions.Domain.Executions;
using JobsFunctions.Domain.Jobs;
using JobsFunctions.Domain.Operations;
using JobsFunctions.Domain.Policies;
using JobsFunctions.Domain.Recording;
using JobsFunctions.Domain.Validation;

namespace JobsFunctions.Domain.Sweeping;

/// <summary>
/// Applies job policies on a schedule. A run:
/// <list type="number">
/// <item>Takes the lease (one conditional write) or does nothing: two overlapping runs never act twice. The lease is
/// given back when the run ends, failed or not.</item>
/// <item>Checks once that the account's job and job-execution events are on (DescribeEventConfigurations).</item>
/// <item>Sweeps the jobs with a policy of their own, then, when a default policy is configured, the IN_PROGRESS jobs
/// (ListJobs) without one; a job being canceled, completed or deleted is passed over.</item>
/// <item>Per job, <b>reconciles</b>: pages ListJobExecutionsForJob for QUEUED and IN_PROGRESS (250 a page) and records
/// each summary through <see cref="StatusRecorder"/> (an unchanged execution is a duplicate: no write, and no read
/// beyond the store's own list of the job's open executions); an execution the store holds as open that IoT no
/// longer lists as open is described once and recorded, which repairs a missed terminal event. This needs the whole
/// listing in one run; a job whose listing spans runs is repaired by the describe before each timeout action.</item>
/// <item>Then <b>evaluates</b> the abort criteria (<see cref="AbortEvaluation"/>) and <b>acts</b>: CancelJob with
/// reasonCode POLICY_ABORT when one trips (and nothing else for that job); otherwise each open execution that reached
/// a timeout (<see cref="TimeoutRules"/>) is described (never act on the store alone), judged again on what AWS says,
/// and canceled (forced when IN_PROGRESS) or failed with the described version as expectedVersion and statusDetails
/// naming the policy and the reason. A version conflict or invalid transition means the device moved: the action is
/// skipped and the skip audited, never retried. Every action goes through <see cref="ExecutionActions"/> (recorded,
/// audited with the policy revision); a dry-run policy audits what it would do instead.</item>
/// <item>Stops starting new work at <see cref="SweepRun.StopBy"/> (or when AWS keeps throttling) and stores a cursor,
/// so the next run resumes at the same job, phase and IoT page.</item>
/// </list>
/// </summary>
public sealed class PolicySweeper
{
    /// <summary>The IoT list operations' maximum page, and the store list page the sweeper reads.</summary>
    public const int PageSize = 250;

    public const string AbortReasonCode = "POLICY_ABORT";

    /// <summary>The audit outcome of a dry-run decision.</summary>
    public const string DryRunOutcome = "dryRun";

    /// <summary>statusDetails keys the sweeper sets on an execution it cancels or fails.</summary>
    public const string PolicyDetailKey = "jobsfunctions:policy";

    public const string ReasonDetailKey = "jobsfunctions:reason";

    private static readonly ExecutionStatus[] OpenStatuses = [ExecutionStatus.Queued, ExecutionStatus.InProgress];

    private readonly IJobsControl _jobs;
    private readonly IRecordStore _records;
    private readonly IRecordQueries _queries;
    private readonly IPolicyStore _policies;
    private readonly ISweepState _state;
    private readonly TimeProvider _clock;
    private readonly SweeperOptions _options;
    private readonly StatusRecorder _recorder;
    private readonly ExecutionActions _actions;
    private readonly AbortEvaluation _abort;

    public PolicySweeper(
        IJobsControl jobs,
        IRecordStore records,
        IRecordQueries queries,
        IEndedAttemptQueries ended,
        IPolicyStore policies,
        ISweepState state,
        IAuditLog audit,
        TimeProvider clock,
        SweeperOptions options)
    {
        _jobs = jobs;
        _records = records;
        _queries = queries;
        _policies = policies;
        _state = state;
        _clock = clock;
        _options = options;
        _recorder = new StatusRecorder(records, clock);
        _actions = new ExecutionActions(jobs, records, audit, clock);
        _abort = new AbortEvaluation(ended);
    }

    public async Task<SweepReport> RunAsync(SweepRun run, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        var startedAt = _clock.GetUtcNow();
        var budget = run.StopBy > startedAt ? run.StopBy - startedAt : TimeSpan.Zero;
        var lease = await _state.TryAcquireLeaseAsync(run.RunId, startedAt, budget + _options.LeaseMarginOrDefault, cancellationToken);
        var tally = new Tally(run, _clock, cancellationToken);
        if (lease is null)
        {
            return tally.Report(leaseTaken: false, events: null, finished: false, _clock.GetUtcNow() - startedAt);
        }

        try
        {
            var events = await tally.CallAsync("-", token => _jobs.DescribeEventConfigurationsAsync(token));
            var cursor = SweepCursor.Decode(await _state.GetCursorAsync(SweepCursor.Name, cancellationToken));
            var stoppedAt = await SweepJobsAsync(cursor, tally);
            // Not with the run's token: a run stopped by its deadline must still say where the next one resumes.
            await _state.SetCursorAsync(SweepCursor.Name, stoppedAt?.Encode(), CancellationToken.None);
            return tally.Report(leaseTaken: true, events.IsSuccess ? events.Value : null, finished: stoppedAt is null, _clock.GetUtcNow() - startedAt);
        }
        finally
        {
            await _state.ReleaseLeaseAsync(lease, CancellationToken.None);
        }
    }

    /// <summary>
    /// What <paramref name="policy"/> would do to the job now, judged on the store alone: reads only, no IoT call, no
    /// write. An abort, when a criterion trips, is the only action (a run takes nothing else for that job).
    /// </summary>
    public async Task<IReadOnlyList<PlannedAction>> PreviewAsync(string jobId, JobPolicy policy, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(policy);
        var open = await ListStoreOpenAsync(jobId, cancellationToken);
        var (abort, timeouts) = await PlanAsync(jobId, policy, "policy", open.Values, _clock.GetUtcNow(), cancellationToken);
        return abort is not null ? [abort] : [.. timeouts.Select(planned => planned.Action)];
    }

    /// <summary>Returns where the run stopped, or null when it went through every job.</summary>
    private async Task<SweepCursor?> SweepJobsAsync(SweepCursor? cursor, Tally tally)
    {
        var resume = cursor;
        if (resume is null or { List: SweepCursor.JobList.OwnPolicies })
        {
            var listToken = resume?.ListToken;
            do
            {
                var page = await _policies.ListAsync(PageSize, listToken, tally.Token);
                foreach (var stored in page.Items.Where(item => resume?.JobId is not { } at || string.CompareOrdinal(item.JobId, at) >= 0))
                {
                    var at = resume?.JobId == stored.JobId ? resume : null;
                    resume = null;
                    if (await SweepJobAsync(stored.JobId, stored.Policy, PolicyLabel(stored.Revision), stored.Revision, at, tally) is { } stop)
                    {
                        return stop with { List = SweepCursor.JobList.OwnPolicies, ListToken = listToken };
                    }
                }

                resume = null;
                listToken = page.NextPageToken;
            }
            while (listToken is not null);
        }

        if (_options.DefaultPolicy is not { } fallback)
        {
            return null;
        }

        var jobsToken = resume?.ListToken;
        do
        {
            if (tally.OutOfBudget)
            {
                return new SweepCursor(SweepCursor.JobList.DefaultPolicy, jobsToken, null, SweepCursor.JobPhase.Reconcile, null, null);
            }

            var listed = await tally.CallAsync("-", token => _jobs.ListJobsAsync(JobStatus.InProgress, PageSize, jobsToken, token));
            if (!listed.IsSuccess)
            {
                return Tally.MustStop(listed.Error)
                    ? new SweepCursor(SweepCursor.JobList.DefaultPolicy, jobsToken, null, SweepCursor.JobPhase.Reconcile, null, null)
                    : null;
            }

            var jobs = listed.Value.Items;
            // ListJobs has no documented order: resume at the job if this page still holds it, else take the whole page.
            var from = resume?.JobId is { } resumeAt && jobs.ToList().FindIndex(job => job.JobId == resumeAt) is var index and >= 0 ? index : 0;
            foreach (var job in jobs.Skip(from))
            {
                var at = resume?.JobId == job.JobId ? resume : null;
                resume = null;
                if (await _policies.FindAsync(job.JobId, tally.Token) is not null)
                {
                    continue; // swept under its own policy
                }

                if (await SweepJobAsync(job.JobId, fallback, "default policy", 0, at, tally) is { } stop)
                {
                    return stop with { List = SweepCursor.JobList.DefaultPolicy, ListToken = jobsToken };
                }
            }

            resume = null;
            jobsToken = listed.Value.NextPageToken;
        }
        while (jobsToken is not null);

        return null;
    }

    /// <summary>Sweeps one job; returns where to resume when the run must stop inside it, null when the job is done.</summary>
    private async Task<SweepCursor?> SweepJobAsync(string jobId, JobPolicy policy, string label, long revision, SweepCursor? resume, Tally tally)
    {
        SweepCursor Stop(SweepCursor.JobPhase phase, ExecutionStatus? status = null, string? iotToken = null) =>
            new(SweepCursor.JobList.OwnPolicies, null, jobId, phase, status, iotToken);

        if (tally.OutOfBudget)
        {
            return Stop(resume?.Phase ?? SweepCursor.JobPhase.Reconcile, resume?.ListingStatus, resume?.IotToken);
        }

        if (await _records.FindJobAsync(jobId, tally.Token) is { } job && job.Status.Stage() >= JobStatus.CancellationInProgress.Stage())
        {
            return null;
        }

        tally.JobsSwept++;
        var open = await ListStoreOpenAsync(jobId, tally.Token);
        if ((resume?.Phase ?? SweepCursor.JobPhase.Reconcile) == SweepCursor.JobPhase.Reconcile)
        {
            var wholeListing = resume is not { ListingStatus: not null };
            var listedOpen = new HashSet<string>(StringComparer.Ordinal);
            var storeOpen = open.Keys.ToList();
            foreach (var status in OpenStatuses.SkipWhile(status => resume?.ListingStatus is { } at && status != at))
            {
                var token = resume?.ListingStatus == status ? resume.IotToken : null;
                do
                {
                    if (tally.OutOfBudget)
                    {
                        return Stop(SweepCursor.JobPhase.Reconcile, status, token);
                    }

                    var page = await tally.CallAsync(jobId, cancel => _jobs.ListJobExecutionsForJobAsync(jobId, status, PageSize, token, cancel));
                    if (!page.IsSuccess)
                    {
                        return Tally.MustStop(page.Error) ? Stop(SweepCursor.JobPhase.Reconcile, status, token) : null;
                    }

                    foreach (var summary in page.Value.Items)
                    {
                        listedOpen.Add(summary.ThingName);
                        var observations = Snapshots.Of(jobId, summary);
                        if (observations.Count > 0)
                        {
                            Keep(open, await RecordAsync(observations, open.GetValueOrDefault(summary.ThingName), tally));
                        }
                    }

                    token = page.Value.NextPageToken;
                }
                while (token is not null);
            }

            if (wholeListing)
            {
                foreach (var thingName in storeOpen.Where(thing => !listedOpen.Contains(thing)))
                {
                    if (tally.OutOfBudget)
                    {
                        return Stop(SweepCursor.JobPhase.Act);
                    }

                    var described = await tally.CallAsync(jobId, cancel => _jobs.DescribeJobExecutionAsync(jobId, thingName, null, cancel));
                    if (described.IsSuccess)
                    {
                        Keep(open, await RecordAsync(Snapshots.Of(described.Value, _clock.GetUtcNow()), open.GetValueOrDefault(thingName), tally));
                    }
                    else if (Tally.MustStop(described.Error))
                    {
                        return Stop(SweepCursor.JobPhase.Act);
                    }
                }
            }
        }

        if (tally.OutOfBudget)
        {
            return Stop(SweepCursor.JobPhase.Act);
        }

        var (abort, timeouts) = await PlanAsync(jobId, policy, label, open.Values, tally.JudgedAt, tally.Token);
        tally.ExecutionsExamined += policy.Timeouts is null || abort is not null ? 0 : open.Count;
        if (abort is not null)
        {
            return await AbortAsync(abort, policy, revision, tally) ? Stop(SweepCursor.JobPhase.Act) : null;
        }

        foreach (var (action, record) in timeouts)
        {
            if (tally.OutOfBudget)
            {
                return Stop(SweepCursor.JobPhase.Act);
            }

            if (await TimeOutAsync(action, record, policy, label, revision, tally))
            {
                return Stop(SweepCursor.JobPhase.Act);
            }
        }

        return null;
    }

    private async Task<(PlannedAction? Abort, List<(PlannedAction Action, ExecutionRecord Record)> Timeouts)> PlanAsync(
        string jobId, JobPolicy policy, string label, IEnumerable<ExecutionRecord> open, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (await _abort.EvaluateAsync(jobId, policy.AbortCriteria, now, cancellationToken) is { } decision)
        {
            return (new PlannedAction(PlannedActionKind.CancelJob, jobId, null, decision.Criterion.Force, decision.Comment), []);
        }

        var timeouts = new List<(PlannedAction, ExecutionRecord)>();
        foreach (var record in open.OrderBy(record => record.ThingName, StringComparer.Ordinal))
        {
            if (TimeoutRules.Check(record.Status, ExecutionTimes.Of(record), policy.Timeouts, now) is { } verdict)
            {
                var kind = policy.Timeouts!.Action == TimeoutAction.Fail ? PlannedActionKind.FailExecution : PlannedActionKind.CancelExecution;
                timeouts.Add((new PlannedAction(kind, jobId, record.ThingName, kind == PlannedActionKind.CancelExecution && record.Status == ExecutionStatus.InProgress,
                    $"{label}: {verdict.Reason}", record.Status, record.VersionNumber), record));
            }
        }

        return (null, timeouts);
    }

    /// <summary>Cancels the job (or audits that a dry run would). True when the run must stop.</summary>
    private async Task<bool> AbortAsync(PlannedAction abort, JobPolicy policy, long revision, Tally tally)
    {
        var command = new CancelJob(abort.JobId, abort.Force, AbortReasonCode, Truncate(abort.Reason, 2028));
        var actor = Actor.Policy(tally.RequestId(abort.JobId, null), revision, abort.Reason);
        if (policy.DryRun)
        {
            await _actions.AppendAsync(actor.AuditEntry(abort.JobId, null, _clock.GetUtcNow(), "CancelJob", RequestParameters.Of(command), DryRunOutcome), tally.Token);
            tally.DryRunActions++;
            return false;
        }

        tally.IotCalls++;
        var outcome = await _actions.RunAsync(
            new ExecutionAction<Unit>("CancelJob", abort.JobId, null, RequestParameters.Of(command), token => _jobs.CancelJobAsync(command, token),
                After: (_, _) => null, ExecutionNumber: null),
            actor, answered: null, tally.Token);
        if (!outcome.Result.IsSuccess)
        {
            return tally.Failed(abort.JobId, outcome.Result.Error);
        }

        tally.Actions++;
        await _recorder.RecordAsync(
            new JobObservation(abort.JobId, JobStatus.CancellationInProgress, $"sweep:{actor.RequestId}", _clock.GetUtcNow(), command.Comment, command.ReasonCode),
            tally.Token);
        return false;
    }

    /// <summary>Acts on one timed-out execution after describing it (or audits that a dry run would). True when the run must stop.</summary>
    private async Task<bool> TimeOutAsync(PlannedAction planned, ExecutionRecord record, JobPolicy policy, string label, long revision, Tally tally)
    {
        var (jobId, thingName) = (planned.JobId, planned.ThingName!);
        var requestId = tally.RequestId(jobId, thingName);
        if (policy.DryRun)
        {
            var parameters = planned.Kind == PlannedActionKind.FailExecution
                ? RequestParameters.Of(new UpdateJobExecution(jobId, thingName, ExecutionStatus.Failed.ToWire()))
                : RequestParameters.Of(new CancelJobExecution(jobId, thingName, planned.Force));
            var entry = Actor.Policy(requestId, revision, planned.Reason)
                .AuditEntry(jobId, thingName, _clock.GetUtcNow(), OperationOf(planned.Kind), parameters, DryRunOutcome);
            await _actions.AppendAsync(entry with { Before = ExecutionState.Of(record) }, tally.Token);
            tally.DryRunActions++;
            return false;
        }

        var described = await tally.CallAsync(jobId, token => _jobs.DescribeJobExecutionAsync(jobId, thingName, null, token));
        if (!described.IsSuccess)
        {
            return Tally.MustStop(described.Error);
        }

        var execution = described.Value;
        var recorded = ExecutionTimes.Of(record);
        var times = new ExecutionTimes(execution.QueuedAt ?? recorded.QueuedAt, execution.StartedAt ?? recorded.StartedAt,
            execution.LastUpdatedAt ?? recorded.LastChangedAt);
        if (TimeoutRules.Check(execution.Status, times, policy.Timeouts, tally.JudgedAt) is not { } verdict || execution.VersionNumber is null)
        {
            // The store lagged AWS: learn what AWS says, and leave the execution alone.
            await RecordAsync(Snapshots.Of(execution, _clock.GetUtcNow()), record, tally);
            return false;
        }

        var reason = $"{label}: {verdict.Reason}";
        var details = DetailsFor(execution.StatusDetails, label, reason);
        var actor = Actor.Policy(requestId, revision, reason);
        Result<Unit> result;
        if (planned.Kind == PlannedActionKind.FailExecution)
        {
            var command = new UpdateJobExecution(jobId, thingName, ExecutionStatus.Failed.ToWire(), details,
                ExpectedVersion: execution.VersionNumber, IncludeJobExecutionState: true, ExecutionNumber: execution.ExecutionNumber);
            tally.IotCalls++;
            var outcome = await _actions.RunAsync(
                new ExecutionAction<ExecutionUpdate>("UpdateJobExecution", jobId, thingName, RequestParameters.Of(command),
                    token => _jobs.UpdateJobExecutionAsync(command, token),
                    After: (value, _) => value.ExecutionState ?? new ExecutionState(ExecutionStatus.Failed, details, null),
                    execution.ExecutionNumber, KnownBefore: execution.State, Known: record),
                actor, answered: null, tally.Token);
            result = outcome.Result.IsSuccess ? Unit.Value : outcome.Result.Error;
        }
        else
        {
            var command = new CancelJobExecution(jobId, thingName, execution.Status == ExecutionStatus.InProgress, execution.VersionNumber, details);
            tally.IotCalls++;
            var outcome = await _actions.RunAsync(
                new ExecutionAction<Unit>("CancelJobExecution", jobId, thingName, RequestParameters.Of(command),
                    token => _jobs.CancelJobExecutionAsync(command, token),
                    After: (_, _) => new ExecutionState(ExecutionStatus.Canceled, details, null),
                    execution.ExecutionNumber, KnownBefore: execution.State, Known: record),
                actor, answered: null, tally.Token);
            result = outcome.Result;
        }

        if (result.IsSuccess)
        {
            tally.Actions++;
            return false;
        }

        if (JobsControlErrors.IsStateConflict(result.Error))
        {
            // The device moved between the describe and the action: its state is recorded and the skip audited.
            tally.Skips++;
            tally.IotCalls += result.Error.CurrentState is null ? 0 : 1;
            return false;
        }

        return tally.Failed(jobId, result.Error);
    }

    /// <summary>
    /// The execution's details with the policy and the reason added (AWS replaces the map when one is given, so the
    /// device's own pairs are kept), within AWS's limits: at most 10 pairs (the device's last keys give way), values of
    /// at most 1,024 characters.
    /// </summary>
    private static Dictionary<string, string> DetailsFor(IReadOnlyDictionary<string, string> current, string label, string reason)
    {
        var details = current
            .Where(pair => pair.Key is not (PolicyDetailKey or ReasonDetailKey))
            .OrderBy(pair => pair.Key, StringComparer.Ordinal)
            .Take(StatusDetailsRules.MaxPairs - 2)
            .ToDictionary(StringComparer.Ordinal);
        details[PolicyDetailKey] = Truncate(label, StatusDetailsRules.MaxValueLength);
        details[ReasonDetailKey] = Truncate(reason, StatusDetailsRules.MaxValueLength);
        return StatusDetailsRules.Check(details) is null
            ? details
            : new Dictionary<string, string>(StringComparer.Ordinal) { [PolicyDetailKey] = details[PolicyDetailKey], [ReasonDetailKey] = details[ReasonDetailKey] };
    }

    private async Task<ExecutionRecording> RecordAsync(IReadOnlyList<ExecutionObservation> observations, ExecutionRecord? known, Tally tally)
    {
        var recording = await _recorder.RecordAsync(observations, known, tally.Token);
        if (recording.Outcome == RecordOutcome.Recorded)
        {
            tally.ReconciledChanges++;
        }

        return recording;
    }

    /// <summary>Keeps the job's open executions as recorded now: a recording that ended the execution drops it.</summary>
    private static void Keep(Dictionary<string, ExecutionRecord> open, ExecutionRecording recording)
    {
        if (recording.Record.IsTerminal)
        {
            open.Remove(recording.Record.ThingName);
        }
        else
        {
            open[recording.Record.ThingName] = recording.Record;
        }
    }

    /// <summary>The job's QUEUED and IN_PROGRESS executions as the store holds them, by thing name.</summary>
    private async Task<Dictionary<string, ExecutionRecord>> ListStoreOpenAsync(string jobId, CancellationToken cancellationToken)
    {
        var open = new Dictionary<string, ExecutionRecord>(StringComparer.Ordinal);
        foreach (var status in OpenStatuses)
        {
            string? token = null;
            do
            {
                var page = await _queries.ListExecutionsOfJobAsync(jobId, status, PageSize, token, cancellationToken);
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

    private static string PolicyLabel(long revision) => string.Create(CultureInfo.InvariantCulture, $"policy revision {revision}");

    private static string OperationOf(PlannedActionKind kind) => kind switch
    {
        PlannedActionKind.CancelJob => "CancelJob",
        PlannedActionKind.CancelExecution => "CancelJobExecution",
        _ => "UpdateJobExecution",
    };

    private static string Truncate(string text, int length) => text.Length <= length ? text : text[..length];

    /// <summary>A run's figures and its budget.</summary>
    private sealed class Tally(SweepRun run, TimeProvider clock, CancellationToken token)
    {
        private readonly List<string> _errors = [];
        private int _actionSequence;

        public CancellationToken Token => token;

        public bool OutOfBudget => token.IsCancellationRequested || clock.GetUtcNow() >= run.StopBy;

        public DateTimeOffset JudgedAt => run.JudgedAt ?? clock.GetUtcNow();

        public int JobsSwept { get; set; }

        public int Actions { get; set; }

        public int DryRunActions { get; set; }

        public int Skips { get; set; }

        public int ExecutionsExamined { get; set; }

        public int ReconciledChanges { get; set; }

        public int IotCalls { get; set; }

        public int Throttles { get; set; }

        /// <summary>Unique per action within the run, and readable in the audit trail.</summary>
        public string RequestId(string jobId, string? thingName) => string.Create(CultureInfo.InvariantCulture,
            $"{run.RunId}:{++_actionSequence}:{jobId}{(thingName is null ? "" : "/" + thingName)}");

        public async Task<Result<T>> CallAsync<T>(string jobId, Func<CancellationToken, Task<Result<T>>> call)
        {
            IotCalls++;
            var result = await call(token);
            if (!result.IsSuccess)
            {
                Failed(jobId, result.Error);
            }

            return result;
        }

        /// <summary>Counts an expected failure; true when the run should stop and resume later (throttled, unavailable).</summary>
        public bool Failed(string jobId, Error error)
        {
            if (error.Kind == ErrorKind.Throttled)
            {
                Throttles++;
            }
            else
            {
                _errors.Add($"{jobId}: {error.Code}");
            }

            return MustStop(error);
        }

        public static bool MustStop(Error error) => error.Kind is ErrorKind.Throttled or ErrorKind.Unavailable;

        public SweepReport Report(bool leaseTaken, JobEventSwitches? events, bool finished, TimeSpan duration) => new(
            run.RunId, leaseTaken, events, finished, JobsSwept, Actions, DryRunActions, Skips, ExecutionsExamined, ReconciledChanges, IotCalls,
            Throttles, [.. _errors], duration);
    }
}
