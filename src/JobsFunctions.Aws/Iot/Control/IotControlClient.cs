using JobsFunctions.Aws.Iot.Http;
using JobsFunctions.Aws.Signing;

namespace JobsFunctions.Aws.Iot.Control;

/// <summary>
/// The AWS IoT control plane (service <c>iot</c>, rest-json) for the jobs operations this product uses. Every call
/// signs with SigV4, retries throttling/5xx/transport failures within the caller's token, and throws
/// <see cref="IotServiceException"/> for anything else. Thread-safe; make one per process.
/// </summary>
public sealed class IotControlClient : IDisposable
{
    public const string SigningName = "iot";

    private readonly RestJsonChannel _channel;

    public IotControlClient(
        IotClientOptions options,
        ICredentialsSource credentials,
        HttpMessageHandler handler,
        TimeProvider? time = null)
        : this(options, credentials, handler, time, sleep: null, jitter: null)
    {
    }

    internal IotControlClient(
        IotClientOptions options,
        ICredentialsSource credentials,
        HttpMessageHandler handler,
        TimeProvider? time,
        Func<TimeSpan, CancellationToken, Task>? sleep,
        Func<double>? jitter)
    {
        ArgumentNullException.ThrowIfNull(options);
        Options = options;
        var endpoint = options.ControlPlaneEndpoint;
        _channel = new RestJsonChannel(
            handler, _ => ValueTask.FromResult(endpoint), SigningName, options.Region, credentials, options.Retry, time, sleep, jitter, options.Pacing);
    }

    public IotClientOptions Options { get; }

    /// <summary>UpdateJob: 200 with no output.</summary>
    public Task UpdateJobAsync(UpdateJobRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var path = $"/jobs/{Rest.Label(request.JobId, "jobId")}";
        var query = new Query().Add("namespaceId", request.NamespaceId);
        return _channel.SendAsync(
            new RestRequest("UpdateJob", HttpMethod.Patch, path, query.ToString(), Rest.Json(request, ControlPlaneJsonContext.Default.UpdateJobRequest)),
            cancellationToken);
    }

    public Task<CancelJobResponse> CancelJobAsync(CancelJobRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var path = $"/jobs/{Rest.Label(request.JobId, "jobId")}/cancel";
        var query = new Query().Add("force", request.Force);
        return _channel.SendAsync(
            new RestRequest("CancelJob", HttpMethod.Put, path, query.ToString(), Rest.Json(request, ControlPlaneJsonContext.Default.CancelJobRequest)),
            ControlPlaneJsonContext.Default.CancelJobResponse,
            cancellationToken);
    }

    /// <summary>CancelJobExecution: 200 with no output; a stale expectedVersion is VersionConflictException (409).</summary>
    public Task CancelJobExecutionAsync(CancelJobExecutionRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var path = $"/things/{Rest.Label(request.ThingName, "thingName")}/jobs/{Rest.Label(request.JobId, "jobId")}/cancel";
        var query = new Query().Add("force", request.Force);
        return _channel.SendAsync(
            new RestRequest(
                "CancelJobExecution", HttpMethod.Put, path, query.ToString(),
                Rest.Json(request, ControlPlaneJsonContext.Default.CancelJobExecutionRequest), Repeatable: false),
            cancellationToken);
    }

    public Task<DescribeJobResponse> DescribeJobAsync(DescribeJobRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var path = $"/jobs/{Rest.Label(request.JobId, "jobId")}";
        var query = new Query().Add("beforeSubstitution", request.BeforeSubstitution);
        return _channel.SendAsync(
            new RestRequest("DescribeJob", HttpMethod.Get, path, query.ToString(), null),
            ControlPlaneJsonContext.Default.DescribeJobResponse,
            cancellationToken);
    }

    public Task<DescribeJobExecutionResponse> DescribeJobExecutionAsync(
        DescribeJobExecutionRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var path = $"/things/{Rest.Label(request.ThingName, "thingName")}/jobs/{Rest.Label(request.JobId, "jobId")}";
        var query = new Query().Add("executionNumber", request.ExecutionNumber);
        return _channel.SendAsync(
            new RestRequest("DescribeJobExecution", HttpMethod.Get, path, query.ToString(), null),
            ControlPlaneJsonContext.Default.DescribeJobExecutionResponse,
            cancellationToken);
    }

    /// <summary>ListJobs, one page; pass the returned NextToken back until it is null.</summary>
    public Task<ListJobsResponse> ListJobsAsync(ListJobsRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var query = new Query()
            .Add("status", request.Status)
            .Add("maxResults", request.MaxResults)
            .Add("nextToken", request.NextToken);
        return _channel.SendAsync(
            new RestRequest("ListJobs", HttpMethod.Get, "/jobs", query.ToString(), null),
            ControlPlaneJsonContext.Default.ListJobsResponse,
            cancellationToken);
    }

    /// <summary>One page; pass the returned NextToken back until it is null.</summary>
    public Task<ListJobExecutionsForJobResponse> ListJobExecutionsForJobAsync(
        ListJobExecutionsForJobRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var path = $"/jobs/{Rest.Label(request.JobId, "jobId")}/things";
        var query = new Query()
            .Add("status", request.Status)
            .Add("maxResults", request.MaxResults)
            .Add("nextToken", request.NextToken);
        return _channel.SendAsync(
            new RestRequest("ListJobExecutionsForJob", HttpMethod.Get, path, query.ToString(), null),
            ControlPlaneJsonContext.Default.ListJobExecutionsForJobResponse,
            cancellationToken);
    }

    public Task<DescribeEndpointResponse> DescribeEndpointAsync(
        DescribeEndpointRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var query = new Query().Add("endpointType", request.EndpointType);
        return _channel.SendAsync(
            new RestRequest("DescribeEndpoint", HttpMethod.Get, "/endpoint", query.ToString(), null),
            ControlPlaneJsonContext.Default.DescribeEndpointResponse,
            cancellationToken);
    }

    public Task<DescribeEventConfigurationsResponse> DescribeEventConfigurationsAsync(CancellationToken cancellationToken) =>
        _channel.SendAsync(
            new RestRequest("DescribeEventConfigurations", HttpMethod.Get, "/event-configurations", "", null),
            ControlPlaneJsonContext.Default.DescribeEventConfigurationsResponse,
            cancellationToken);

    /// <summary>UpdateEventConfigurations: account- and region-wide; 200 with no output.</summary>
    public Task UpdateEventConfigurationsAsync(UpdateEventConfigurationsRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        return _channel.SendAsync(
            new RestRequest(
                "UpdateEventConfigurations", HttpMethod.Patch, "/event-configurations", "",
                Rest.Json(request, ControlPlaneJsonContext.Default.UpdateEventConfigurationsRequest)),
            cancellationToken);
    }

    public void Dispose() => _channel.Dispose();
}
