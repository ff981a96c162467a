using System.Globalization;
using JobsFunctions.Aws.Iot;
using JobsFunctions.Emulator.Http;
using JobsFunctions.Emulator.Model;
using JobsFunctions.Local.Api;
using JobsFunctions.Local.Commands;
using JobsFunctions.Local.Rules;
using JobsFunctions.Local.Runtime;
using JobsFunctions.Local.Stack;

namespace JobsFunctions.Local.Demo;

/// <summary>
/// Everything a fleet run needs, up on loopback: DynamoDB and the table (<see cref="LocalDeployment"/>), the IoT Jobs
/// emulator on a virtual clock, the recorder fed through the template's topic rules from the emulator's events, the
/// operator API function behind the local API host, and the sweeper when the template has one. Stops all of it.
/// </summary>
public sealed class FleetServices : IAsyncDisposable
{
    private readonly List<IAsyncDisposable> _owned = [];

    private FleetServices()
    {
    }

    public LocalDeployment Deployment { get; private set; } = null!;

    public EmulatorHost Emulator { get; private set; } = null!;

    public LocalApiHost Api { get; private set; } = null!;

    public RouteTable Routes { get; private set; } = null!;

    public TopicRuleEngine Rules { get; private set; } = null!;

    public AsyncInvocations Recorder { get; private set; } = null!;

    public EventFeed Feed { get; private set; } = null!;

    /// <summary>The recorder's way to DynamoDB when the run asks for faults: a proxy that fails a share of requests.</summary>
    public DynamoFaultProxy? DynamoFaults { get; private set; }

    /// <summary>The sweeper and its schedule, when the template has a function with <c>Handler: sweeper</c>.</summary>
    public (LocalFunction Function, TimeSpan Every)? Sweeper { get; private set; }

    /// <summary>What the sweeper's runs reported.</summary>
    public SweeperTally SweeperRuns { get; } = new();

    /// <summary>Sees every line the sweeper writes, after <see cref="SweeperRuns"/> did (the soak reads each run's lines).</summary>
    public Action<FunctionOutput>? OnSweeperOutput { get; set; }

    /// <summary>Starts everything; on failure, stops what it had started and rethrows.</summary>
    public static async Task<FleetServices> StartAsync(
        StackSettings settings, int apiPort, int emulatorPort, FleetDemoOptions options, TextWriter console, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(options);
        var stack = new FleetServices();
        try
        {
            await stack.StartAllAsync(settings, apiPort, emulatorPort, options, console, cancellationToken);
            return stack;
        }
        catch
        {
            await stack.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        for (var i = _owned.Count - 1; i >= 0; i--)
        {
            await _owned[i].DisposeAsync();
        }

        _owned.Clear();
    }

    private async Task StartAllAsync(
        StackSettings settings, int apiPort, int emulatorPort, FleetDemoOptions options, TextWriter console, CancellationToken cancellationToken)
    {
        // The API's port first, so a clash is reported before anything slow starts.
        Api = Own(LocalApiHost.Listen(apiPort));

        // Time stands still until the run moves it: the fleet, the rules and the schedules all follow this clock.
        // The fleet's jobs live in the region the stack's functions sign for, so the sweeper and the API see them.
        var emulator = new JobsEmulator(new EmulatorClock(frozen: true), settings.Region);
        // The account's job and job-execution events on, as the template's EventConfigFunction leaves them after a deploy.
        emulator.UpdateEventConfigurations(new Dictionary<string, bool>(StringComparer.Ordinal) { ["JOB"] = true, ["JOB_EXECUTION"] = true });
        Emulator = Own(await EmulatorHost.StartAsync(emulator, emulatorPort, cancellationToken));
        console.WriteLine($"IoT Jobs emulator: {Emulator.BaseAddress} (iot and iot-jobs-data, virtual clock)");

        Deployment = Own(await LocalDeployment.StartAsync(settings with { IotEndpoint = Emulator.BaseAddress }, console, cancellationToken));
        var template = Deployment.Template;

        var rules = TopicRule.FromTemplate(template);
        var recorderId = template.FunctionWithHandler("recorder") ?? throw new LocalStackException("template.yaml has no function with Handler: recorder.");
        if (rules.FirstOrDefault(rule => rule.FunctionLogicalId != recorderId) is { } other)
        {
            throw new LocalStackException($"template.yaml's topic rule {other.Name} invokes {other.FunctionLogicalId}; the local stack runs only the recorder behind rules.");
        }

        // The recorder reaches DynamoDB through a proxy that fails requests when the run asks for faults; otherwise
        // every function talks to DynamoDB directly, as in Lambda.
        var recorder = Deployment.Function("recorder", console);
        if (options.DynamoFaults > 0)
        {
            DynamoFaults = Own(await DynamoFaultProxy.StartAsync(Deployment.DynamoEndpoint, options.DynamoFaults, options.Seed, cancellationToken));
            recorder = recorder with { Environment = With(recorder.Environment, "AWS_ENDPOINT_URL_DYNAMODB", DynamoFaults.Endpoint.ToString()) };
            console.WriteLine($"DynamoDB faults: {options.DynamoFaults:P0} of the recorder's requests fail (proxy {DynamoFaults.Endpoint})");
        }

        var environments = new List<IFunctionInvoker>();
        for (var i = 0; i < options.RecorderConcurrency; i++)
        {
            environments.Add(Own(await LocalFunction.StartAsync(recorder, Recording.StandardErrorTo(console), waitForLogLine: false, cancellationToken)));
        }

        Recorder = Own(new AsyncInvocations(environments, template.MaximumRetryAttempts(recorderId), AsyncInvocations.LambdaRetryDelays(options.Speed)));
        Rules = new TopicRuleEngine(rules, new Dictionary<string, AsyncInvocations>(StringComparer.Ordinal) { [recorderId] = Recorder });
        Feed = Own(new EventFeed(Rules, new DeliveryFaults(options.DuplicateEvents, options.ShuffleEvents, options.Seed)));
        emulator.Subscribe(Feed);
        console.WriteLine($"Topic rules from template.yaml: {string.Join(", ", rules.Select(rule => $"{rule.Name} ('{rule.Filter}' -> {rule.FunctionLogicalId})"))}");

        Routes = new RouteTable(template.HttpApiRouteKeys());
        var api = Own(await LocalFunction.StartAsync(Deployment.Function("api", console), Recording.StandardErrorTo(console), waitForLogLine: false, cancellationToken));
        Api.Serve(Routes, api, LocalCaller.Operator, TextWriter.Null);

        if (template.FunctionWithHandler("sweeper") is { } sweeperId)
        {
            var every = ScheduleRate.Parse(template.FunctionSchedule(sweeperId)
                ?? throw new LocalStackException($"template.yaml's {sweeperId} has no Schedule event."));
            var errors = Recording.StandardErrorTo(console);
            var sweeper = Own(await LocalFunction.StartAsync(
                PacedForTheClock(Deployment.Function("sweeper", console), options.Speed),
                output =>
                {
                    errors(output);
                    SweeperRuns.Observe(output);
                    OnSweeperOutput?.Invoke(output);
                },
                waitForLogLine: false,
                cancellationToken));
            Sweeper = (sweeper, every);
        }
    }

    /// <summary>
    /// The template's IoT call rate (<c>IOT_CONTROL_TPS</c>, calls per second) per second of the emulator's clock,
    /// which runs <paramref name="speed"/> times faster than the wall: the sweeper may make as many calls in a virtual
    /// minute as the template allows it in a real one.
    /// </summary>
    internal static FunctionDefinition PacedForTheClock(FunctionDefinition function, double speed)
    {
        // Read as the bootstrap reads it, so a value it would refuse is refused here too, naming the variable.
        using var templatePacing = IotCallPacing.FromEnvironment(function.Environment.GetValueOrDefault);
        var perSecond = templatePacing.ControlPlaneTps ?? IotCallPacing.DefaultControlPlaneTps;
        return function with
        {
            Environment = With(function.Environment, "IOT_CONTROL_TPS", (perSecond * Math.Max(speed, 1)).ToString(CultureInfo.InvariantCulture)),
        };
    }

    private static Dictionary<string, string> With(IReadOnlyDictionary<string, string> environment, string name, string value) =>
        new(environment, StringComparer.Ordinal) { [name] = value };

    private T Own<T>(T disposable)
        where T : IAsyncDisposable
    {
        _owned.Add(disposable);
        return disposable;
    }
}
