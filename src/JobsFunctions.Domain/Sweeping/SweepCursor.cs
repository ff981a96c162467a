using System.Globalization;
using System.Text;
using JobsFunctions.Domain.Executions;

namespace JobsFunctions.Domain.Sweeping;

/// <summary>
/// Where a run stopped, so the next resumes there: which list of jobs (own policies, then IN_PROGRESS jobs under the
/// default policy) and the page token of the page holding the job, the job, its phase, and within reconciliation the
/// status being listed, IoT's page token, and the listing's id and how many chunks of what it listed are kept
/// (<see cref="JobReconciliation"/>; no id when they could not be kept). A run stops only on its budget or on
/// throttling, never on a job that failed: that job is passed over and gets its next try when a later run's pass
/// reaches it again.
/// </summary>
internal sealed record SweepCursor(
    SweepCursor.JobList List,
    string? ListToken,
    string? JobId,
    SweepCursor.JobPhase Phase,
    ExecutionStatus? ListingStatus,
    string? IotToken,
    string? Listing = null,
    int ListedChunks = 0)
{
    public const string Name = "policy-sweeper";

    public enum JobList
    {
        OwnPolicies,
        DefaultPolicy,
    }

    public enum JobPhase
    {
        Reconcile,

        /// <summary>The listing is over: executions the store holds open that no run of it saw are being described.</summary>
        Repair,
        Act,
    }

    /// <summary>A stop inside a job; the sweeper fills in the list and its page token.</summary>
    public static SweepCursor InJob(
        string jobId, JobPhase phase, ExecutionStatus? status = null, string? iotToken = null, string? listing = null, int listedChunks = 0) =>
        new(JobList.OwnPolicies, null, jobId, phase, status, iotToken, listing, listedChunks);

    public string Encode() => string.Join('|', new[]
    {
        List.ToString(), ListToken, JobId, Phase.ToString(), ListingStatus?.ToWire(), IotToken, Listing,
        ListedChunks.ToString(CultureInfo.InvariantCulture),
    }.Select(field => field is null ? "-" : "+" + Convert.ToBase64String(Encoding.UTF8.GetBytes(field))));

    /// <summary>Null when there is no cursor or it cannot be read (then the sweep starts over, which is safe).</summary>
    public static SweepCursor? Decode(string? text)
    {
        // Six fields: a cursor from before listings were kept across runs, resumed without a listing id.
        var fields = text?.Split('|');
        if (fields is not { Length: 6 or 8 })
        {
            return null;
        }

        try
        {
            var values = fields.Select(field => field == "-" ? null : Encoding.UTF8.GetString(Convert.FromBase64String(field[1..]))).ToArray();
            ExecutionStatus? status = null;
            if (values[4] is { } wire)
            {
                status = ExecutionStatuses.TryParse(wire, out var parsed) ? parsed : throw new FormatException();
            }

            var chunks = values.Length == 8 ? int.Parse(values[7]!, NumberStyles.None, CultureInfo.InvariantCulture) : 0;
            return new SweepCursor(
                Enum.Parse<JobList>(values[0]!), values[1], values[2], Enum.Parse<JobPhase>(values[3]!), status, values[5], values.Length == 8 ? values[6] : null, chunks);
        }
        catch (Exception exception) when (exception is FormatException or ArgumentException or OverflowException)
        {
            return null;
        }
    }
}
