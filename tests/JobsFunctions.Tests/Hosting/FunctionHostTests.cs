using System.Net;
using System.Text;
using System.Text.Json;
using JobsFunctions.Hosting;
using JobsFunctions.Local.Runtime;
using JobsFunctions.TestSupport;

namespace JobsFunctions.Tests.Hosting;

public sealed class FunctionHostTests : IAsyncDisposable
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    private static readonly CompositionRoot Root = new(_ => null);

    private readonly LocalRuntimeApi _api = LocalRuntimeApi.Start();
    private readonly StringWriter _log = new();

    [Fact]
    public async Task An_unknown_handler_name_fails_the_cold_start_with_an_init_error_and_exit_code_1()
    {
        var exitCode = await RunHostAsync("reporter", Root.KnownHandlerNames, Root.CreateHandler, TestContext.Current.CancellationToken);

        Assert.Equal(1, exitCode);
        var initError = await _api.WaitForInitErrorAsync(Wait);
        using var body = JsonDocument.Parse(initError.Body);
        Assert.Equal("Runtime.HandlerNotFound", body.RootElement.GetProperty("errorType").GetString());
        Assert.StartsWith("_HANDLER 'reporter' is not one of: ", body.RootElement.GetProperty("errorMessage").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, _api.NextRequests);
    }

    [Fact]
    public async Task The_unknown_handler_error_lists_the_names_that_would_have_worked()
    {
        var exitCode = await RunHostAsync(null, ["sweeper", "api", "recorder"], _ => null, TestContext.Current.CancellationToken);

        Assert.Equal(1, exitCode);
        var initError = await _api.WaitForInitErrorAsync(Wait);
        using var body = JsonDocument.Parse(initError.Body);
        Assert.Equal(
            "_HANDLER is not set; it must be one of: api, recorder, sweeper.",
            body.RootElement.GetProperty("errorMessage").GetString());
    }

    [Fact]
    public async Task A_factory_that_throws_fails_the_cold_start_with_its_message()
    {
        var exitCode = await RunHostAsync(
            "recorder", ["recorder"], _ => throw new InvalidOperationException("JOBS_TABLE_NAME is not set."),
            TestContext.Current.CancellationToken);

        Assert.Equal(1, exitCode);
        var initError = await _api.WaitForInitErrorAsync(Wait);
        Assert.Equal("Runtime.InitError", initError.Header("Lambda-Runtime-Function-Error-Type"));
        using var body = JsonDocument.Parse(initError.Body);
        Assert.Equal("JOBS_TABLE_NAME is not set.", body.RootElement.GetProperty("errorMessage").GetString());
        Assert.Contains("JOBS_TABLE_NAME is not set.", _log.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_known_handler_serves_invocations_with_the_details_of_each_event()
    {
        var handler = new RecordingHandler();
        using var stop = new CancellationTokenSource();
        var host = RunHostAsync("recorder", ["recorder"], name => name == "recorder" ? handler : null, stop.Token);
        var deadline = DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.AddSeconds(20).ToUnixTimeMilliseconds());
        var id = _api.Enqueue(new LocalInvocation("""{"thingName":"t-1"}""")
        {
            Deadline = deadline,
            FunctionArn = "arn:aws:lambda:us-east-1:111122223333:function:recorder",
            TraceId = "Root=1-1",
        });

        var result = await _api.WaitForResultAsync(id, Wait);
        await stop.CancelAsync();

        Assert.Equal(0, await host.WaitAsync(Wait, TestContext.Current.CancellationToken));
        Assert.Equal("""{"thingName":"t-1"}""", result.BodyText);
        Assert.Equal(new InvocationContext(id, deadline, "arn:aws:lambda:us-east-1:111122223333:function:recorder", "Root=1-1"), handler.Seen);
    }

    [Fact]
    public async Task A_broken_runtime_api_ends_the_process_with_exit_code_1()
    {
        _api.EnqueueNextFailure(HttpStatusCode.InternalServerError);

        var exitCode = await RunHostAsync("recorder", ["recorder"], _ => new RecordingHandler(), TestContext.Current.CancellationToken);

        Assert.Equal(1, exitCode);
        Assert.Contains("\"level\":\"FATAL\"", _log.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_a_runtime_api_address_the_host_exits_with_1_and_says_why()
    {
        var exitCode = await FunctionHost.RunAsync(
            _ => null, ["recorder"], _ => new RecordingHandler(), _log, TestContext.Current.CancellationToken);

        Assert.Equal(1, exitCode);
        Assert.Contains("AWS_LAMBDA_RUNTIME_API is not set", _log.ToString(), StringComparison.Ordinal);
    }

    public async ValueTask DisposeAsync()
    {
        await _api.DisposeAsync();
        _log.Dispose();
    }

    private Task<int> RunHostAsync(
        string? handlerName,
        IReadOnlyCollection<string> known,
        Func<string, IFunctionHandler?> create,
        CancellationToken stopToken)
    {
        var environment = new Dictionary<string, string?>
        {
            ["AWS_LAMBDA_RUNTIME_API"] = _api.Address,
            ["_HANDLER"] = handlerName,
        };
        return FunctionHost
            .RunAsync(name => environment.GetValueOrDefault(name), known, create, TextWriter.Synchronized(_log), stopToken)
            .WaitAsync(Wait, TestContext.Current.CancellationToken);
    }

    private sealed class RecordingHandler : IFunctionHandler
    {
        public InvocationContext? Seen { get; private set; }

        public Task<byte[]> HandleAsync(ReadOnlyMemory<byte> payload, InvocationContext context, CancellationToken cancellationToken)
        {
            Seen = context;
            return Task.FromResult(Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(payload.Span)));
        }
    }
}
