using System.Text;
using System.Text.Json;
using JobsFunctions.Aws.CloudFormation;
using JobsFunctions.Aws.Iot;
using JobsFunctions.Aws.Logging;
using JobsFunctions.Hosting;

namespace JobsFunctions.Deployment;

/// <summary>
/// The deploy-time custom resource that switches the account's IoT job events on. Create and Update enable them;
/// Delete leaves them on (other stacks or tools may rely on them) and succeeds. Whatever happens, CloudFormation
/// gets an answer, so a failure fails the deploy with its reason instead of hanging it for an hour.
/// </summary>
internal sealed class EventConfigurationHandler(JobEventsSwitch events, CustomResourceResponder responder) : IFunctionHandler
{
    public const string PhysicalResourceId = "iot-job-event-configuration";
    private static readonly byte[] Done = Encoding.UTF8.GetBytes("{}");

    public async Task<byte[]> HandleAsync(ReadOnlyMemory<byte> payload, InvocationContext context, CancellationToken cancellationToken)
    {
        var request = JsonSerializer.Deserialize(payload.Span, FunctionsJsonContext.Default.CustomResourceRequest);
        if (request?.ResponseUrl is null || !Uri.TryCreate(request.ResponseUrl, UriKind.Absolute, out var responseUrl))
        {
            // Nothing to answer to: not a CloudFormation request.
            JsonLog.Error("custom resource request without a ResponseURL", ("requestId", context.RequestId), ("outcome", "malformed"));
            return Done;
        }

        string? failure = null;
        try
        {
            if (request.RequestType is "Create" or "Update")
            {
                await events.EnableAsync(cancellationToken);
            }
            else if (request.RequestType is not "Delete")
            {
                failure = $"RequestType '{request.RequestType}' is not Create, Update or Delete.";
            }
        }
        catch (Exception e) when (e is IotServiceException or OperationCanceledException or HttpRequestException)
        {
            failure = e is IotServiceException iot
                ? $"UpdateEventConfigurations failed: {iot.ErrorCode} {iot.Message}"
                : "UpdateEventConfigurations did not answer in time.";
        }

        var response = new CustomResourceResponse
        {
            Status = failure is null ? "SUCCESS" : "FAILED",
            Reason = failure ?? (request.RequestType == "Delete" ? "Job events left on: other tools may rely on them." : "JOB and JOB_EXECUTION events are on."),
            PhysicalResourceId = request.PhysicalResourceId ?? PhysicalResourceId,
            StackId = request.StackId,
            RequestId = request.RequestId,
            LogicalResourceId = request.LogicalResourceId,
        };
        await responder.RespondAsync(responseUrl, JsonSerializer.SerializeToUtf8Bytes(response, FunctionsJsonContext.Default.CustomResourceResponse), CancellationToken.None);
        (failure is null ? (Action<string, (string, object?)[]>)JsonLog.Info : JsonLog.Error)(
            "job event configuration", [("requestId", context.RequestId), ("requestType", request.RequestType), ("outcome", response.Status), ("reason", response.Reason)]);
        return Done;
    }
}
