using System.Net;
using System.Text.Json;
using JobsFunctions.Aws.Lambda;
using JobsFunctions.Local.Runtime;
using JobsFunctions.TestSupport;

namespace JobsFunctions.Aws.Tests.Lambda;

public sealed class LambdaRuntimeClientTests : IAsyncDisposable
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    private readonly LocalRuntimeApi _api = LocalRuntimeApi.Start();
    private readonly LambdaRuntimeClient _client;

    public LambdaRuntimeClientTests() => _client = new LambdaRuntimeClient(_api.Address);

    [Fact]
    public async Task Next_reads_the_event_and_its_headers()
    {
        var deadline = DateTimeOffset.FromUnixTimeMilliseconds(1_795_000_000_123);
        _api.Enqueue(new LocalInvocation("""{"a":1}""")
        {
            RequestId = "8476a536-e9f4-11e8-9739-2dfe598c3fcd",
            Deadline = deadline,
            TraceId = "Root=1-abc",
            InvocationId = "inv-7",
        });

        var invocation = await _client.NextAsync(TestContext.Current.CancellationToken);

        Assert.Equal("8476a536-e9f4-11e8-9739-2dfe598c3fcd", invocation.RequestId);
        Assert.Equal(deadline, invocation.Deadline);
        Assert.Equal("Root=1-abc", invocation.TraceId);
        Assert.Equal("inv-7", invocation.InvocationId);
        Assert.Equal("""{"a":1}"""u8.ToArray(), invocation.Payload.ToArray());
    }

    [Fact]
    public async Task A_request_id_with_path_characters_is_escaped_so_the_post_reaches_that_invocation()
    {
        var id = _api.Enqueue(new LocalInvocation("{}") { RequestId = "odd/id with?chars#" });
        var invocation = await _client.NextAsync(TestContext.Current.CancellationToken);

        var outcome = await _client.RespondAsync(invocation, "{}"u8.ToArray(), TestContext.Current.CancellationToken);

        Assert.Equal(RuntimeApiOutcome.Accepted, outcome);
        Assert.Equal("odd/id with?chars#", (await _api.WaitForResultAsync(id, Wait)).RequestId);
    }

    [Fact]
    public async Task An_init_error_is_posted_as_a_lambda_error_document()
    {
        await _client.ReportInitErrorAsync(
            LambdaError.ForRuntime("InitError", "Missing JOBS_TABLE_NAME."), TestContext.Current.CancellationToken);

        var post = await _api.WaitForInitErrorAsync(Wait);
        Assert.Equal("application/vnd.aws.lambda.error+json", post.ContentType);
        Assert.Equal("Runtime.InitError", post.Header("Lambda-Runtime-Function-Error-Type"));
        using var body = JsonDocument.Parse(post.Body);
        Assert.Equal("Runtime.InitError", body.RootElement.GetProperty("errorType").GetString());
        Assert.Equal("Missing JOBS_TABLE_NAME.", body.RootElement.GetProperty("errorMessage").GetString());
        Assert.Equal(JsonValueKind.Array, body.RootElement.GetProperty("stackTrace").ValueKind);
    }

    [Fact]
    public async Task A_post_the_runtime_api_refuses_for_another_reason_is_fatal()
    {
        var stranger = new LambdaInvocation("never-handed-out", DateTimeOffset.UtcNow, "arn", null, null, "{}"u8.ToArray());

        var failure = await Assert.ThrowsAsync<LambdaRuntimeException>(
            () => _client.RespondAsync(stranger, "{}"u8.ToArray(), TestContext.Current.CancellationToken));

        Assert.Contains("400", failure.Message, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, Assert.Single(_api.Posts).AnsweredWith);
    }

    [Fact]
    public void An_overlong_error_message_is_cut_before_it_is_reported()
    {
        var error = LambdaError.ForFunction("JsonException", new string('x', 5000));

        Assert.True(error.ErrorMessage.Length <= 1025);
    }

    public async ValueTask DisposeAsync()
    {
        await _api.DisposeAsync();
        _client.Dispose();
    }
}
