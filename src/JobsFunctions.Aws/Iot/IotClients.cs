using JobsFunctions.Aws.Iot.Control;
using JobsFunctions.Aws.Iot.JobsData;
using JobsFunctions.Aws.Signing;

namespace JobsFunctions.Aws.Iot;

/// <summary>
/// Both IoT clients wired the usual way: options from the environment, credentials from the SDK's default chain,
/// one shared connection pool, and data-plane endpoint discovery through the control plane.
/// </summary>
public sealed class IotClients : IDisposable
{
    private readonly HttpMessageHandler? _ownedHandler;
    private readonly bool _ownsPacing;

    public IotClients(IotClientOptions options, ICredentialsSource credentials, HttpMessageHandler handler, TimeProvider? time = null)
    {
        Options = options;
        Control = new IotControlClient(options, credentials, handler, time);
        JobsDataEndpoint = new JobsDataEndpointResolver(options, Control);
        JobsData = new IotJobsDataClient(options, credentials, handler, JobsDataEndpoint, time);
    }

    private IotClients(IotClientOptions options, HttpMessageHandler ownedHandler)
        : this(options, new SdkCredentialsSource(), ownedHandler)
    {
        _ownedHandler = ownedHandler;
        _ownsPacing = true;
    }

    public IotClientOptions Options { get; }

    public IotControlClient Control { get; }

    public IotJobsDataClient JobsData { get; }

    public JobsDataEndpointResolver JobsDataEndpoint { get; }

    /// <summary>
    /// For a process's composition root: everything from the environment (the control plane paced at
    /// <c>IOT_CONTROL_TPS</c>), pooled connections. <see cref="IotClientOptions.Pacing"/> counts every call the process makes.
    /// </summary>
    public static IotClients FromEnvironment(Func<string, string?>? getVariable = null) =>
        new(IotClientOptions.FromEnvironment(getVariable), new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) });

    public void Dispose()
    {
        Control.Dispose();
        JobsData.Dispose();
        _ownedHandler?.Dispose();
        if (_ownsPacing)
        {
            Options.Pacing.Dispose();
        }
    }
}
