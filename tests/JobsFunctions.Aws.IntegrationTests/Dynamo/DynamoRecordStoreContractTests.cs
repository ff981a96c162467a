using Amazon.DynamoDBv2;
using JobsFunctions.Aws.Dynamo;
using JobsFunctions.Local.Stack;
using JobsFunctions.TestSupport;

namespace JobsFunctions.Aws.IntegrationTests.Dynamo;

/// <summary>The DynamoDB store held to the same contract as the in-memory store the domain tests use.</summary>
public sealed class DynamoRecordStoreContractTests(MotoServer moto) : RecordStoreContract<DynamoRecordStore>, IDisposable
{
    private readonly AmazonDynamoDBClient _dynamo = LocalDynamo.CreateClient(moto.Endpoint);

    protected override async ValueTask<DynamoRecordStore> NewStoreAsync() =>
        new(_dynamo, new StoreOptions(await TemplateTable.CreateAsync(_dynamo, RepositoryPaths.Template), CounterShards: 3, LedgerRetention: null));

    public void Dispose() => _dynamo.Dispose();
}
