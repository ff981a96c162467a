using System.Globalization;
using System.Text;
using JobsFunctions.Domain.Executions;

namespace JobsFunctions.Emulator.Model;

// Lookups: jobs, things, groups and executions by name, target ARNs, and paging.
public sealed partial class JobsEmulator
{
    private EmulatedJob Job(string jobId) =>
        _jobs.TryGetValue(jobId, out var job) ? job : throw EmulatorException.NotFound($"Job {jobId} does not exist.");

    /// <summary>A job whose executions can still be reached: not one being deleted.</summary>
    private EmulatedJob LiveJob(string jobId)
    {
        var job = Job(jobId);
        return job.Status == EmulatedJobStatus.DeletionInProgress ? throw EmulatorException.NotFound($"Job {jobId} is being deleted.") : job;
    }

    private EmulatedThing Thing(string name) =>
        _things.TryGetValue(name, out var thing) ? thing : throw EmulatorException.NotFound($"Thing {name} does not exist.");

    private EmulatedThingGroup Group(string name) =>
        _groups.TryGetValue(name, out var group) ? group : throw EmulatorException.NotFound($"Thing group {name} does not exist.");

    private static EmulatedExecution? Latest(EmulatedJob job, string thingName) =>
        job.ByThing.TryGetValue(thingName, out var list) ? list[^1] : null;

    private static bool IsLatest(EmulatedExecution execution) =>
        execution.Job.ByThing.TryGetValue(execution.ThingName, out var list) && ReferenceEquals(list[^1], execution);

    private static EmulatedExecution Execution(EmulatedJob job, string thingName, long? executionNumber)
    {
        var found = executionNumber is { } number
            ? job.ByThing.GetValueOrDefault(thingName)?.FirstOrDefault(e => e.ExecutionNumber == number)
            : Latest(job, thingName);
        return found ?? throw EmulatorException.NotFound(executionNumber is { } n
            ? $"Job execution {n} of job {job.Id} on thing {thingName} does not exist."
            : $"Job {job.Id} has no execution on thing {thingName}.");
    }

    /// <summary>Pending executions, IN_PROGRESS first, then in the order they were created.</summary>
    private IEnumerable<EmulatedExecution> PendingOf(string thingName) =>
        _jobs.Values
            .Where(job => job.Status != EmulatedJobStatus.DeletionInProgress)
            .Select(job => Latest(job, thingName))
            .OfType<EmulatedExecution>()
            .Where(e => e.Status is ExecutionStatus.InProgress or ExecutionStatus.Queued)
            .OrderBy(e => e.Status == ExecutionStatus.InProgress ? 0 : 1)
            .ThenBy(e => e.Order);

    private EmulatedExecution? NextPending(string thingName) => PendingOf(thingName).FirstOrDefault();

    private List<string> Resolve(string target)
    {
        var prefix = $"arn:aws:iot:{Region}:{Account}:";
        if (target.StartsWith(prefix + "thing/", StringComparison.Ordinal))
        {
            var name = target[(prefix.Length + "thing/".Length)..];
            return _things.ContainsKey(name) ? [name] : throw EmulatorException.NotFound($"Target {target}: thing {name} does not exist.");
        }

        if (target.StartsWith(prefix + "thinggroup/", StringComparison.Ordinal))
        {
            var name = target[(prefix.Length + "thinggroup/".Length)..];
            return _groups.TryGetValue(name, out var group)
                ? group.Members.Order(StringComparer.Ordinal).ToList()
                : throw EmulatorException.NotFound($"Target {target}: thing group {name} does not exist.");
        }

        throw EmulatorException.Invalid($"targets: {target} is not the ARN of a thing or thing group in {Region}, account {Account} ({prefix}thing/NAME or {prefix}thinggroup/NAME).");
    }

    private List<EmulatedJob> ContinuousJobsTargeting(EmulatedThingGroup group) =>
        _jobs.Values
            .Where(job => job.Selection == TargetSelection.Continuous && job.Status == EmulatedJobStatus.InProgress && job.Targets.Contains(group.Arn))
            .OrderBy(job => job.Order)
            .ToList();

    private bool IsTargeted(EmulatedJob job, EmulatedThing thing) =>
        job.Targets.Contains(thing.Arn) || thing.Groups.Any(name => job.Targets.Contains(_groups[name].Arn));

    private string ThingArn(string name) => $"arn:aws:iot:{Region}:{Account}:thing/{name}";

    private string GroupArn(string name) => $"arn:aws:iot:{Region}:{Account}:thinggroup/{name}";

    private static bool SameMap(Dictionary<string, string> a, Dictionary<string, string> b) =>
        a.Count == b.Count && a.All(pair => b.TryGetValue(pair.Key, out var value) && value == pair.Value);

    /// <summary>Tokens are opaque to callers: the offset of the next item, encoded.</summary>
    private static EmulatedPage<T> Paged<T>(IEnumerable<T> items, int maxResults, string? nextToken)
    {
        var offset = 0;
        if (nextToken is not null)
        {
            try
            {
                var text = Encoding.UTF8.GetString(Convert.FromBase64String(nextToken));
                if (!text.StartsWith("offset:", StringComparison.Ordinal)
                    || !int.TryParse(text.AsSpan(7), NumberStyles.None, CultureInfo.InvariantCulture, out offset))
                {
                    throw EmulatorException.Invalid("nextToken is not a token this listing returned.");
                }
            }
            catch (FormatException)
            {
                throw EmulatorException.Invalid("nextToken is not a token this listing returned.");
            }
        }

        var page = items.Skip(offset).Take(maxResults + 1).ToList();
        var more = page.Count > maxResults;
        if (more)
        {
            page.RemoveAt(page.Count - 1);
        }

        var token = more ? Convert.ToBase64String(Encoding.UTF8.GetBytes($"offset:{(offset + maxResults).ToString(CultureInfo.InvariantCulture)}")) : null;
        return new EmulatedPage<T>(page, token);
    }
}
