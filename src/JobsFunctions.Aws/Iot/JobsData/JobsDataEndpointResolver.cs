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
    private readonly IotControlClient? _control;
    private Uri? _resolved;

    public JobsDataEndpointResolver(IotClientOptions options, IotControlClient? control)
    {
        ArgumentNullException.ThrowIfNull(options);
        _configured = options.JobsDataEndpoint;
        _fallback = IotClientOptions.DefaultJobsDataEndpoint(options.Region);
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

    private async Task<(Uri Endpoint, bool Keep)> DiscoverAsync(IotControlClient control, CancellationToken cancellationToken)
    {
        try
        {
            var response = await control.DescribeEndpointAsync(
                new DescribeEndpointRequest { EndpointType = DescribeEndpointRequest.JobsEndpointType }, cancellationToken);
            var address = response.EndpointAddress;
            if (!string.IsNullOrWhiteSpace(address) && Uri.TryCreate($"https://{address.Trim()}", UriKind.Absolute, out var uri)
                && uri.AbsolutePath == "/")
            {
                return (uri, true);
            }

            return (_fallback, true);
        }
        catch (IotServiceException e)
        {
            return (_fallback, !e.IsRetryable);
        }
    }
}
