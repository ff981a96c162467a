using JobsFunctions.Aws.Iot;
using JobsFunctions.Aws.Iot.Control;
using JobsFunctions.Aws.Iot.JobsData;
using JobsFunctions.Aws.Signing;

namespace JobsFunctions.Aws.Tests.Support;

/// <summary>A clock stuck at one instant, so signatures are reproducible.</summary>
public sealed class FixedTimeProvider(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now;
}

/// <summary>Clients over a scripted handler, with backoff sleeps recorded instead of slept.</summary>
public sealed class TestClients
{
    public static readonly SigningCredentials Credentials = new("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "session-token");

    public static readonly Uri ControlEndpoint = new("https://iot.eu-west-1.amazonaws.com");

    public static readonly Uri DataEndpoint = new("https://data.jobs.iot.eu-west-1.amazonaws.com");

    public List<TimeSpan> Sleeps { get; } = [];

    public ScriptedHandler Handler { get; } = new();

    /// <summary>Sleep for real during backoff (to test the caller's token), instead of recording the delay.</summary>
    public bool RealSleep { get; init; }

    /// <summary>Shared by both clients, as the options of one process share it.</summary>
    public IotCallPacing Pacing { get; init; } = IotCallPacing.Unpaced();

    private Func<TimeSpan, CancellationToken, Task>? Sleep => RealSleep ? null : RecordSleep;

    public static IotClientOptions Options(RetryOptions? retry = null, Uri? dataEndpoint = null) => new()
    {
        Region = "eu-west-1",
        ControlPlaneEndpoint = ControlEndpoint,
        JobsDataEndpoint = dataEndpoint ?? DataEndpoint,
        Retry = retry ?? RetryOptions.Default,
    };

    public IotControlClient Control(RetryOptions? retry = null, TimeProvider? time = null) =>
        new(Options(retry) with { Pacing = Pacing }, new StaticCredentialsSource(Credentials), Handler, time, Sleep, jitter: () => 1.0);

    public IotJobsDataClient JobsData(RetryOptions? retry = null, TimeProvider? time = null)
    {
        var options = Options(retry) with { Pacing = Pacing };
        return new(options, new StaticCredentialsSource(Credentials), Handler, new JobsDataEndpointResolver(options, null), time, Sleep, jitter: () => 1.0);
    }

    private Task RecordSleep(TimeSpan delay, CancellationToken cancellationToken)
    {
        lock (Sleeps)
        {
            Sleeps.Add(delay);
        }

        return Task.CompletedTask;
    }
}
