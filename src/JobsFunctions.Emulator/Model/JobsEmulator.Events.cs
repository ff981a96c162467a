using System.Text;
using System.Text.Json.Nodes;
using JobsFunctions.Domain.Executions;

namespace JobsFunctions.Emulator.Model;

// Events (https://docs.aws.amazon.com/iot/latest/developerguide/events-jobs.html) and the account's event configuration.
public sealed partial class JobsEmulator
{
    public (IReadOnlyDictionary<string, bool> Enabled, DateTimeOffset Created, DateTimeOffset Modified) DescribeEventConfigurations() =>
        Atomically(() => (new Dictionary<string, bool>(_eventConfigurations, StringComparer.Ordinal), _eventConfigurationsCreated, _eventConfigurationsModified));

    public void UpdateEventConfigurations(IReadOnlyDictionary<string, bool> enabled)
    {
        ArgumentNullException.ThrowIfNull(enabled);
        Atomically(() =>
        {
            foreach (var (type, on) in enabled)
            {
                if (!_eventConfigurations.ContainsKey(type))
                {
                    throw EmulatorException.Invalid($"eventConfigurations: unknown event type {type}; one of {string.Join(", ", EventTypes)}.");
                }

                _eventConfigurations[type] = on;
            }

            _eventConfigurationsModified = _at;
        });
    }

    private void JobEvent(EmulatedJob job, string operation, string status, bool withComment)
    {
        if (!_eventConfigurations["JOB"])
        {
            return;
        }

        // The guide's examples give `timestamp` in seconds and the job's times in milliseconds.
        var payload = new JsonObject
        {
            ["eventType"] = "JOB",
            ["eventId"] = Guid.NewGuid().ToString(),
            ["timestamp"] = _at.ToUnixTimeSeconds(),
            ["operation"] = operation,
            ["jobId"] = job.Id,
            ["status"] = status,
            ["targetSelection"] = Wire(job.Selection),
            ["targets"] = new JsonArray([.. job.Targets.Select(t => (JsonNode?)t)]),
        };
        if (job.Description is not null)
        {
            payload["description"] = job.Description;
        }

        payload["createdAt"] = job.CreatedAt.ToUnixTimeMilliseconds();
        payload["lastUpdatedAt"] = job.LastUpdatedAt.ToUnixTimeMilliseconds();
        if (withComment && job.Comment is not null)
        {
            payload["comment"] = job.Comment;
        }

        if (operation == "completed")
        {
            payload["completedAt"] = job.CompletedAt!.Value.ToUnixTimeMilliseconds();
            var counts = job.LatestCounts;
            payload["jobProcessDetails"] = new JsonObject
            {
                ["numberOfCanceledThings"] = counts[(int)ExecutionStatus.Canceled],
                ["numberOfRejectedThings"] = counts[(int)ExecutionStatus.Rejected],
                ["numberOfFailedThings"] = counts[(int)ExecutionStatus.Failed],
                ["numberOfRemovedThings"] = counts[(int)ExecutionStatus.Removed],
                ["numberOfSucceededThings"] = counts[(int)ExecutionStatus.Succeeded],
                ["numberOfTimedOutThings"] = counts[(int)ExecutionStatus.TimedOut],
            };
        }

        Publish($"$aws/events/job/{job.Id}/{operation}", payload);
    }

    private void ExecutionEvent(EmulatedExecution execution, string operation, string status)
    {
        if (!_eventConfigurations["JOB_EXECUTION"])
        {
            return;
        }

        var payload = new JsonObject
        {
            ["eventType"] = "JOB_EXECUTION",
            ["eventId"] = Guid.NewGuid().ToString(),
            ["timestamp"] = _at.ToUnixTimeSeconds(),
            ["operation"] = operation,
            ["jobId"] = execution.Job.Id,
            ["thingArn"] = execution.ThingArn,
            ["status"] = status,
        };
        if (execution.StatusDetails.Count > 0)
        {
            var details = new JsonObject();
            foreach (var (key, value) in execution.StatusDetails)
            {
                details[key] = value;
            }

            payload["statusDetails"] = details;
        }

        Publish($"$aws/events/jobExecution/{execution.Job.Id}/{operation}", payload);
    }

    private void Publish(string topic, JsonObject payload)
    {
        var published = new EmulatorEvent(_events.Count + 1, topic, Encoding.UTF8.GetBytes(payload.ToJsonString()), _at);
        _events.Add(published);
        foreach (var subscriber in _subscribers)
        {
            subscriber.OnEvent(published);
        }
    }
}
