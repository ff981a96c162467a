using System.Globalization;
using System.Net;
using System.Net.Sockets;
using JobsFunctions.Local.Runtime;

namespace JobsFunctions.Local.Tests.Runtime;

/// <summary>The local Runtime API over raw HTTP, as a runtime that is not ours would call it.</summary>
public sealed class LocalRuntimeApiTests : IAsyncDisposable
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    private readonly LocalRuntimeApi _api = LocalRuntimeApi.Start();
    private readonly HttpClient _http = new() { Timeout = Wait };

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private Uri Next => new($"http://{_api.Address}/2018-06-01/runtime/invocation/next");

    [Fact]
    public async Task Next_waits_for_an_event_and_hands_it_out_with_the_documented_headers()
    {
        var waiting = _http.GetAsync(Next, Token);
        await _api.FirstNextRequest.WaitAsync(Wait, Token);
        Assert.False(waiting.IsCompleted);

        var deadline = DateTimeOffset.FromUnixTimeMilliseconds(1_795_000_000_123);
        _api.Enqueue(new LocalInvocation("""{"a":1}""") { RequestId = "r-1", Deadline = deadline, InvocationId = "i-1" });
        using var response = await waiting;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("r-1", Header(response, "Lambda-Runtime-Aws-Request-Id"));
        Assert.Equal(deadline.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture), Header(response, "Lambda-Runtime-Deadline-Ms"));
        Assert.Equal("arn:aws:lambda:us-east-1:000000000000:function:jobs-functions-local", Header(response, "Lambda-Runtime-Invoked-Function-Arn"));
        Assert.StartsWith("Root=", Header(response, "Lambda-Runtime-Trace-Id"), StringComparison.Ordinal);
        Assert.Equal("i-1", Header(response, "Lambda-Runtime-Invocation-Id"));
        Assert.Equal("""{"a":1}""", await response.Content.ReadAsStringAsync(Token));
    }

    [Fact]
    public async Task A_response_is_accepted_with_202_and_recorded_for_its_invocation()
    {
        var id = _api.Enqueue("{}");
        using (await _http.GetAsync(Next, Token))
        {
        }

        using var content = new StringContent("""{"ok":true}""");
        using var posted = await _http.PostAsync(new Uri($"http://{_api.Address}/2018-06-01/runtime/invocation/{id}/response"), content, Token);

        Assert.Equal(HttpStatusCode.Accepted, posted.StatusCode);
        Assert.Equal("""{"ok":true}""", (await _api.WaitForResultAsync(id, Wait)).BodyText);
    }

    [Fact]
    public async Task A_next_the_runtime_abandons_gives_up_its_place_and_the_event_goes_to_the_next_caller()
    {
        using (var abandoning = CancellationTokenSource.CreateLinkedTokenSource(Token))
        {
            var abandoned = _http.GetAsync(Next, abandoning.Token);
            await _api.FirstNextRequest.WaitAsync(Wait, Token);
            await abandoning.CancelAsync();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => abandoned);
        }

        // The server sees the connection close a moment later; until then the event could still go to the dead call.
        var seen = Task.Run(async () =>
        {
            while (_api.WaitingNextRequests > 0)
            {
                await Task.Delay(10, Token);
            }
        }, Token);
        await seen.WaitAsync(Wait, Token);

        _api.Enqueue(new LocalInvocation("{}") { RequestId = "r-after" });
        using var response = await _http.GetAsync(Next, Token);

        Assert.Equal("r-after", Header(response, "Lambda-Runtime-Aws-Request-Id"));
    }

    [Fact]
    public async Task An_unknown_route_answers_404()
    {
        using var response = await _http.GetAsync(new Uri($"http://{_api.Address}/2018-06-01/runtime/nothing"), Token);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Disposing_ends_a_pending_next_and_frees_the_port()
    {
        var pending = _http.GetAsync(Next, Token);
        await _api.FirstNextRequest.WaitAsync(Wait, Token);
        var port = int.Parse(_api.Address.Split(':')[1], CultureInfo.InvariantCulture);

        await _api.DisposeAsync();

        await Assert.ThrowsAnyAsync<Exception>(() => pending);
        using var again = new TcpListener(IPAddress.Loopback, port);
        again.Start();
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await _api.DisposeAsync();
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? values.Single() : null;
}
