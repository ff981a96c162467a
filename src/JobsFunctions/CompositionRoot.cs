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
/// The one place that knows which functions this bootstrap hosts and how each is built, from the environment the
/// process was given. A handler is built once per execution environment, at cold start; a factory that cannot find its
/// configuration throws, which fails the cold start with that message instead of failing the first invocation.
/// </summary>
internal sealed class CompositionRoot
{
    private readonly Func<string, string?> _environment;

    // Built on first use and kept for the life of the execution environment: SDK clients are singletons.
    private readonly Lazy<AmazonDynamoDBClient> _dynamo;
    private readonly Lazy<StoreOptions> _store;
    private readonly Lazy<TimeSpan?> _auditRetention;
    private readonly Lazy<DynamoRecordStore> _recordStore;
    private readonly Lazy<IotClients> _iot;
    private readonly Lazy<HttpClient> _http = new(() => new HttpClient { Timeout = TimeSpan.FromSeconds(30) });

    // One line per function: the _HANDLER value the template gives it, and how to build it. The known names and the
    // factories come from this single table so the two can never disagree.
    private readonly FrozenDictionary<string, Func<IFunctionHandler>> _factories;

    public CompositionRoot(Func<string, string?> environment)
    {
        _environment = environment;
        _dynamo = new(() => DynamoClientFactory.Create(_environment));
        _store = new(() => FunctionSettings.Store(_environment));
        _auditRetention = new(() => FunctionSettings.AuditRetention(_environment));
        _recordStore = new(() => new DynamoRecordStore(Dynamo, Store));
        _iot = new(() => IotClients.FromEnvironment(_environment));
        _factories = new Dictionary<string, Func<IFunctionHandler>>(StringComparer.Ordinal)
        {
            ["recorder"] = () => new RecorderHandler(
                new StatusRecorder(RecordStore, TimeProvider.System), new TransientRetry(TimeProvider.System), TimeProvider.System),
            ["api"] = CreateOperatorApi,
            ["sweeper"] = CreateSweeper,
            ["event-config"] = () => new EventConfigurationHandler(new JobEventsSwitch(Iot.Control), new CustomResourceResponder(_http.Value)),
        }.ToFrozenDictionary(StringComparer.Ordinal);
    }

    private AmazonDynamoDBClient Dynamo => _dynamo.Value;

    private StoreOptions Store => _store.Value;

    private DynamoRecordStore RecordStore => _recordStore.Value;

    private IotClients Iot => _iot.Value;

    private OperatorApiHandler CreateOperatorApi()
    {
        var store = RecordStore;
        var audit = new DynamoAuditLog(Dynamo, Store, _auditRetention.Value);
        var jobsControl = new IotJobsControl(Iot.Control, Iot.JobsData);
        var policies = new DynamoPolicyStore(Dynamo, Store);
        var defaultPolicy = FunctionSettings.DefaultPolicy(_environment);
        return new OperatorApiHandler(
            new OperatorService(
                jobsControl, new ExecutionActions(jobsControl, store, audit, TimeProvider.System), new DynamoIdempotencyStore(Dynamo, Store),
                TimeProvider.System),
            new OperatorQueries(store, store, audit),
            new JobListing(store, store, store, policies, defaultPolicy, TimeProvider.System),
            new IotJobView(jobsControl),
            new PolicyService(policies, audit, CreatePlanner(), TimeProvider.System),
            new PolicyListing(policies, defaultPolicy),
            Console.Out);
    }

    private SweeperHandler CreateSweeper()
    {
        var settings = FunctionSettings.Sweeper(_environment);
        var options = new SweeperOptions(settings.DefaultPolicy);
        var clock = TimeProvider.System;
        var store = RecordStore;
        var jobsControl = new IotJobsControl(Iot.Control, Iot.JobsData);
        var state = new DynamoSweepState(Dynamo, Store);
        var recorder = new StatusRecorder(store, clock);
        var reconciliation = new JobReconciliation(jobsControl, recorder, state, clock);
        var enforcement = new PolicyEnforcement(
            jobsControl, new ExecutionActions(jobsControl, store, new DynamoAuditLog(Dynamo, Store, _auditRetention.Value), clock), recorder, state, clock, options);
        // The client's own counts (every attempt, every throttled answer) are the run's IotCalls and Throttles.
        var sweeper = new PolicySweeper(jobsControl, store, new DynamoPolicyStore(Dynamo, Store), state, CreatePlanner(),
            reconciliation, enforcement, Iot.Options.Pacing.Stats, clock, options);
        return new SweeperHandler(sweeper, settings, clock, Console.Out);
    }

    private PolicyPlanner CreatePlanner() => new(RecordStore, new AbortEvaluation(RecordStore));

    /// <summary>Every <c>_HANDLER</c> value this bootstrap answers to.</summary>
    public IReadOnlyCollection<string> KnownHandlerNames => _factories.Keys;

    /// <summary>Builds the handler named by <c>_HANDLER</c>, or null when there is no such function.</summary>
    public IFunctionHandler? CreateHandler(string handlerName) =>
        _factories.TryGetValue(handlerName, out var create) ? create() : null;
}
