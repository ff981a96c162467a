using JobsFunctions.Domain.Operations;
using JobsFunctions.Domain.Recording;

namespace JobsFunctions.Domain.Policies;

/// <summary>
/// One page of the jobs that have a policy of their own, by job id, and the deployment's DefaultPolicy (applied to
/// every IN_PROGRESS job without one), when one is configured.
/// </summary>
public sealed record PolicyList(IReadOnlyList<StoredPolicy> Policies, JobPolicy? DefaultPolicy, string? NextPageToken);

/// <summary>Lists the policies in force: the store's per-job policies page by page, beside the configured default.</summary>
public sealed class PolicyListing(IPolicyStore policies, JobPolicy? defaultPolicy)
{
    public async Task<Result<PolicyList>> ListAsync(int? limit, string? pageToken, CancellationToken cancellationToken)
    {
        if ((FieldRules.Range(limit, "limit", 1, OperatorQueries.MaxLimit) ?? FieldRules.Length(pageToken, "nextToken", 1, 4096)) is { } invalid)
        {
            return invalid;
        }

        var page = await policies.ListAsync(limit ?? OperatorQueries.DefaultLimit, pageToken, cancellationToken);
        return new PolicyList(page.Items, defaultPolicy, page.NextPageToken);
    }
}
