using System.Text.Json.Nodes;
using JobsFunctions.Domain.Executions;
using JobsFunctions.Domain.Operations;
using JobsFunctions.Emulator.Model;

namespace JobsFunctions.Emulator.Http;

/// <summary>
/// The emulator's answers in the shapes of botocore's iot (2015-05-28) and iot-jobs-data (2017-09-29) models. The
/// planes differ: the control plane names an execution's thing by ARN and wraps statusDetails in
/// <c>detailsMap</c>, and its timestamps are epoch seconds with milliseconds; the data plane names the thing, keeps
/// statusDetails flat, and its times are whole epoch seconds (the model types them as longs).
/// </summary>
internal static class WireOutput
{
    public static JsonNode Seconds(DateTimeOffset at) => at.ToUnixTimeMilliseconds() / 1000.0;

    public static JsonNode WholeSeconds(DateTimeOffset at) => at.ToUnixTimeSeconds();

    public static JsonObject Map(IReadOnlyDictionary<string, string> map)
    {
        var json = new JsonObject();
        foreach (var (key, value) in map)
        {
            json[key] = value;
        }

        return json;
    }

    // ---- control plane ----

    public static JsonObject ControlExecution(ExecutionView e)
    {
        var json = new JsonObject
        {
            ["jobId"] = e.JobId,
            ["status"] = e.Status.ToWire(),
            ["forceCanceled"] = e.ForceCanceled,
            ["statusDetails"] = e.StatusDetails.Count > 0 ? new JsonObject { ["detailsMap"] = Map(e.StatusDetails) } : new JsonObject(),
            ["thingArn"] = e.ThingArn,
            ["queuedAt"] = Seconds(e.QueuedAt),
        };
        if (e.StartedAt is { } started)
        {
            json["startedAt"] = Seconds(started);
        }

        json["lastUpdatedAt"] = Seconds(e.LastUpdatedAt);
        json["executionNumber"] = e.ExecutionNumber;
        json["versionNumber"] = e.VersionNumber;
        if (e.ApproximateSecondsBeforeTimedOut is { } remaining)
        {
            json["approximateSecondsBeforeTimedOut"] = remaining;
        }

        return json;
    }

    public static JsonObject ControlSummary(ExecutionView e)
    {
        var json = new JsonObject { ["status"] = e.Status.ToWire(), ["queuedAt"] = Seconds(e.QueuedAt) };
        if (e.StartedAt is { } started)
        {
            json["startedAt"] = Seconds(started);
        }

        json["lastUpdatedAt"] = Seconds(e.LastUpdatedAt);
        json["executionNumber"] = e.ExecutionNumber;
        json["retryAttempt"] = e.RetryAttempt;
        return json;
    }

    public static JsonObject Job(EmulatedJobView job)
    {
        var json = new JsonObject
        {
            ["jobArn"] = job.JobArn,
            ["jobId"] = job.JobId,
            ["targetSelection"] = JobsEmulator.Wire(job.TargetSelection),
            ["status"] = JobsEmulator.Wire(job.Status),
            ["forceCanceled"] = job.ForceCanceled,
        };
        Optional(json, "reasonCode", job.ReasonCode);
        Optional(json, "comment", job.Comment);
        json["targets"] = new JsonArray([.. job.Targets.Select(t => (JsonNode?)t)]);
        Optional(json, "description", job.Description);
        json["presignedUrlConfig"] = Presigned(job.PresignedUrl);
        json["jobExecutionsRolloutConfig"] = Rollout(job.Rollout);
        if (job.Abort is { } abort)
        {
            json["abortConfig"] = new JsonObject
            {
                ["criteriaList"] = new JsonArray([.. abort.Select(c => (JsonNode?)new JsonObject
                {
                    ["failureType"] = c.FailureType,
                    ["action"] = c.Action,
                    ["thresholdPercentage"] = c.ThresholdPercentage,
                    ["minNumberOfExecutedThings"] = c.MinNumberOfExecutedThings,
                })]),
            };
        }

        json["createdAt"] = Seconds(job.CreatedAt);
        json["lastUpdatedAt"] = Seconds(job.LastUpdatedAt);
        if (job.CompletedAt is { } completed)
        {
            json["completedAt"] = Seconds(completed);
        }

        var counts = job.ProcessDetails;
        var details = new JsonObject();
        if (counts.ProcessingTargets is { } processing)
        {
            details["processingTargets"] = new JsonArray([.. processing.Select(t => (JsonNode?)t)]);
        }

        details["numberOfCanceledThings"] = counts.Canceled;
        details["numberOfSucceededThings"] = counts.Succeeded;
        details["numberOfFailedThings"] = counts.Failed;
        details["numberOfRejectedThings"] = counts.Rejected;
        details["numberOfQueuedThings"] = counts.Queued;
        details["numberOfInProgressThings"] = counts.InProgress;
        details["numberOfRemovedThings"] = counts.Removed;
        details["numberOfTimedOutThings"] = counts.TimedOut;
        json["jobProcessDetails"] = details;
        json["timeoutConfig"] = job.InProgressTimeoutInMinutes is { } minutes ? new JsonObject { ["inProgressTimeoutInMinutes"] = minutes } : new JsonObject();
        Optional(json, "namespaceId", job.NamespaceId);
        if (job.Retry is { } retry)
        {
            json["jobExecutionsRetryConfig"] = new JsonObject
            {
                ["criteriaList"] = new JsonArray([.. retry.Select(c => (JsonNode?)new JsonObject
                {
                    ["failureType"] = c.FailureType,
                    ["numberOfRetries"] = c.NumberOfRetries,
                })]),
            };
        }

        json["isConcurrent"] = job.IsConcurrent;
        return json;
    }

    public static JsonObject JobSummary(EmulatedJobView job)
    {
        var json = new JsonObject
        {
            ["jobArn"] = job.JobArn,
            ["jobId"] = job.JobId,
            ["targetSelection"] = JobsEmulator.Wire(job.TargetSelection),
            ["status"] = JobsEmulator.Wire(job.Status),
            ["createdAt"] = Seconds(job.CreatedAt),
            ["lastUpdatedAt"] = Seconds(job.LastUpdatedAt),
        };
        if (job.CompletedAt is { } completed)
        {
            json["completedAt"] = Seconds(completed);
        }

        json["isConcurrent"] = job.IsConcurrent;
        return json;
    }

    // ---- jobs data plane ----

    public static JsonObject DataExecution(ExecutionView e, bool includeDocument)
    {
        var json = new JsonObject
        {
            ["jobId"] = e.JobId,
            ["thingName"] = e.ThingName,
            ["status"] = e.Status.ToWire(),
        };
        if (e.StatusDetails.Count > 0)
        {
            json["statusDetails"] = Map(e.StatusDetails);
        }

        json["queuedAt"] = WholeSeconds(e.QueuedAt);
        if (e.StartedAt is { } started)
        {
            json["startedAt"] = WholeSeconds(started);
        }

        json["lastUpdatedAt"] = WholeSeconds(e.LastUpdatedAt);
        if (e.ApproximateSecondsBeforeTimedOut is { } remaining)
        {
            json["approximateSecondsBeforeTimedOut"] = remaining;
        }

        json["versionNumber"] = e.VersionNumber;
        json["executionNumber"] = e.ExecutionNumber;
        if (includeDocument)
        {
            json["jobDocument"] = e.JobDocument;
        }

        return json;
    }

    public static JsonObject DataSummary(ExecutionView e)
    {
        var json = new JsonObject { ["jobId"] = e.JobId, ["queuedAt"] = WholeSeconds(e.QueuedAt) };
        if (e.StartedAt is { } started)
        {
            json["startedAt"] = WholeSeconds(started);
        }

        json["lastUpdatedAt"] = WholeSeconds(e.LastUpdatedAt);
        json["versionNumber"] = e.VersionNumber;
        json["executionNumber"] = e.ExecutionNumber;
        return json;
    }

    public static JsonObject State(ExecutionView e)
    {
        var json = new JsonObject { ["status"] = e.Status.ToWire() };
        if (e.StatusDetails.Count > 0)
        {
            json["statusDetails"] = Map(e.StatusDetails);
        }

        json["versionNumber"] = e.VersionNumber;
        return json;
    }

    private static JsonObject Presigned(PresignedUrlConfig? config)
    {
        var json = new JsonObject();
        Optional(json, "roleArn", config?.RoleArn);
        if (config?.ExpiresInSec is { } seconds)
        {
            json["expiresInSec"] = seconds;
        }

        return json;
    }

    private static JsonObject Rollout(RolloutConfig? config)
    {
        var json = new JsonObject();
        if (config?.MaximumPerMinute is { } maximum)
        {
            json["maximumPerMinute"] = maximum;
        }

        if (config?.ExponentialRate is { } rate)
        {
            var criteria = new JsonObject();
            if (rate.NumberOfNotifiedThings is { } notified)
            {
                criteria["numberOfNotifiedThings"] = notified;
            }

            if (rate.NumberOfSucceededThings is { } succeeded)
            {
                criteria["numberOfSucceededThings"] = succeeded;
            }

            json["exponentialRate"] = new JsonObject
            {
                ["baseRatePerMinute"] = rate.BaseRatePerMinute,
                ["incrementFactor"] = rate.IncrementFactor,
                ["rateIncreaseCriteria"] = criteria,
            };
        }

        return json;
    }

    private static void Optional(JsonObject json, string member, string? value)
    {
        if (value is not null)
        {
            json[member] = value;
        }
    }
}
