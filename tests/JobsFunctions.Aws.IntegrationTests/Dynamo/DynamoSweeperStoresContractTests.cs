using Amazon.DynamoDBv2;
using JobsFunctions.Aws.Dynamo;
using JobsFunctions.Local.Stack;
using JobsFunctions.TestSupport;

namespace JobsFunctions.Aws.IntegrationTests.Dynamo;

/// <summary>The DynamoDB policy store held to the contract the in-memory one is, on a table made from template.yaml.</summary>
public sealed class DynamoPolicyStoreContractTests(MotoServer moto) : PolicyStoreContract<DynamoPolicyStore>, IDisposable
{
    private readonly AmazonDynamoDBClient _dynamo = LocalDynamo.CreateClient(moto.Endpoint);

    protected override async ValueTask<DynamoPolicyStore> NewStoreAsync() =>
        new(_dynamo, new StoreOptions(await TemplateTable.CreateAsync(_dynamo, RepositoryPaths.Template), CounterShards: 3, LedgerRetention: null));

    public void Dispose() => _dynamo.Dispose();
}

/// <summary>The DynamoDB sweep state held to the contract the in-memory one is, on a table made from template.yaml.</summary>
public sealed class DynamoSweepStateContractTests(MotoServer moto) : SweepStateContract<DynamoSweepState>, IDisposable
{
    private readonly AmazonDynamoDBClient _dynamo = LocalDynamo.CreateClient(moto.Endpoint);

    protected override async ValueTask<DynamoSweepState> NewStateAsync() =>
        new(_dynamo, new StoreOptions(await TemplateTable.CreateAsync(_dynamo, RepositoryPaths.Template), CounterShards: 3, LedgerRetention: null));

    public void Dispose() => _dynamo.Dispose();
}
