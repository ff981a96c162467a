using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Amazon.Runtime;
using JobsFunctions.Local.Stack;

namespace JobsFunctions.Local.Tests.Stack;

/// <summary>
/// The local stack's DynamoDB (moto through dynamodb_server.py), driven by the real AWS SDK: a canceled transaction
/// leaves nothing behind and takes nothing away, as DynamoDB's serializable transactions promise
/// (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/transaction-apis.html), and a Query reads its
/// partition or index key in key order, page after page, however the table was written.
/// </summary>
public sealed class MotoProcessTests : IAsyncLifetime
{
    private const string Table = "transactions";
    private const string ByState = "ByState";

    private MotoProcess _moto = null!;
    private AmazonDynamoDBClient _dynamo = null!;

    public async ValueTask InitializeAsync()
    {
        _moto = await MotoProcess.StartAsync(TestContext.Current.CancellationToken);
        _dynamo = new AmazonDynamoDBClient(
            new BasicAWSCredentials("local", "local"),
            new AmazonDynamoDBConfig { ServiceURL = _moto.Endpoint.ToString(), AuthenticationRegion = "us-east-1", MaxErrorRetry = 0 });
        await _dynamo.CreateTableAsync(new CreateTableRequest
        {
            TableName = Table,
            BillingMode = BillingMode.PAY_PER_REQUEST,
            KeySchema = [new KeySchemaElement("PK", KeyType.HASH), new KeySchemaElement("SK", KeyType.RANGE)],
            AttributeDefinitions =
            [
                new AttributeDefinition("PK", ScalarAttributeType.S), new AttributeDefinition("SK", ScalarAttributeType.S),
                new AttributeDefinition("state", ScalarAttributeType.S), new AttributeDefinition("at", ScalarAttributeType.S),
            ],
            GlobalSecondaryIndexes =
            [
                new GlobalSecondaryIndex
                {
                    IndexName = ByState,
                    KeySchema = [new KeySchemaElement("state", KeyType.HASH), new KeySchemaElement("at", KeyType.RANGE)],
                    Projection = new Projection { ProjectionType = ProjectionType.KEYS_ONLY },
                },
            ],
        }, TestContext.Current.CancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        _dynamo.Dispose();
        await _moto.DisposeAsync();
    }

    [Fact]
    public async Task A_canceled_transaction_leaves_every_item_it_touched_as_it_was()
    {
        await PutAsync("job#1", "counter", ("count", "5"));
        await PutAsync("job#1", "exec#a", ("status", "QUEUED"));

        var canceled = await Assert.ThrowsAsync<TransactionCanceledException>(() => _dynamo.TransactWriteItemsAsync(new TransactWriteItemsRequest
        {
            TransactItems =
            [
                new TransactWriteItem { Update = new Update { TableName = Table, Key = Key("job#1", "counter"), UpdateExpression = "ADD #c :one", ExpressionAttributeNames = new() { ["#c"] = "count" }, ExpressionAttributeValues = new() { [":one"] = new AttributeValue { N = "1" } } } },
                new TransactWriteItem { Put = new Put { TableName = Table, Item = Item("job#1", "exec#b", ("status", "SUCCEEDED")) } },
                new TransactWriteItem { Put = new Put { TableName = Table, Item = Item("job#1", "exec#a", ("status", "FAILED")) } },
                new TransactWriteItem { ConditionCheck = new ConditionCheck { TableName = Table, Key = Key("job#9", "missing"), ConditionExpression = "attribute_exists(PK)" } },
            ],
        }, TestContext.Current.CancellationToken));

        Assert.Equal(["None", "None", "None", "ConditionalCheckFailed"], canceled.CancellationReasons.Select(reason => reason.Code));
        Assert.Equal("5", (await GetAsync("job#1", "counter"))!["count"].N);
        Assert.Equal("QUEUED", (await GetAsync("job#1", "exec#a"))!["status"].S);
        Assert.Null(await GetAsync("job#1", "exec#b"));
    }

    [Fact]
    public async Task Writes_made_while_other_transactions_are_canceled_are_all_kept()
    {
        // moto alone puts back a copy of the whole table when it cancels a transaction, dropping what other requests
        // wrote meanwhile; here every increment must survive the canceled transactions running beside it.
        await PutAsync("job#2", "counter", ("count", "0"));
        const int Increments = 150;

        var counting = Task.Run(async () =>
        {
            for (var i = 0; i < Increments; i++)
            {
                await _dynamo.UpdateItemAsync(new UpdateItemRequest
                {
                    TableName = Table,
                    Key = Key("job#2", "counter"),
                    UpdateExpression = "ADD #c :one",
                    ExpressionAttributeNames = new() { ["#c"] = "count" },
                    ExpressionAttributeValues = new() { [":one"] = new AttributeValue { N = "1" } },
                }, TestContext.Current.CancellationToken);
            }
        }, TestContext.Current.CancellationToken);
        var canceling = Enumerable.Range(0, 3).Select(worker => Task.Run(async () =>
        {
            var canceled = 0;
            while (!counting.IsCompleted)
            {
                try
                {
                    await _dynamo.TransactWriteItemsAsync(new TransactWriteItemsRequest
                    {
                        TransactItems =
                        [
                            new TransactWriteItem { Put = new Put { TableName = Table, Item = Item("job#2", $"exec#{worker}", ("status", "QUEUED")) } },
                            new TransactWriteItem { ConditionCheck = new ConditionCheck { TableName = Table, Key = Key("job#9", "missing"), ConditionExpression = "attribute_exists(PK)" } },
                        ],
                    }, TestContext.Current.CancellationToken);
                }
                catch (TransactionCanceledException)
                {
                    canceled++;
                }
            }

            return canceled;
        }, TestContext.Current.CancellationToken)).ToList();
        await counting;
        var canceledInAll = (await Task.WhenAll(canceling)).Sum();

        Assert.True(canceledInAll > 0, "no transaction ran beside the increments");
        Assert.Equal(Increments.ToString(System.Globalization.CultureInfo.InvariantCulture), (await GetAsync("job#2", "counter"))!["count"].N);
        Assert.Null(await GetAsync("job#2", "exec#0"));
    }

    [Fact]
    public async Task Queries_read_one_partition_or_one_index_key_in_key_order_page_by_page()
    {
        // Written out of order across partitions, so neither the table's order nor the writes' order is the answer.
        foreach (var n in new[] { 3, 0, 4, 1, 2 })
        {
            foreach (var job in new[] { "job#c", "job#a", "job#b" })
            {
                var item = Key(job, $"exec#{n}");
                item["state"] = new AttributeValue { S = n % 2 == 0 ? "FAILED" : "SUCCEEDED" };
                item["at"] = new AttributeValue { S = $"2026-11-23T10:0{9 - n}:00Z#{job}" };
                await _dynamo.PutItemAsync(new PutItemRequest { TableName = Table, Item = item }, TestContext.Current.CancellationToken);
            }
        }

        Assert.Equal(["exec#0", "exec#1", "exec#2", "exec#3", "exec#4"], await QueryAllAsync(new QueryRequest
        {
            TableName = Table,
            KeyConditionExpression = "PK = :pk AND begins_with(SK, :exec)",
            ExpressionAttributeValues = new() { [":pk"] = new AttributeValue { S = "job#b" }, [":exec"] = new AttributeValue { S = "exec#" } },
        }, "SK"));
        Assert.Equal(["exec#4", "exec#3", "exec#2", "exec#1", "exec#0"], await QueryAllAsync(new QueryRequest
        {
            TableName = Table,
            KeyConditionExpression = "PK = :pk",
            ExpressionAttributeValues = new() { [":pk"] = new AttributeValue { S = "job#a" } },
            ScanIndexForward = false,
        }, "SK"));
        Assert.Equal(
            ["2026-11-23T10:05:00Z#job#a", "2026-11-23T10:05:00Z#job#b", "2026-11-23T10:05:00Z#job#c",
             "2026-11-23T10:07:00Z#job#a", "2026-11-23T10:07:00Z#job#b", "2026-11-23T10:07:00Z#job#c",
             "2026-11-23T10:09:00Z#job#a", "2026-11-23T10:09:00Z#job#b", "2026-11-23T10:09:00Z#job#c"],
            await QueryAllAsync(new QueryRequest
            {
                TableName = Table,
                IndexName = ByState,
                KeyConditionExpression = "#state = :failed",
                ExpressionAttributeNames = new() { ["#state"] = "state" },
                ExpressionAttributeValues = new() { [":failed"] = new AttributeValue { S = "FAILED" } },
            }, "at"));
    }

    [Fact]
    public async Task Every_attribute_type_comes_back_as_written_from_each_item_operation()
    {
        var item = Key("job#t", "exec#types");
        item["s"] = new AttributeValue { S = "caf\u00e9 \"quoted\" \\ \u2603" };
        item["n"] = new AttributeValue { N = "-12.50" };
        item["b"] = new AttributeValue { B = new MemoryStream([0, 1, 2, 250, 255]) };
        item["ss"] = new AttributeValue { SS = ["a", "b"] };
        item["ns"] = new AttributeValue { NS = ["1", "2.5"] };
        item["bs"] = new AttributeValue { BS = [new MemoryStream([1]), new MemoryStream([2, 3])] };
        item["bool"] = new AttributeValue { BOOL = false };
        item["null"] = new AttributeValue { NULL = true };
        item["l"] = new AttributeValue { L = [new AttributeValue { S = "x" }, new AttributeValue { N = "7" }] };
        item["m"] = new AttributeValue { M = new() { ["inner"] = new AttributeValue { B = new MemoryStream([9, 8]) } } };
        var cancel = TestContext.Current.CancellationToken;
        await _dynamo.PutItemAsync(new PutItemRequest { TableName = Table, Item = item }, cancel);

        var got = (await _dynamo.GetItemAsync(new GetItemRequest { TableName = Table, Key = Key("job#t", "exec#types") }, cancel)).Item;
        var queried = Assert.Single((await _dynamo.QueryAsync(new QueryRequest
        {
            TableName = Table,
            KeyConditionExpression = "PK = :pk",
            ExpressionAttributeValues = new() { [":pk"] = new AttributeValue { S = "job#t" } },
        }, cancel)).Items);
        var batched = Assert.Single((await _dynamo.BatchGetItemAsync(new BatchGetItemRequest
        {
            RequestItems = new() { [Table] = new KeysAndAttributes { Keys = [Key("job#t", "exec#types")] } },
        }, cancel)).Responses[Table]);
        var replaced = (await _dynamo.PutItemAsync(new PutItemRequest { TableName = Table, Item = Key("job#t", "exec#types"), ReturnValues = ReturnValue.ALL_OLD }, cancel)).Attributes;

        foreach (var answer in new[] { got, queried, batched, replaced })
        {
            Assert.Equal(Describe(item), Describe(answer));
        }
    }

    [Fact]
    public async Task A_counter_update_creates_then_adds_and_an_update_DynamoDB_refuses_is_refused_with_nothing_written()
    {
        var cancel = TestContext.Current.CancellationToken;
        UpdateItemRequest Counter(string status, string by) => new()
        {
            TableName = Table,
            Key = Key("job#c", "counts#01"),
            UpdateExpression = "SET jobId = :job ADD #to :by",
            ExpressionAttributeNames = new() { ["#to"] = status },
            ExpressionAttributeValues = new() { [":job"] = new AttributeValue { S = "c" }, [":by"] = new AttributeValue { N = by } },
            ReturnValues = ReturnValue.ALL_NEW,
        };

        await _dynamo.UpdateItemAsync(Counter("SUCCEEDED", "1"), cancel);
        await _dynamo.TransactWriteItemsAsync(new TransactWriteItemsRequest
        {
            TransactItems = [new TransactWriteItem { Update = new Update
            {
                TableName = Table, Key = Key("job#c", "counts#01"), UpdateExpression = "ADD #to :by",
                ExpressionAttributeNames = new() { ["#to"] = "SUCCEEDED" }, ExpressionAttributeValues = new() { [":by"] = new AttributeValue { N = "2" } },
            } }],
        }, cancel);
        var counted = (await _dynamo.UpdateItemAsync(Counter("FAILED", "-1"), cancel)).Attributes;

        Assert.Equal("FAILED=N:-1; PK=S:job#c; SK=S:counts#01; SUCCEEDED=N:3; jobId=S:c", Describe(counted));

        // Each of these DynamoDB refuses (reserved word, a key attribute, ADD onto a string, one attribute twice).
        string[] refused = ["SET status = :job", "SET SK = :job", "ADD jobId :by", "SET a = :job, a = :job"];
        foreach (var expression in refused)
        {
            var request = Counter("SUCCEEDED", "1");
            request.UpdateExpression = expression;
            request.ExpressionAttributeNames = null;
            var refusal = await Assert.ThrowsAsync<AmazonDynamoDBException>(() => _dynamo.UpdateItemAsync(request, cancel));
            Assert.Equal(System.Net.HttpStatusCode.BadRequest, refusal.StatusCode);
        }

        Assert.Equal(Describe(counted), Describe((await GetAsync("job#c", "counts#01"))!));
    }

    /// <summary>An item as text, binaries as hex and sets sorted, so two answers compare by value.</summary>
    private static string Describe(Dictionary<string, AttributeValue> item) =>
        string.Join("; ", item.OrderBy(pair => pair.Key, StringComparer.Ordinal).Select(pair => $"{pair.Key}={Describe(pair.Value)}"));

    private static string Describe(AttributeValue value) => value switch
    {
        { S: { } s } => $"S:{s}",
        { N: { } n } => $"N:{n}",
        { B: { } b } => $"B:{Convert.ToHexString(b.ToArray())}",
        { SS.Count: > 0 } => $"SS:{string.Join(",", value.SS.Order(StringComparer.Ordinal))}",
        { NS.Count: > 0 } => $"NS:{string.Join(",", value.NS.Order(StringComparer.Ordinal))}",
        { BS.Count: > 0 } => $"BS:{string.Join(",", value.BS.Select(b => Convert.ToHexString(b.ToArray())).Order(StringComparer.Ordinal))}",
        { BOOL: { } flag } => $"BOOL:{flag}",
        { NULL: true } => "NULL",
        { L.Count: > 0 } => $"L:[{string.Join(",", value.L.Select(Describe))}]",
        { M.Count: > 0 } => $"M:{{{Describe(value.M)}}}",
        _ => "?",
    };

    /// <summary>Every page of a query, two items a page, as the SDK's caller pages: by LastEvaluatedKey.</summary>
    private async Task<List<string>> QueryAllAsync(QueryRequest request, string attribute)
    {
        var values = new List<string>();
        request.Limit = 2;
        do
        {
            var page = await _dynamo.QueryAsync(request, TestContext.Current.CancellationToken);
            values.AddRange(page.Items.Select(item => item[attribute].S));
            request.ExclusiveStartKey = page.LastEvaluatedKey is { Count: > 0 } last ? last : null;
        }
        while (request.ExclusiveStartKey is not null);

        return values;
    }

    private static Dictionary<string, AttributeValue> Key(string pk, string sk) =>
        new() { ["PK"] = new AttributeValue { S = pk }, ["SK"] = new AttributeValue { S = sk } };

    private static Dictionary<string, AttributeValue> Item(string pk, string sk, (string Name, string Value) attribute)
    {
        var item = Key(pk, sk);
        item[attribute.Name] = attribute.Name == "count" ? new AttributeValue { N = attribute.Value } : new AttributeValue { S = attribute.Value };
        return item;
    }

    private Task PutAsync(string pk, string sk, (string Name, string Value) attribute) =>
        _dynamo.PutItemAsync(new PutItemRequest { TableName = Table, Item = Item(pk, sk, attribute) }, TestContext.Current.CancellationToken);

    private async Task<Dictionary<string, AttributeValue>?> GetAsync(string pk, string sk)
    {
        var response = await _dynamo.GetItemAsync(new GetItemRequest { TableName = Table, Key = Key(pk, sk), ConsistentRead = true }, TestContext.Current.CancellationToken);
        return response.IsItemSet ? response.Item : null;
    }
}
