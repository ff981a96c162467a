using System.Collections.Concurrent;
using Amazon.Runtime;

namespace JobsFunctions.Benchmarks;

/// <summary>
/// Counts the DynamoDB requests the SDK sends, by operation (its X-Amz-Target), and keeps the number of items the
/// latest transaction among them wrote (under <see cref="LastTransactItems"/>).
/// </summary>
internal sealed class RequestCounter : HttpClientFactory
{
    public const string LastTransactItems = "TransactWriteItems.LastTransactItems";

    public ConcurrentDictionary<string, int> Counts { get; } = new();

    public void Reset() => Counts.Clear();

    public int Total(params string[] operations) => operations.Sum(operation => Counts.GetValueOrDefault(operation));

    public override HttpClient CreateHttpClient(IClientConfig clientConfig) => new(new CountingHandler(this) { InnerHandler = new HttpClientHandler() });

    private sealed class CountingHandler(RequestCounter owner) : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var target = request.Headers.TryGetValues("X-Amz-Target", out var values) ? values.First().Split('.').Last() : "other";
            owner.Counts.AddOrUpdate(target, 1, (_, count) => count + 1);
            if (target == "TransactWriteItems" && request.Content is { } content)
            {
                using var body = System.Text.Json.JsonDocument.Parse(await content.ReadAsByteArrayAsync(cancellationToken));
                var items = body.RootElement.GetProperty("TransactItems").GetArrayLength();
                owner.Counts[LastTransactItems] = items;
            }

            return await base.SendAsync(request, cancellationToken);
        }
    }
}
