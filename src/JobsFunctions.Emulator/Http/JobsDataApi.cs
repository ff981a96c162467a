using System.Text.Json.Nodes;
using JobsFunctions.Emulator.Model;

namespace JobsFunctions.Emulator.Http;

/// <summary>
/// The jobs data-plane (<c>iot-jobs-data</c>) operations, with the HTTP bindings of botocore's iot-jobs-data model
/// (https://docs.aws.amazon.com/iot/latest/apireference/API_Operations_AWS_IoT_Jobs_Data_Plane.html).
/// </summary>
internal static class JobsDataApi
{
    public static IEnumerable<WireRoute> Routes(JobsEmulator emulator)
    {
        ArgumentNullException.ThrowIfNull(emulator);
        const Plane plane = Plane.JobsData;
        yield return new(plane, "GET", "/things/{thingName}/jobs", "GetPendingJobExecutions", call =>
        {
            var pending = emulator.GetPendingJobExecutions(WireInput.ThingName(call.Label("thingName")));
            return new JsonObject
            {
                ["inProgressJobs"] = new JsonArray([.. pending.InProgress.Select(e => (JsonNode?)WireOutput.DataSummary(e))]),
                ["queuedJobs"] = new JsonArray([.. pending.Queued.Select(e => (JsonNode?)WireOutput.DataSummary(e))]),
            };
        });
        yield return new(plane, "PUT", "/things/{thingName}/jobs/$next", "StartNextPendingJobExecution", call =>
        {
            var body = call.Body;
            var started = emulator.StartNextPendingJobExecution(
                WireInput.ThingName(call.Label("thingName")),
                WireInput.StatusDetails(WireInput.Object(body, "statusDetails"), "statusDetails"),
                WireInput.StepTimeout(WireInput.Number(body, "stepTimeoutInMinutes"), allowCancel: false));
            return started is null ? [] : new JsonObject { ["execution"] = WireOutput.DataExecution(started, includeDocument: true) };
        });
        yield return new(plane, "GET", "/things/{thingName}/jobs/{jobId}", "DescribeJobExecution", call =>
        {
            var jobId = call.Label("jobId");
            var includeDocument = call.QueryValue("includeJobDocument") is not { } include || WireInput.Flag(include, "includeJobDocument");
            var execution = emulator.DescribeJobExecutionForDevice(
                jobId == "$next" ? jobId : WireInput.JobId(jobId),
                WireInput.ThingName(call.Label("thingName")),
                call.QueryValue("executionNumber") is { } number ? WireInput.Long(number, "executionNumber") : null);
            return execution is null ? [] : new JsonObject { ["execution"] = WireOutput.DataExecution(execution, includeDocument) };
        });
        yield return new(plane, "POST", "/things/{thingName}/jobs/{jobId}", "UpdateJobExecution", call => UpdateJobExecution(emulator, call));
    }

    /// <summary>
    /// executionState is in the answer unless includeJobExecutionState is false: the model says it defaults to false,
    /// but AWS's own CLI reference example (aws iot-jobs-data update-job-execution --status REMOVED) shows it without
    /// the flag, and that example is what users run. jobDocument only when includeJobDocument is true.
    /// </summary>
    private static JsonObject UpdateJobExecution(JobsEmulator emulator, WireCall call)
    {
        var body = call.Body;
        var status = WireInput.ExecutionStatus(WireInput.String(body, "status")) ?? throw WireInput.Invalid("status is required.");
        var updated = emulator.UpdateJobExecution(
            WireInput.JobId(call.Label("jobId")),
            WireInput.ThingName(call.Label("thingName")),
            new DeviceExecutionUpdate
            {
                Status = status,
                StatusDetails = WireInput.StatusDetails(WireInput.Object(body, "statusDetails"), "statusDetails"),
                StepTimeoutInMinutes = WireInput.StepTimeout(WireInput.Number(body, "stepTimeoutInMinutes"), allowCancel: true),
                ExpectedVersion = WireInput.Number(body, "expectedVersion"),
                ExecutionNumber = WireInput.Number(body, "executionNumber"),
            });
        var json = new JsonObject();
        if (WireInput.Boolean(body, "includeJobExecutionState") != false)
        {
            json["executionState"] = WireOutput.State(updated);
        }

        if (WireInput.Boolean(body, "includeJobDocument") == true)
        {
            json["jobDocument"] = updated.JobDocument;
        }

        return json;
    }
}
