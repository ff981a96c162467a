using System.Collections.Frozen;
using Amazon.DynamoDBv2;
using JobsFunctions.Api;
using JobsFunctions.Aws.CloudFormation;
using JobsFunctions.Aws.Dynamo;
using JobsFunctions.Aws.Iot;
using JobsFunctions.Configuration;
using JobsFunctions.Deployment;
using JobsFunctions.Domain.Operations;
using JobsFunctions.Domain.Policies;
using JobsFunctions.Domain.Recording;
using JobsFunctions.Domain.Sweeping;
using JobsFunctions.Hosting;
using JobsFunctions.Recorder;
using JobsFunctions.Sweeper;

namespace JobsFunctions;

/// <summary>
/// The one place that knows which functions this bootstrap hosts and how each is built. A handler is built once per
/// execution environment, at cold start; a factory that cannot find its configuration throws, which fails the cold
/// start with that message instead of failing the first invocation.
/// </summary>
internal static class CompositionRoot
{
    // Built on first use and kept for the life of the execution environment: SDK clients are singletons.
    private static readonly Lazy<AmazonDynamoDBClient> Dynamo = new(() => DynamoClientFactory.Create(Environment.GetEnvironmentVariable));

    private static readonly Lazy<StoreOptions> Store = new(() => FunctionSettings.Store(Environment.GetEnvironmentVariable));

    private static readonly Lazy<TimeSpan?> AuditRetention = new(() => FunctionSettings.AuditRetention(Environment.GetEnvironmentVariable));

    private static readonly Lazy<DynamoRecordStore> RecordStore = new(() => new DynamoRecordStore(Dynamo.Value, Store.Value));

    private static readonly Lazy<IotClients> Iot = new(IotClients.FromEnvironment);

    private static readonly Lazy<HttpClient> Http = new(() => new HttpClient { Timeout = TimeSpan.FromSeconds(30) });

    // One line per function: the _HANDLER value the template gives it, and how to build it. The known names and the
    // factories come from this single table so the two can never disagree.
    private static readonly FrozenDictionary<string, Func<IFunctionHandler>> Factories =
        new Dictionary<string, Func<IFunctionHandler>>(StringComparer.Ordinal)
        {
            ["recorder"] = () => new RecorderHandler(
                new StatusRecorder(RecordStore.Value, TimeProvider.System), new TransientRetry(TimeProvider.System), TimeProvider.System),
            ["api"] = CreateOperatorApi,
            ["sweeper"] = CreateSweeper,
            ["event-config"] = () => new EventConfigurationHandler(new JobEventsSwitch(Iot.Value.Control), new CustomResourceResponder(Http.Value)),
        }.ToFrozenDictionary(StringComparer.Ordinal);

    private static OperatorApiHandler CreateOperatorApi()
    {
        var store = RecordStore.Value;
        var audit = new DynamoAuditLog(Dynamo.Value, Store.Value, AuditRetention.Value);
        var jobsControl = new IotJobsControl(Iot.Value.Control, Iot.Value.JobsData);
        var policies = new DynamoPolicyStore(Dynamo.Value, Store.Value);
        var defaultPolicy = FunctionSettings.DefaultPolicy(Environment.GetEnvironmentVariable);
        return new OperatorApiHandler(
            new OperatorService(jobsControl, audit, new DynamoIdempotencyStore(Dynamo.Value, Store.Value), store, TimeProvider.System),
            new OperatorQueries(store, store, audit),
            new JobListing(store, store, store, policies, defaultPolicy, TimeProvider.System),
            new PolicyService(policies, audit, CreatePlanner(), TimeProvider.System),
            new PolicyListing(policies, defaultPolicy),
            Console.Out);
    }

    private static SweeperHandler CreateSweeper()
    {
        var settings = FunctionSettings.Sweeper(Environment.GetEnvironmentVariable);
        var options = new SweeperOptions(settings.DefaultPolicy);
        var clock = TimeProvider.System;
        var store = RecordStore.Value;
        var jobsControl = new IotJobsControl(Iot.Value.Control, Iot.Value.JobsData);
        var state = new DynamoSweepState(Dynamo.Value, Store.Value);
        var recorder = new StatusRecorder(store, clock);
        var reconciliation = new JobReconciliation(jobsControl, recorder, clock);
        var enforcement = new PolicyEnforcement(
            jobsControl, new ExecutionActions(jobsControl, store, new DynamoAuditLog(Dynamo.Value, Store.Value, AuditRetention.Value), clock), recorder, state, clock, options);
        // The client's own counts (every attempt, every throttled answer) are the run's IotCalls and Throttles.
        var sweeper = new PolicySweeper(jobsControl, store, new DynamoPolicyStore(Dynamo.Value, Store.Value), state, CreatePlanner(),
            reconciliation, enforcement, Iot.Value.Options.Pacing.Stats, clock, options);
        return new SweeperHandler(sweeper, settings, clock, Console.Out);
    }

    private static PolicyPlanner CreatePlanner() => new(RecordStore.Value, new AbortEvaluation(RecordStore.Value));

    /// <summary>Every <c>_HANDLER</c> value this bootstrap answers to.</summary>
    public static IReadOnlyCollection<string> KnownHandlerNames => Factories.Keys;

    /// <summary>Builds the handler named by <c>_HANDLER</c>, or null when there is no such function.</summary>
    public static IFunctionHandler? CreateHandler(string handlerName) =>
        Factories.TryGetValue(handlerName, out var create) ? create() : null;
}
