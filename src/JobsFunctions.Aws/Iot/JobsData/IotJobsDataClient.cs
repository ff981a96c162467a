using JobsFunctions.Aws.Iot.Http;
using JobsFunctions.Aws.Signing;

namespace JobsFunctions.Aws.Iot.JobsData;

/// <summary>
/// The AWS IoT jobs data plane (service <c>iot-jobs-data</c>, rest-json): the device-side API, which is the only
/// way to move an execution to IN_PROGRESS/SUCCEEDED/FAILED/REJECTED over HTTPS. Same signing, retry and error
/// behaviour as the control-plane client. Thread-safe; make one per process.
/// </summary>
public sealed class IotJobsDataClient : IDisposable
{
    public const string SigningName = "iot-jobs-data";

    private readonly RestJsonChannel _channel;

    public IotJobsDataClient(
        IotClientOptions options,
        ICredentialsSource credentials,
        HttpMessageHandler handler,
        JobsDataEndpointResolver endpoint,
        TimeProvider? time = null)
        : this(options, credentials, handler, endpoint, time, sleep: null, jitter: null)
    {
    }

    internal IotJobsDataClient(
        IotClientOptions options,
        ICredentialsSource credentials,
        HttpMessageHandler handler,
        JobsDataEndpointResolver endpoint,
        TimeProvider? time,
        Func<TimeSpan, CancellationToken, Task>? sleep,
        Func<double>? jitter)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(endpoint);
        _channel = new RestJsonChannel(
            handler, endpoint.ResolveAsync, SigningName, options.Region, credentials, options.Retry, time, sleep, jitter, options.Pacing);
    }

    /// <summary>
    /// UpdateJobExecution. A change out of a terminal state is InvalidStateTransitionException (409); when the
    /// service includes the current state, it is on <see cref="IotServiceException.ExecutionState"/>.
    /// </summary>
    public Task<UpdateJobExecutionResponse> UpdateJobExecutionAsync(
        UpdateJobExecutionRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentException.ThrowIfNullOrEmpty(request.Status, nameof(request.Status));
        var path = $"/things/{Rest.Label(request.ThingName, "thingName")}/jobs/{Rest.Label(request.JobId, "jobId")}";
        return _channel.SendAsync(
            new RestRequest(
                "UpdateJobExecution", HttpMethod.Post, path, "",
                Rest.Json(request, JobsDataJsonContext.Default.UpdateJobExecutionRequest), Repeatable: false),
            JobsDataJsonContext.Default.UpdateJobExecutionResponse,
            cancellationToken);
    }

    public Task<DescribeJobExecutionResponse> DescribeJobExecutionAsync(
        DescribeJobExecutionRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var path = $"/things/{Rest.Label(request.ThingName, "thingName")}/jobs/{Rest.Label(request.JobId, "jobId")}";
        var query = new Query()
            .Add("includeJobDocument", request.IncludeJobDocument)
            .Add("executionNumber", request.ExecutionNumber);
        return _channel.SendAsync(
            new RestRequest("DescribeJobExecution", HttpMethod.Get, path, query.ToString(), null),
            JobsDataJsonContext.Default.DescribeJobExecutionResponse,
            cancellationToken);
    }

    public void Dispose() => _channel.Dispose();
}
