using System.Globalization;
using Amazon.DynamoDBv2;
using JobsFunctions.Aws.Dynamo;
using JobsFunctions.Domain.Executions;
using JobsFunctions.Domain.Jobs;

namespace JobsFunctions.Local.Stack;

/// <summary>One job as the records table holds it: its status, its live counters and each execution's status.</summary>
public sealed record JobSummary(
    string JobId,
    JobStatus? Status,
    IReadOnlyDictionary<ExecutionStatus, long> Counts,
    IReadOnlyList<(string ThingName, ExecutionStatus Status)> Executions)
{
    public long Total => Counts.Values.Sum();
}

/// <summary>
/// Reads back what the functions recorded about the given jobs, through the same store and the same key lookups the
/// functions use (no scan).
/// </summary>
public static class TableSummary
{
    public static async Task<IReadOnlyList<JobSummary>> ReadAsync(
        IAmazonDynamoDB dynamo, StoreOptions options, IEnumerable<string> jobIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(jobIds);
        var store = new DynamoRecordStore(dynamo, options);
        var summaries = new List<JobSummary>();
        foreach (var jobId in jobIds.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            var job = await store.FindJobAsync(jobId, cancellationToken);
            var counts = await store.GetCountsAsync(jobId, cancellationToken);
            var executions = new List<(string, ExecutionStatus)>();
            string? token = null;
            do
            {
                var page = await store.ListExecutionsOfJobAsync(jobId, null, DynamoRecordStore.MaxPageSize, token, cancellationToken);
                executions.AddRange(page.Items.Select(record => (record.ThingName, record.Status)));
                token = page.NextPageToken;
            }
            while (token is not null);

            summaries.Add(new JobSummary(
                jobId,
                job?.Status,
                counts.ToDictionary().Where(pair => pair.Value != 0).ToDictionary(),
                executions));
        }

        return summaries;
    }

    public static void Write(TextWriter output, string tableName, IReadOnlyList<JobSummary> jobs)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(jobs);
        output.WriteLine($"Table {tableName}: {jobs.Count} job{(jobs.Count == 1 ? "" : "s")}");
        foreach (var job in jobs)
        {
            output.WriteLine($"  job {job.JobId}: {(job.Status is { } status ? status.ToWire() : "no job event recorded")}");
            var counters = job.Counts.Count == 0
                ? "none"
                : string.Join(", ", job.Counts.OrderBy(pair => pair.Key).Select(pair => $"{pair.Key.ToWire()} {pair.Value.ToString(CultureInfo.InvariantCulture)}"));
            output.WriteLine($"    counters: {counters} (total {job.Total.ToString(CultureInfo.InvariantCulture)})");
            foreach (var (thingName, executionStatus) in job.Executions)
            {
                output.WriteLine($"    execution {thingName}: {executionStatus.ToWire()}");
            }
        }
    }
}

/// <summary>Which job an event is about: its top-level <c>jobId</c>, when it has one.</summary>
public static class EventJobs
{
    public static string? JobIdOf(byte[] payload)
    {
        try
        {
            using var document = System.Text.Json.JsonDocument.Parse(payload);
            return document.RootElement.ValueKind == System.Text.Json.JsonValueKind.Object
                && document.RootElement.TryGetProperty("jobId", out var jobId)
                && jobId.ValueKind == System.Text.Json.JsonValueKind.String
                ? jobId.GetString()
                : null;
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }
}
