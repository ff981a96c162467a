using System.Text.Json;
using JobsFunctions.Aws.Tests.Support;

namespace JobsFunctions.Aws.Tests.Iot;

/// <summary>
/// For each operation, the request our clients send is the request botocore (the AWS CLI's engine, driven by the
/// service models) would send: same method, same escaped path, same query, same JSON body (parsed: serializers differ
/// in spacing), and — with clock and credentials pinned — the Authorization header botocore's own SigV4 signer
/// computes for our exact bytes.
/// </summary>
public sealed class BotocoreParityTests(BotocoreRequests botocore) : IClassFixture<BotocoreRequests>
{
    public static TheoryData<string> Cases() => new(ParityCases.All.Select(c => c.Name));

    [Theory]
    [MemberData(nameof(Cases))]
    public void Our_request_is_the_one_botocore_sends(string name)
    {
        var expected = botocore.For(name);
        var ours = botocore.Ours(name);

        var theirs = new Uri(expected.GetProperty("url").GetString()!);
        Assert.Equal(expected.GetProperty("method").GetString(), ours.Method);
        Assert.Equal(theirs.Host, ours.Uri.Host);
        Assert.Equal(theirs.AbsolutePath, ours.Uri.AbsolutePath);
        Assert.Equal(QueryPairs(theirs), QueryPairs(ours.Uri));
        AssertSameJson(expected.GetProperty("body"), ours.Body);

        var headers = expected.GetProperty("headers");
        Assert.Equal(Header(headers, "Content-Type"), ours.Header("Content-Type"));
        Assert.Equal(Header(headers, "X-Amz-Date"), ours.Header("X-Amz-Date"));
        Assert.Equal(Header(headers, "X-Amz-Security-Token"), ours.Header("X-Amz-Security-Token"));
        Assert.Equal(expected.GetProperty("authorizationForOurs").GetString(), ours.Header("Authorization"));
    }

    private static SortedSet<string> QueryPairs(Uri uri) =>
        new(uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries), StringComparer.Ordinal);

    private static string? Header(JsonElement headers, string name)
    {
        foreach (var header in headers.EnumerateObject())
        {
            if (header.Name.Equals(name, StringComparison.OrdinalIgnoreCase))
            {
                return header.Value.GetString();
            }
        }

        return null;
    }

    private static void AssertSameJson(JsonElement expectedBody, byte[]? actualBody)
    {
        if (expectedBody.ValueKind == JsonValueKind.Null)
        {
            Assert.True(actualBody is null || actualBody.Length == 0, "botocore sends no body here, but we sent one.");
            return;
        }

        Assert.NotNull(actualBody);
        using var expected = JsonDocument.Parse(expectedBody.GetString()!);
        using var actual = JsonDocument.Parse(actualBody);
        Assert.True(
            JsonElement.DeepEquals(expected.RootElement, actual.RootElement),
            $"JSON bodies differ.\nbotocore: {expected.RootElement.GetRawText()}\nours:     {actual.RootElement.GetRawText()}");
    }
}
