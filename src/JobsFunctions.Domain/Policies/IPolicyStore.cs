using JobsFunctions.Domain.Recording;

namespace JobsFunctions.Domain.Policies;

/// <summary>Per-job policies, replaced whole and guarded by their revision.</summary>
public interface IPolicyStore
{
    Task<StoredPolicy?> FindAsync(string jobId, CancellationToken cancellationToken);

    /// <summary>Jobs that have a policy of their own, by job id; no scan.</summary>
    Task<Page<StoredPolicy>> ListAsync(int limit, string? pageToken, CancellationToken cancellationToken);

    /// <summary>
    /// Stores <paramref name="next"/> (whose revision is the one to store) when the current revision is
    /// <paramref name="expectedRevision"/> (0 = no policy yet; null = whatever is there). False when it is not.
    /// </summary>
    Task<bool> TryPutAsync(StoredPolicy next, long? expectedRevision, CancellationToken cancellationToken);

    /// <summary>Removes the job's policy when its revision is <paramref name="expectedRevision"/> (null = any). False when absent or not matching.</summary>
    Task<bool> TryDeleteAsync(string jobId, long? expectedRevision, CancellationToken cancellationToken);
}
