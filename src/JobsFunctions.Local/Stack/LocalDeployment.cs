using Amazon.DynamoDBv2;
using JobsFunctions.Aws.Dynamo;
using JobsFunctions.Local.Runtime;

namespace JobsFunctions.Local.Stack;

/// <summary>What the stack is made of once it runs: where DynamoDB is, which table, which bootstrap.</summary>
/// <param name="Jit">Run the functions JIT-compiled under dotnet (as happens anyway on a host that is not linux-x64).</param>
/// <param name="Region">The region the stack is deployed in: its functions sign for it and its table is made there.</param>
public sealed record StackSettings(
    Uri? DynamoEndpoint, string? TableName, string? BootstrapPath, bool Publish, Uri? IotEndpoint, bool Jit = false, string Region = LocalTables.Region);

/// <summary>
/// The local stand-in for a deployed stack: a DynamoDB-compatible server (moto, started here unless one is given),
/// the records table created from template.yaml, and the published bootstrap, from which functions are started with
/// the template's configuration. Everything it starts, it stops.
/// </summary>
public sealed class LocalDeployment : IAsyncDisposable
{
    private readonly MotoProcess? _moto;
    private readonly ClosedLoopbackPort _nowhere = new();
    private readonly Uri? _iotEndpoint;

    private LocalDeployment(RepositoryLayout repository, StackTemplate template, MotoProcess? moto, Uri dynamoEndpoint, Uri? iotEndpoint, string region)
    {
        Repository = repository;
        Template = template;
        _moto = moto;
        DynamoEndpoint = dynamoEndpoint;
        _iotEndpoint = iotEndpoint;
        Region = region;
        Dynamo = LocalTables.CreateClient(dynamoEndpoint, region);
    }

    /// <summary>The region the functions sign for and the table lives in.</summary>
    public string Region { get; }

    public RepositoryLayout Repository { get; }

    public StackTemplate Template { get; }

    public Uri DynamoEndpoint { get; }

    public AmazonDynamoDBClient Dynamo { get; }

    public string TableName { get; private set; } = null!;

    public required string BootstrapPath { get; init; }

    /// <summary>Whether the operator API reaches an IoT Jobs service; without one its changes answer 503.</summary>
    public bool HasIot => _iotEndpoint is not null;

    public StoreOptions StoreOptions
    {
        get
        {
            var (variables, _) = Template.FunctionEnvironment(Template.FunctionWithHandler("recorder"), ResourceNames);
            // The functions fail their cold start on a COUNTER_SHARDS they cannot use; so does the local stack's own reader.
            if (!variables.TryGetValue("COUNTER_SHARDS", out var text))
            {
                return new StoreOptions(TableName, 4, null);
            }

            return int.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, out var shards) && shards is >= 1 and <= StoreOptions.MaxCounterShards
                ? new StoreOptions(TableName, shards, null)
                : throw new LocalStackException(
                    $"template.yaml sets COUNTER_SHARDS to '{text}': it must be a whole number from 1 to {StoreOptions.MaxCounterShards}.");
        }
    }

    private Dictionary<string, string> ResourceNames => new(StringComparer.Ordinal) { [TemplateTable.LogicalId] = TableName };

    public static async Task<LocalDeployment> StartAsync(StackSettings settings, TextWriter console, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(console);
        var repository = RepositoryLayout.Find();
        var template = StackTemplate.Load(repository.Template);

        // moto starts while the bootstrap is found (or published: that may take minutes), so neither waits on the other;
        // a missing bootstrap still stops everything before the table is made.
        var motoStarting = settings.DynamoEndpoint is null ? MotoProcess.StartAsync(cancellationToken) : null;
        string bootstrap;
        try
        {
            bootstrap = await BootstrapLocator.LocateAsync(
                settings.BootstrapPath, settings.Publish, BootstrapChoice.ForThisHost(settings.Jit), repository, console, cancellationToken);
        }
        catch
        {
            await DisposeWhenStartedAsync(motoStarting);
            throw;
        }

        console.WriteLine($"Bootstrap: {Path.GetRelativePath(Environment.CurrentDirectory, bootstrap)}");

        MotoProcess? moto = null;
        Uri endpoint;
        if (settings.DynamoEndpoint is { } given)
        {
            await MotoProcess.WaitForEndpointAsync(given, TimeSpan.FromSeconds(5), cancellationToken);
            endpoint = given;
            console.WriteLine($"DynamoDB: {endpoint} (given)");
        }
        else
        {
            moto = await motoStarting!;
            endpoint = moto.Endpoint;
            console.WriteLine($"DynamoDB: moto at {endpoint} (pid {moto.ProcessId}, serializable transactions; its tables go when it stops)");
        }

        var stack = new LocalDeployment(repository, template, moto, endpoint, settings.IotEndpoint, settings.Region) { BootstrapPath = bootstrap };
        try
        {
            var (table, created) = await LocalTables.PrepareAsync(stack.Dynamo, template, settings.TableName, cancellationToken);
            stack.TableName = table;
            console.WriteLine(created ? $"Table: {table} (created from template.yaml's {TemplateTable.LogicalId})" : $"Table: {table} (existing)");
            return stack;
        }
        catch
        {
            await stack.DisposeAsync();
            throw;
        }
    }

    private static async Task DisposeWhenStartedAsync(Task<MotoProcess>? starting)
    {
        if (starting is null)
        {
            return;
        }

        try
        {
            await (await starting).DisposeAsync();
        }
        catch (Exception e) when (e is LocalStackException or OperationCanceledException)
        {
            // It never came up: nothing to stop, and the bootstrap's failure is the one to report.
        }
    }

    /// <summary>
    /// The function the template runs with <paramref name="handler"/>: its environment, timeout and memory from the
    /// template, the table and endpoints from this stack. Every AWS endpoint stays on loopback: services with no local
    /// stand-in get an address that refuses connections.
    /// </summary>
    public FunctionDefinition Function(string handler, TextWriter console)
    {
        ArgumentNullException.ThrowIfNull(console);
        var logicalId = Template.FunctionWithHandler(handler);
        var (variables, unresolved) = Template.FunctionEnvironment(logicalId, ResourceNames);
        foreach (var name in unresolved)
        {
            console.WriteLine($"Note: {logicalId ?? handler}'s variable {name} names something that exists only once deployed; it is left unset locally.");
        }

        var iot = (_iotEndpoint ?? _nowhere.Endpoint).ToString();
        variables["AWS_REGION"] = Region;
        variables["AWS_DEFAULT_REGION"] = Region;
        variables["AWS_ACCESS_KEY_ID"] = LocalTables.AccessKeyId;
        variables["AWS_SECRET_ACCESS_KEY"] = LocalTables.SecretAccessKey;
        variables["AWS_ENDPOINT_URL"] = _nowhere.Endpoint.ToString();
        variables["AWS_ENDPOINT_URL_DYNAMODB"] = DynamoEndpoint.ToString();
        variables["AWS_ENDPOINT_URL_IOT"] = iot;
        variables["AWS_ENDPOINT_URL_IOT_JOBS_DATA_PLANE"] = iot;
        return new FunctionDefinition(
            logicalId ?? handler,
            BootstrapPath,
            handler,
            variables,
            Template.FunctionTimeout(logicalId),
            Template.FunctionMemory(logicalId),
            Template.LogFormat(logicalId));
    }

    public async ValueTask DisposeAsync()
    {
        Dynamo.Dispose();
        _nowhere.Dispose();
        if (_moto is not null)
        {
            await _moto.DisposeAsync();
        }
    }
}
