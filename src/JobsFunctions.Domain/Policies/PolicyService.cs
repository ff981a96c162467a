using System.Globalization;
using JobsFunctions.Domain.Errors;
using JobsFunctions.Domain.Operations;
using JobsFunctions.Domain.Validation;

namespace JobsFunctions.Domain.Policies;

/// <summary>
/// Which stored revisions a conditional write accepts: HTTP's <c>If-Match</c> with the policy's ETag
/// (<c>"3"</c> is revision 3), or <c>*</c> for whatever policy exists. No revision matches when there is no policy.
/// </summary>
public sealed record RevisionMatch(bool AnyRevision, IReadOnlySet<long> Revisions)
{
    public static RevisionMatch Any { get; } = new(true, new HashSet<long>());

    public static RevisionMatch Of(params long[] revisions) => new(false, new HashSet<long>(revisions));

    public bool Matches(StoredPolicy? current) => current is not null && (AnyRevision || Revisions.Contains(current.Revision));

    public override string ToString() => AnyRevision
        ? "*"
        : string.Join(",", Revisions.Order().Select(revision => PolicyService.ETagOf(revision)));
}

/// <summary>
/// What a policy would do to a job now: the policy judged (the request's, or the stored revision), one page of the
/// actions, every planned action of the whole plan counted by the API it would call (<paramref name="Totals"/>), and
/// the token of the next page (null on the last).
/// </summary>
public sealed record PolicyPreview(
    string JobId, JobPolicy Policy, long? StoredRevision, IReadOnlyList<PlannedAction> Actions,
    IReadOnlyDictionary<string, int> Totals, string? NextToken);

/// <summary>
/// The operator's policy commands: read, replace and delete a job's policy, and preview what one would do. Each write is validated before the store
/// is touched, is conditional on the revision it read (and on the caller's <see cref="RevisionMatch"/> when given),
/// and leaves one entry in the job's audit trail whatever its outcome — unless the job id itself is invalid and
/// names no job. Policies carry no AWS call, so these commands need no idempotency key: a replayed replace stores
/// the same document again under the next revision.
/// </summary>
public sealed class PolicyService(IPolicyStore policies, IAuditLog audit, PolicyPlanner planner, TimeProvider clock)
{
    public const string PutOperation = "PutJobPolicy";
    public const string DeleteOperation = "DeleteJobPolicy";

    /// <summary>A preview's page when the caller names none, and the largest it may ask for.</summary>
    public const int DefaultPreviewLimit = 100;

    public const int MaxPreviewLimit = 1000;

    /// <summary>How often a write without If-Match re-reads and tries again when another writer got in between.</summary>
    private const int Attempts = 3;

    /// <summary>The HTTP entity tag of a revision: the revision number, quoted as a strong ETag.</summary>
    public static string ETagOf(long revision) => $"\"{revision.ToString(CultureInfo.InvariantCulture)}\"";

    public async Task<Result<StoredPolicy>> GetAsync(string jobId, CancellationToken cancellationToken)
    {
        if (Identifiers.CheckJobId(jobId) is { } invalid)
        {
            return invalid;
        }

        return await policies.FindAsync(jobId, cancellationToken) is { } stored ? stored : NoPolicy(jobId);
    }

    /// <summary>Replaces the job's policy (or sets its first); the stored policy's revision is the previous one plus 1.</summary>
    public async Task<Result<StoredPolicy>> PutAsync(
        string jobId, PolicyDocument document, RevisionMatch? ifMatch, OperatorContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(document);
        ArgumentNullException.ThrowIfNull(context);
        var parameters = Parameters(jobId, ifMatch, document);
        var validated = Identifiers.CheckJobId(jobId) ?? OperatorContextRules.Check(context) ?? PolicyRules.Check(document);
        if (validated is { } invalid)
        {
            await AppendAsync(jobId, PutOperation, parameters, context, invalid, cancellationToken);
            return invalid;
        }

        var policy = PolicyRules.ToPolicy(document).Value;
        Result<StoredPolicy> result = Error.Conflict("conflict.policy.concurrentWrite",
            $"The policy of job {jobId} kept changing while it was being replaced; try again.");
        for (var attempt = 0; attempt < Attempts; attempt++)
        {
            var current = await policies.FindAsync(jobId, cancellationToken);
            if (ifMatch is not null && !ifMatch.Matches(current))
            {
                result = Mismatch(jobId, ifMatch, current);
                break;
            }

            var next = new StoredPolicy(jobId, policy, (current?.Revision ?? 0) + 1, clock.GetUtcNow(), context.Caller.Principal);
            if (await policies.TryPutAsync(next, current?.Revision ?? 0, cancellationToken))
            {
                result = next;
                parameters["revision"] = next.Revision.ToString(CultureInfo.InvariantCulture);
                break;
            }
        }

        // Not with the caller's token: the store may have changed, and the trail must say so even at the deadline.
        await AppendAsync(jobId, PutOperation, parameters, context, result.Error, CancellationToken.None);
        return result;
    }

    /// <summary>
    /// Records a replace the API refused before it held a policy document: the body was not JSON, had a member the
    /// document does not have or a value of the wrong type, or the request had a query parameter. The entry keeps the
    /// refusal's code and field and the first <see cref="MaxRefusedBodyCharacters"/> characters of what was sent.
    /// </summary>
    public Task RecordRefusedPutAsync(
        string jobId, RevisionMatch? ifMatch, Error refusal, string? body, OperatorContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(refusal);
        ArgumentNullException.ThrowIfNull(context);
        var parameters = Parameters(jobId, ifMatch, document: null);
        if (!string.IsNullOrEmpty(body))
        {
            parameters["body"] = Truncated(body);
            parameters["bodyLength"] = body.Length.ToString(CultureInfo.InvariantCulture);
        }

        return AppendAsync(jobId, PutOperation, parameters, context, refusal, cancellationToken);
    }

    /// <summary>
    /// Characters of a refused body kept in its audit entry: a valid policy document is well under this, so the start of
    /// a refused one shows what went wrong, while a refused body of any size leaves an entry of bounded size.
    /// </summary>
    public const int MaxRefusedBodyCharacters = 2048;

    private static string Truncated(string body)
    {
        if (body.Length <= MaxRefusedBodyCharacters)
        {
            return body;
        }

        // Never split a surrogate pair: half of one is not text, and the store would have to mangle it.
        var length = char.IsHighSurrogate(body[MaxRefusedBodyCharacters - 1]) ? MaxRefusedBodyCharacters - 1 : MaxRefusedBodyCharacters;
        return string.Concat(body.AsSpan(0, length), "…");
    }

    public async Task<Result<Unit>> DeleteAsync(string jobId, RevisionMatch? ifMatch, OperatorContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var parameters = Parameters(jobId, ifMatch, document: null);
        if ((Identifiers.CheckJobId(jobId) ?? OperatorContextRules.Check(context)) is { } invalid)
        {
            await AppendAsync(jobId, DeleteOperation, parameters, context, invalid, cancellationToken);
            return invalid;
        }

        Result<Unit> result = Error.Conflict("conflict.policy.concurrentWrite",
            $"The policy of job {jobId} kept changing while it was being deleted; try again.");
        for (var attempt = 0; attempt < Attempts; attempt++)
        {
            var current = await policies.FindAsync(jobId, cancellationToken);
            if (current is null)
            {
                result = NoPolicy(jobId);
                break;
            }

            if (ifMatch is not null && !ifMatch.Matches(current))
            {
                result = Mismatch(jobId, ifMatch, current);
                break;
            }

            if (await policies.TryDeleteAsync(jobId, current.Revision, cancellationToken))
            {
                result = Unit.Value;
                parameters["revision"] = current.Revision.ToString(CultureInfo.InvariantCulture);
                break;
            }
        }

        await AppendAsync(jobId, DeleteOperation, parameters, context, result.Error, CancellationToken.None);
        return result;
    }

    /// <summary>
    /// The actions <paramref name="document"/> — or, when it is null, the job's stored policy — would take now,
    /// judged on what the store holds, one page at a time (<paramref name="limit"/> actions, default 100, at most
    /// 1,000; the plan is in thing-name order and <paramref name="nextToken"/> resumes after the last thing named).
    /// Reads only: nothing is written, nothing is audited, no IoT API is called. Each page reads the job's open
    /// executions once (one store query per 250 of them, plus what the abort criteria read) to plan and count the
    /// whole plan, and answers at most 1,000 actions.
    /// </summary>
    public async Task<Result<PolicyPreview>> PreviewAsync(
        string jobId, PolicyDocument? document, int? limit, string? nextToken, CancellationToken cancellationToken)
    {
        if ((Identifiers.CheckJobId(jobId) ?? FieldRules.Range(limit, "limit", 1, MaxPreviewLimit)) is { } invalidRequest)
        {
            return invalidRequest;
        }

        var after = PreviewToken.Decode(nextToken);
        if (!after.IsSuccess)
        {
            return after.Error;
        }

        JobPolicy policy;
        long? revision = null;
        if (document is not null)
        {
            var parsed = PolicyRules.ToPolicy(document);
            if (!parsed.IsSuccess)
            {
                return parsed.Error;
            }

            policy = parsed.Value;
        }
        else if (await policies.FindAsync(jobId, cancellationToken) is { } stored)
        {
            (policy, revision) = (stored.Policy, stored.Revision);
        }
        else
        {
            return Error.NotFound("notFound.policy", $"Job {jobId} has no policy of its own; send one in the body to preview it.");
        }

        var plan = (await planner.PlanAsync(jobId, policy, "policy", clock.GetUtcNow(), cancellationToken)).Actions;
        var totals = plan.GroupBy(action => action.Operation, StringComparer.Ordinal)
            .ToDictionary(group => group.Key, group => group.Count(), StringComparer.Ordinal);
        var rest = after.Value is { } thing
            ? plan.Where(action => string.CompareOrdinal(action.ThingName ?? "", thing) > 0).ToList()
            : plan;
        var page = rest.Take(limit ?? DefaultPreviewLimit).ToList();
        var next = rest.Count > page.Count ? PreviewToken.Encode(page[^1].ThingName ?? "") : null;
        return new PolicyPreview(jobId, policy, revision, page, totals, next);
    }

    private static Error NoPolicy(string jobId) => Error.NotFound("notFound.policy", $"Job {jobId} has no policy of its own.");

    private static Error Mismatch(string jobId, RevisionMatch ifMatch, StoredPolicy? current) => Error.PreconditionFailed(
        "preconditionFailed.policy.revision",
        current is null
            ? $"If-Match {ifMatch} names a policy revision, but job {jobId} has no policy."
            : $"If-Match {ifMatch} does not match the current policy of job {jobId}, whose ETag is {ETagOf(current.Revision)}; read it again before changing it.");

    /// <summary>The request as the audit trail keeps it: the document's members by field path, and the condition.</summary>
    private static SortedDictionary<string, string> Parameters(string jobId, RevisionMatch? ifMatch, PolicyDocument? document)
    {
        var parameters = new SortedDictionary<string, string>(StringComparer.Ordinal) { ["jobId"] = jobId };
        if (ifMatch is not null)
        {
            parameters["ifMatch"] = ifMatch.ToString();
        }

        if (document is null)
        {
            return parameters;
        }

        Add("dryRun", document.DryRun);
        var criteria = document.AbortConfig?.CriteriaList ?? [];
        for (var index = 0; index < criteria.Count; index++)
        {
            if (criteria[index] is not { } criterion)
            {
                continue;
            }

            var path = $"abortConfig.criteriaList[{index.ToString(CultureInfo.InvariantCulture)}]";
            Add($"{path}.failureType", criterion.FailureType);
            Add($"{path}.action", criterion.Action);
            Add($"{path}.force", criterion.Force);
            Add($"{path}.thresholdPercentage", criterion.ThresholdPercentage);
            Add($"{path}.minNumberOfExecutedThings", criterion.MinNumberOfExecutedThings);
            Add($"{path}.thresholdCount", criterion.ThresholdCount);
            Add($"{path}.windowInMinutes", criterion.WindowInMinutes);
            Add($"{path}.consecutiveFailures", criterion.ConsecutiveFailures);
        }

        if (document.TimeoutConfig is { } timeouts)
        {
            Add("timeoutConfig.queuedTimeoutInMinutes", timeouts.QueuedTimeoutInMinutes);
            Add("timeoutConfig.inProgressTimeoutInMinutes", timeouts.InProgressTimeoutInMinutes);
            Add("timeoutConfig.noProgressTimeoutInMinutes", timeouts.NoProgressTimeoutInMinutes);
            Add("timeoutConfig.action", timeouts.Action);
        }

        return parameters;

        void Add(string name, object? value)
        {
            var text = value switch
            {
                null => null,
                bool flag => flag ? "true" : "false",
                decimal number => number.ToString("G29", CultureInfo.InvariantCulture),
                IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
                _ => value.ToString(),
            };
            if (text is not null)
            {
                parameters[name] = text;
            }
        }
    }

    /// <summary>Appends the request's entry: a success when <paramref name="refusal"/> is null, else its code and field.</summary>
    private Task AppendAsync(
        string jobId, string operation, IReadOnlyDictionary<string, string> parameters, OperatorContext context, Error? refusal,
        CancellationToken cancellationToken) =>
        Identifiers.IsJobId(jobId)
            ? audit.AppendAsync(
                new AuditEntry(jobId, null, context.RequestId, clock.GetUtcNow(), context.Caller, operation, context.Route, parameters,
                    context.Reason, refusal?.Code ?? AuditEntry.Succeeded, Before: null, After: null, Field: refusal?.Field),
                cancellationToken)
            : Task.CompletedTask;
}
