using System.Text.Json.Nodes;
using JobsFunctions.Emulator.Model;

namespace JobsFunctions.Emulator.Http;

/// <summary>
/// The control-plane (<c>iot</c>) operations the emulator serves, with the HTTP bindings of botocore's iot model
/// (https://docs.aws.amazon.com/iot/latest/apireference/API_Operations_AWS_IoT.html).
/// </summary>
internal static class ControlPlaneApi
{
    public static IEnumerable<WireRoute> Routes(JobsEmulator emulator, Func<string> jobsEndpoint)
    {
        ArgumentNullException.ThrowIfNull(emulator);
        const Plane plane = Plane.Control;
        yield return new(plane, "PUT", "/jobs/{jobId}", "CreateJob", call => CreateJob(emulator, call));
        yield return new(plane, "GET", "/jobs/{jobId}", "DescribeJob", call =>
            new JsonObject { ["job"] = WireOutput.Job(emulator.DescribeJob(WireInput.JobId(call.Label("jobId")))) });
        yield return new(plane, "GET", "/jobs/{jobId}/job-document", "GetJobDocument", call =>
            new JsonObject { ["document"] = emulator.GetJobDocument(WireInput.JobId(call.Label("jobId"))) });
        yield return new(plane, "GET", "/jobs", "ListJobs", call => ListJobs(emulator, call));
        yield return new(plane, "PATCH", "/jobs/{jobId}", "UpdateJob", call => UpdateJob(emulator, call));
        yield return new(plane, "PUT", "/jobs/{jobId}/cancel", "CancelJob", call => CancelJob(emulator, call));
        yield return new(plane, "DELETE", "/jobs/{jobId}", "DeleteJob", call =>
        {
            emulator.DeleteJob(WireInput.JobId(call.Label("jobId")), WireInput.Flag(call.QueryValue("force"), "force"));
            return [];
        });
        yield return new(plane, "GET", "/jobs/{jobId}/things", "ListJobExecutionsForJob", call => ListForJob(emulator, call));
        yield return new(plane, "GET", "/things/{thingName}/jobs", "ListJobExecutionsForThing", call => ListForThing(emulator, call));
        yield return new(plane, "GET", "/things/{thingName}/jobs/{jobId}", "DescribeJobExecution", call =>
            new JsonObject
            {
                ["execution"] = WireOutput.ControlExecution(emulator.DescribeJobExecution(
                    WireInput.JobId(call.Label("jobId")), WireInput.ThingName(call.Label("thingName")), ExecutionNumber(call))),
            });
        yield return new(plane, "PUT", "/things/{thingName}/jobs/{jobId}/cancel", "CancelJobExecution", call => CancelJobExecution(emulator, call));
        yield return new(plane, "DELETE", "/things/{thingName}/jobs/{jobId}/executionNumber/{executionNumber}", "DeleteJobExecution", call =>
        {
            emulator.DeleteJobExecution(
                WireInput.JobId(call.Label("jobId")),
                WireInput.ThingName(call.Label("thingName")),
                WireInput.Long(call.Label("executionNumber"), "executionNumber"),
                WireInput.Flag(call.QueryValue("force"), "force"));
            return [];
        });
        yield return new(plane, "GET", "/event-configurations", "DescribeEventConfigurations", _ => DescribeEventConfigurations(emulator));
        yield return new(plane, "PATCH", "/event-configurations", "UpdateEventConfigurations", call => UpdateEventConfigurations(emulator, call));
        yield return new(plane, "GET", "/endpoint", "DescribeEndpoint", call => DescribeEndpoint(call, jobsEndpoint()));
        yield return new(plane, "POST", "/things/{thingName}", "CreateThing", call => CreateThing(emulator, call));
        yield return new(plane, "GET", "/things/{thingName}", "DescribeThing", call => Thing(emulator.DescribeThing(WireInput.ThingName(call.Label("thingName")))));
        yield return new(plane, "DELETE", "/things/{thingName}", "DeleteThing", call =>
        {
            emulator.DeleteThing(
                WireInput.ThingName(call.Label("thingName")),
                call.QueryValue("expectedVersion") is { } version ? WireInput.Long(version, "expectedVersion") : null);
            return [];
        });
        yield return new(plane, "POST", "/thing-groups/{thingGroupName}", "CreateThingGroup", call => CreateThingGroup(emulator, call));
        yield return new(plane, "GET", "/thing-groups/{thingGroupName}", "DescribeThingGroup", call =>
            Group(emulator.DescribeThingGroup(WireInput.GroupName(call.Label("thingGroupName")))));
        yield return new(plane, "PUT", "/thing-groups/addThingToThingGroup", "AddThingToThingGroup", call =>
        {
            var (group, thing) = Membership(call);
            emulator.AddThingToThingGroup(group, thing);
            return [];
        });
        yield return new(plane, "PUT", "/thing-groups/removeThingFromThingGroup", "RemoveThingFromThingGroup", call =>
        {
            var (group, thing) = Membership(call);
            emulator.RemoveThingFromThingGroup(group, thing);
            return [];
        });
    }

    private static JsonObject CreateJob(JobsEmulator emulator, WireCall call)
    {
        var body = call.Body;
        var targets = WireInput.Array(body, "targets") ?? throw WireInput.Invalid("targets is required.");
        if (targets.Count is < 1 or > 100)
        {
            throw WireInput.Invalid($"targets must list 1 to 100 thing or thing group ARNs, got {targets.Count}.");
        }

        var arns = targets.Select((node, i) => node is JsonValue value && value.TryGetValue<string>(out var arn) && arn.Length is > 0 and <= 2048
            ? arn
            : throw WireInput.Invalid($"targets[{i}] must be an ARN of at most 2048 characters.")).ToList();
        if (WireInput.String(body, "documentSource") is not null && WireInput.String(body, "document") is null)
        {
            throw WireInput.Invalid("documentSource is not served by the emulator (it cannot read S3); pass document instead.");
        }

        if (WireInput.Object(body, "schedulingConfig") is not null || WireInput.String(body, "jobTemplateArn") is not null)
        {
            throw WireInput.Invalid("schedulingConfig and jobTemplateArn are not served by the emulator.");
        }

        var view = emulator.CreateJob(new JobSpec
        {
            JobId = WireInput.JobId(call.Label("jobId")),
            Targets = arns,
            Document = WireInput.Document(WireInput.String(body, "document")),
            Description = WireInput.Description(WireInput.String(body, "description")),
            TargetSelection = WireInput.Selection(WireInput.String(body, "targetSelection")) ?? TargetSelection.Snapshot,
            Rollout = WireInput.Rollout(body),
            Abort = WireInput.Abort(body),
            InProgressTimeoutInMinutes = WireInput.InProgressTimeout(body),
            Retry = WireInput.Retry(body),
            PresignedUrl = WireInput.Presigned(body),
            NamespaceId = WireInput.String(body, "namespaceId"),
        });
        return JobIdentity(view);
    }

    private static JsonObject UpdateJob(JobsEmulator emulator, WireCall call)
    {
        var body = call.Body;
        emulator.UpdateJob(WireInput.JobId(call.Label("jobId")), new JobUpdate
        {
            Description = WireInput.Description(WireInput.String(body, "description")),
            Rollout = WireInput.Rollout(body),
            Abort = WireInput.Abort(body),
            InProgressTimeoutInMinutes = WireInput.InProgressTimeout(body),
            Retry = WireInput.Retry(body),
            PresignedUrl = WireInput.Presigned(body),
        });
        return [];
    }

    private static JsonObject CancelJob(JobsEmulator emulator, WireCall call)
    {
        var body = call.Body;
        var view = emulator.CancelJob(
            WireInput.JobId(call.Label("jobId")),
            WireInput.Flag(call.QueryValue("force"), "force"),
            WireInput.ReasonCode(WireInput.String(body, "reasonCode")),
            WireInput.Description(WireInput.String(body, "comment"), "comment"));
        return JobIdentity(view);
    }

    private static JsonObject ListJobs(JobsEmulator emulator, WireCall call)
    {
        var page = emulator.ListJobs(
            WireInput.JobStatus(call.QueryValue("status")),
            WireInput.Selection(call.QueryValue("targetSelection")),
            call.QueryValue("thingGroupName") is { } group ? WireInput.GroupName(group) : null,
            WireInput.MaxResults(call.QueryValue("maxResults")),
            call.QueryValue("nextToken"));
        var json = new JsonObject { ["jobs"] = new JsonArray([.. page.Items.Select(job => (JsonNode?)WireOutput.JobSummary(job))]) };
        return WithToken(json, page.NextToken);
    }

    private static JsonObject ListForJob(JobsEmulator emulator, WireCall call)
    {
        var page = emulator.ListJobExecutionsForJob(
            WireInput.JobId(call.Label("jobId")),
            WireInput.ExecutionStatus(call.QueryValue("status")),
            WireInput.MaxResults(call.QueryValue("maxResults")),
            call.QueryValue("nextToken"));
        var json = new JsonObject
        {
            ["executionSummaries"] = new JsonArray([.. page.Items.Select(e => (JsonNode?)new JsonObject
            {
                ["thingArn"] = e.ThingArn,
                ["jobExecutionSummary"] = WireOutput.ControlSummary(e),
            })]),
        };
        return WithToken(json, page.NextToken);
    }

    private static JsonObject ListForThing(JobsEmulator emulator, WireCall call)
    {
        var page = emulator.ListJobExecutionsForThing(
            WireInput.ThingName(call.Label("thingName")),
            WireInput.ExecutionStatus(call.QueryValue("status")),
            call.QueryValue("jobId") is { } jobId ? WireInput.JobId(jobId) : null,
            WireInput.MaxResults(call.QueryValue("maxResults")),
            call.QueryValue("nextToken"));
        var json = new JsonObject
        {
            ["executionSummaries"] = new JsonArray([.. page.Items.Select(e => (JsonNode?)new JsonObject
            {
                ["jobId"] = e.JobId,
                ["jobExecutionSummary"] = WireOutput.ControlSummary(e),
            })]),
        };
        return WithToken(json, page.NextToken);
    }

    private static JsonObject CancelJobExecution(JobsEmulator emulator, WireCall call)
    {
        var body = call.Body;
        emulator.CancelJobExecution(
            WireInput.JobId(call.Label("jobId")),
            WireInput.ThingName(call.Label("thingName")),
            WireInput.Flag(call.QueryValue("force"), "force"),
            WireInput.Number(body, "expectedVersion"),
            WireInput.StatusDetails(WireInput.Object(body, "statusDetails"), "statusDetails"));
        return [];
    }

    private static JsonObject DescribeEventConfigurations(JobsEmulator emulator)
    {
        var (enabled, created, modified) = emulator.DescribeEventConfigurations();
        var configurations = new JsonObject();
        foreach (var (type, on) in enabled)
        {
            configurations[type] = new JsonObject { ["Enabled"] = on };
        }

        return new JsonObject
        {
            ["eventConfigurations"] = configurations,
            ["creationDate"] = WireOutput.Seconds(created),
            ["lastModifiedDate"] = WireOutput.Seconds(modified),
        };
    }

    private static JsonObject UpdateEventConfigurations(JobsEmulator emulator, WireCall call)
    {
        var configurations = WireInput.Object(call.Body, "eventConfigurations") ?? [];
        var enabled = new Dictionary<string, bool>(StringComparer.Ordinal);
        foreach (var (type, node) in configurations)
        {
            var configuration = node as JsonObject ?? throw WireInput.Invalid($"eventConfigurations.{type} must be an object.");
            if (WireInput.Boolean(configuration, "Enabled") is { } on)
            {
                enabled[type] = on;
            }
        }

        emulator.UpdateEventConfigurations(enabled);
        return [];
    }

    /// <summary>
    /// Every type answers the emulator's own address, host:port with no scheme, in the shape of AWS's answer, a bare host
    /// name (https://docs.aws.amazon.com/iot/latest/apireference/API_DescribeEndpoint.html). It is the same for every
    /// region: one process serves them all and the region travels in the signature, as it does to AWS's regional hosts.
    /// A client that discovers the jobs data plane this way reaches the same process: the product's resolver reaches a
    /// loopback answer with the scheme of the control-plane endpoint it was given.
    /// </summary>
    private static JsonObject DescribeEndpoint(WireCall call, string ownAddress)
    {
        var type = call.QueryValue("endpointType");
        return type is null or "iot:Data" or "iot:Data-ATS" or "iot:CredentialProvider" or "iot:Jobs"
            ? new JsonObject { ["endpointAddress"] = ownAddress }
            : throw WireInput.Invalid($"endpointType must be iot:Data, iot:Data-ATS, iot:CredentialProvider or iot:Jobs, got '{type}'.");
    }

    private static JsonObject CreateThing(JobsEmulator emulator, WireCall call)
    {
        var attributes = WireInput.Object(call.Body, "attributePayload") is { } payload
            ? WireInput.Object(payload, "attributes", "attributePayload.attributes")
            : null;
        var map = attributes?.ToDictionary(
            pair => pair.Key,
            pair => pair.Value is JsonValue value && value.TryGetValue<string>(out var text)
                ? text
                : throw WireInput.Invalid($"attributePayload.attributes.{pair.Key} must be a string."),
            StringComparer.Ordinal);
        var thing = emulator.CreateThing(WireInput.ThingName(call.Label("thingName")), map);
        return new JsonObject { ["thingName"] = thing.ThingName, ["thingArn"] = thing.ThingArn, ["thingId"] = thing.ThingId };
    }

    private static JsonObject Thing(ThingView thing) => new()
    {
        ["defaultClientId"] = thing.ThingName,
        ["thingName"] = thing.ThingName,
        ["thingId"] = thing.ThingId,
        ["thingArn"] = thing.ThingArn,
        ["attributes"] = WireOutput.Map(thing.Attributes),
        ["version"] = thing.Version,
    };

    private static JsonObject CreateThingGroup(JobsEmulator emulator, WireCall call)
    {
        var properties = WireInput.Object(call.Body, "thingGroupProperties");
        var description = properties is null
            ? null
            : WireInput.String(properties, "thingGroupDescription", "thingGroupProperties.thingGroupDescription");
        var group = emulator.CreateThingGroup(WireInput.GroupName(call.Label("thingGroupName")), description);
        return new JsonObject { ["thingGroupName"] = group.GroupName, ["thingGroupArn"] = group.GroupArn, ["thingGroupId"] = group.GroupId };
    }

    private static JsonObject Group(ThingGroupView group)
    {
        var properties = new JsonObject();
        if (group.Description is not null)
        {
            properties["thingGroupDescription"] = group.Description;
        }

        return new JsonObject
        {
            ["thingGroupName"] = group.GroupName,
            ["thingGroupId"] = group.GroupId,
            ["thingGroupArn"] = group.GroupArn,
            ["version"] = group.Version,
            ["thingGroupProperties"] = properties,
            ["thingGroupMetadata"] = new JsonObject { ["creationDate"] = WireOutput.Seconds(group.CreatedAt) },
        };
    }

    /// <summary>AddThingToThingGroup / RemoveThingFromThingGroup name the group and the thing by name or by ARN.</summary>
    private static (string Group, string Thing) Membership(WireCall call)
    {
        var body = call.Body;
        var group = WireInput.String(body, "thingGroupName") ?? AfterSlash(WireInput.String(body, "thingGroupArn"))
            ?? throw WireInput.Invalid("thingGroupName or thingGroupArn is required.");
        var thing = WireInput.String(body, "thingName") ?? AfterSlash(WireInput.String(body, "thingArn"))
            ?? throw WireInput.Invalid("thingName or thingArn is required.");
        return (WireInput.GroupName(group), WireInput.ThingName(thing));
    }

    private static string? AfterSlash(string? arn) => arn is null ? null : arn[(arn.IndexOf('/', StringComparison.Ordinal) + 1)..];

    private static JsonObject JobIdentity(EmulatedJobView view)
    {
        var json = new JsonObject { ["jobArn"] = view.JobArn, ["jobId"] = view.JobId };
        if (view.Description is not null)
        {
            json["description"] = view.Description;
        }

        return json;
    }

    private static long? ExecutionNumber(WireCall call) =>
        call.QueryValue("executionNumber") is { } text ? WireInput.Long(text, "executionNumber") : null;

    private static JsonObject WithToken(JsonObject json, string? token)
    {
        if (token is not null)
        {
            json["nextToken"] = token;
        }

        return json;
    }
}
