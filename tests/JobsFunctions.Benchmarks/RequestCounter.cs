using System.Collections.Concurrent;
using Amazon.Runtime;

namespace JobsFunctions.Benchmarks;

/// <summary>Counts the DynamoDB requests the SDK sends, by operation (its X-Amz-Target), and captures write bodies.</summary>
internal sealed class RequestCounter : HttpClientFactory
{
    public ConcurrentDictionary<string, int> Counts { get; } = new();

    public void Reset() => Counts.Clear();

    public int Total(params string[] operations) => operations.Sum(operation => Counts.GetValueOrDefault(operation));

    public override HttpClient CreateHttpClient(IClientConfig clientConfig) => new(new CountingHandler(this) { InnerHandler = new HttpClientHandler() });

    private sealed class CountingHandler(RequestCounter owner) : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var target = request.Headers.TryGetValues("X-Amz-Target", out var values) ? values.First().Split('.').Last() : "other";
            owner.Counts.AddOrUpdate(target, 1, (_, count) => count + 1);
            return base.SendAsync(request, cancellationToken);
        }
    }
}
