using System.Text;
using JobsFunctions.Domain.Executions;

namespace JobsFunctions.Domain.Sweeping;

/// <summary>
/// Where a run stopped, so the next resumes there: which list of jobs (own policies, then IN_PROGRESS jobs under the
/// default policy) and the page token of the page holding the job, the job, its phase, and within reconciliation the
/// status being listed and IoT's page token. A run stops only on its budget or on throttling, never on a job that
/// failed: that job is passed over and gets its next try when a later run's pass reaches it again.
/// </summary>
internal sealed record SweepCursor(
    SweepCursor.JobList List,
    string? ListToken,
    string? JobId,
    SweepCursor.JobPhase Phase,
    ExecutionStatus? ListingStatus,
    string? IotToken)
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
        Act,
    }

    /// <summary>A stop inside a job; the sweeper fills in the list and its page token.</summary>
    public static SweepCursor InJob(string jobId, JobPhase phase, ExecutionStatus? status = null, string? iotToken = null) =>
        new(JobList.OwnPolicies, null, jobId, phase, status, iotToken);

    public string Encode() => string.Join('|', new[]
    {
        List.ToString(), ListToken, JobId, Phase.ToString(), ListingStatus?.ToWire(), IotToken,
    }.Select(field => field is null ? "-" : "+" + Convert.ToBase64String(Encoding.UTF8.GetBytes(field))));

    /// <summary>Null when there is no cursor or it cannot be read (then the sweep starts over, which is safe).</summary>
    public static SweepCursor? Decode(string? text)
    {
        var fields = text?.Split('|');
        if (fields is not { Length: 6 })
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

            return new SweepCursor(Enum.Parse<JobList>(values[0]!), values[1], values[2], Enum.Parse<JobPhase>(values[3]!), status, values[5]);
        }
        catch (Exception exception) when (exception is FormatException or ArgumentException)
        {
            return null;
        }
    }
}
