using JobsFunctions.Aws.Iot.Control;

namespace JobsFunctions.Aws.Iot.JobsData;

/// <summary>
/// Picks the jobs data-plane endpoint: the configured one when there is one; else the account-specific address from
/// DescribeEndpoint(iot:Jobs), which AWS recommends, cached for the life of the process; else the regional default.
/// A refusal (say, no iot:DescribeEndpoint permission) is remembered so each call does not pay for it again; a
/// transient failure is not, so the next call asks again. Two first calls racing may both ask; both get the same
/// answer, which is cheaper than serialising every call behind a lock.
/// </summary>
public sealed class JobsDataEndpointResolver
{
    private readonly Uri? _configured;
    private readonly Uri _fallback;
    private readonly Uri _controlPlane;
    private readonly IotControlClient? _control;
    private Uri? _resolved;

    public JobsDataEndpointResolver(IotClientOptions options, IotControlClient? control)
    {
        ArgumentNullException.ThrowIfNull(options);
        _configured = options.JobsDataEndpoint;
        _fallback = IotClientOptions.DefaultJobsDataEndpoint(options.Region);
        _controlPlane = options.ControlPlaneEndpoint;
        _control = control;
    }

    public async ValueTask<Uri> ResolveAsync(CancellationToken cancellationToken)
    {
        if (_configured is not null)
        {
            return _configured;
        }

        if (Volatile.Read(ref _resolved) is { } known)
        {
            return known;
        }

        if (_control is null)
        {
            return _fallback;
        }

        var (endpoint, keep) = await DiscoverAsync(_control, cancellationToken);
        if (keep)
        {
            Volatile.Write(ref _resolved, endpoint);
        }

        return endpoint;
    }

    /// <summary>
    /// DescribeEndpoint answers a bare host name, <c>prefix.jobs.iot.region.amazonaws.com</c> for iot:Jobs
    /// (https://docs.aws.amazon.com/iot/latest/apireference/API_DescribeEndpoint.html), and AWS serves its IoT APIs
    /// over HTTPS only (https://docs.aws.amazon.com/general/latest/gr/iot-core.html): so the answer is reached with
    /// https. A loopback answer (a local stand-in such as the project's emulator, which answers <c>127.0.0.1:PORT</c>)
    /// cannot be AWS; it is reached the way the control-plane endpoint this client was given is, with that endpoint's
    /// scheme (and its port when the answer names none), so the stand-in needs nothing configured but its control-plane
    /// endpoint, as AWS needs nothing but a region. This never downgrades a real endpoint: only loopback is affected.
    /// </summary>
    private Uri? Endpoint(string? address)
    {
        if (string.IsNullOrWhiteSpace(address) || !Uri.TryCreate($"https://{address.Trim()}", UriKind.Absolute, out var uri)
            || uri.AbsolutePath != "/")
        {
            return null;
        }

        if (!uri.IsLoopback)
        {
            return uri;
        }

        return new UriBuilder(uri)
        {
            Scheme = _controlPlane.Scheme,
            Port = uri.IsDefaultPort ? _controlPlane.Port : uri.Port,
        }.Uri;
    }

    private async Task<(Uri Endpoint, bool Keep)> DiscoverAsync(IotControlClient control, CancellationToken cancellationToken)
    {
        try
        {
            var response = await control.DescribeEndpointAsync(
                new DescribeEndpointRequest { EndpointType = DescribeEndpointRequest.JobsEndpointType }, cancellationToken);
            return (Endpoint(response.EndpointAddress) ?? _fallback, true);
        }
        catch (IotServiceException e)
        {
            return (_fallback, !e.IsRetryable);
        }
    }
}
