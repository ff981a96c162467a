using System.Net;
using System.Text;
using System.Text.Json;
using JobsFunctions.Aws.CloudFormation;
using JobsFunctions.Aws.Iot;
using JobsFunctions.Aws.Signing;
using JobsFunctions.Deployment;
using JobsFunctions.Hosting;

namespace JobsFunctions.Tests.Deployment;

public sealed class EventConfigurationHandlerTests
{
    private static readonly InvocationContext Context = new("req-1", DateTimeOffset.UtcNow.AddMinutes(1), "arn:aws:lambda:eu-west-1:1:function:f", null);

    [Fact]
    public async Task Create_switches_job_and_job_execution_events_on_and_answers_success()
    {
        var aws = new ScriptedAws("""{"eventConfigurations":{"JOB":{"Enabled":false},"THING":{"Enabled":true}}}""");

        await aws.Handler.HandleAsync(Request("Create"), Context, TestContext.Current.CancellationToken);

        var update = Assert.Single(aws.Requests, request => request.Method == HttpMethod.Patch);
        Assert.Equal("/event-configurations", update.Path);
        using var body = JsonDocument.Parse(update.Body);
        Assert.True(body.RootElement.GetProperty("eventConfigurations").GetProperty("JOB").GetProperty("Enabled").GetBoolean());
        Assert.True(body.RootElement.GetProperty("eventConfigurations").GetProperty("JOB_EXECUTION").GetProperty("Enabled").GetBoolean());
        Assert.False(body.RootElement.GetProperty("eventConfigurations").TryGetProperty("THING", out _));
        Assert.Equal("SUCCESS", aws.Answer().GetProperty("Status").GetString());
    }

    [Fact]
    public async Task Nothing_is_changed_when_both_event_types_are_already_on()
    {
        var aws = new ScriptedAws("""{"eventConfigurations":{"JOB":{"Enabled":true},"JOB_EXECUTION":{"Enabled":true}}}""");

        await aws.Handler.HandleAsync(Request("Update"), Context, TestContext.Current.CancellationToken);

        Assert.DoesNotContain(aws.Requests, request => request.Method == HttpMethod.Patch);
        Assert.Equal("SUCCESS", aws.Answer().GetProperty("Status").GetString());
    }

    [Fact]
    public async Task Delete_leaves_events_on_and_still_answers_success()
    {
        var aws = new ScriptedAws("{}");

        await aws.Handler.HandleAsync(Request("Delete"), Context, TestContext.Current.CancellationToken);

        Assert.All(aws.Requests, request => Assert.Equal("s3.example.com", request.Host));
        var answer = aws.Answer();
        Assert.Equal("SUCCESS", answer.GetProperty("Status").GetString());
        Assert.Equal("stack-1", answer.GetProperty("StackId").GetString());
        Assert.Equal("cfn-req-1", answer.GetProperty("RequestId").GetString());
        Assert.Equal("JobEventConfiguration", answer.GetProperty("LogicalResourceId").GetString());
    }

    [Fact]
    public async Task A_refusal_from_iot_fails_the_resource_with_the_reason_instead_of_hanging_the_stack()
    {
        var aws = new ScriptedAws("{}", denyUpdate: true);

        await aws.Handler.HandleAsync(Request("Create"), Context, TestContext.Current.CancellationToken);

        var answer = aws.Answer();
        Assert.Equal("FAILED", answer.GetProperty("Status").GetString());
        Assert.Contains("InvalidRequestException", answer.GetProperty("Reason").GetString());
    }

    private static byte[] Request(string type) => Encoding.UTF8.GetBytes($$"""
        {"RequestType":"{{type}}","ResponseURL":"https://s3.example.com/cfn-response?X-Amz-Signature=abc","StackId":"stack-1",
         "RequestId":"cfn-req-1","LogicalResourceId":"JobEventConfiguration","ResourceType":"Custom::IotJobEventConfiguration",
         "ResourceProperties":{"ServiceToken":"arn:aws:lambda:eu-west-1:1:function:f"} }
        """);

    private sealed record SeenRequest(HttpMethod Method, string Host, string Path, string Body, string? ContentType);

    /// <summary>Plays IoT's event-configuration API and CloudFormation's pre-signed response URL.</summary>
    private sealed class ScriptedAws : HttpMessageHandler
    {
        private readonly string _describe;
        private readonly bool _denyUpdate;

        public ScriptedAws(string describe, bool denyUpdate = false)
        {
            (_describe, _denyUpdate) = (describe, denyUpdate);
            var options = new IotClientOptions { Region = "eu-west-1", ControlPlaneEndpoint = new Uri("https://iot.eu-west-1.amazonaws.com"), Retry = new RetryOptions { MaxAttempts = 1 } };
            var clients = new IotClients(options, new StaticCredentialsSource(new SigningCredentials("AKID", "SECRET", null)), this);
            Handler = new EventConfigurationHandler(new JobEventsSwitch(clients.Control), new CustomResourceResponder(new HttpClient(this)));
        }

        public EventConfigurationHandler Handler { get; }

        public List<SeenRequest> Requests { get; } = [];

        public JsonElement Answer()
        {
            var put = Assert.Single(Requests, request => request.Host == "s3.example.com");
            Assert.Equal(HttpMethod.Put, put.Method);
            Assert.Null(put.ContentType);
            return JsonDocument.Parse(put.Body).RootElement;
        }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var body = request.Content is null ? "" : await request.Content.ReadAsStringAsync(cancellationToken);
            Requests.Add(new SeenRequest(request.Method, request.RequestUri!.Host, request.RequestUri.AbsolutePath, body, request.Content?.Headers.ContentType?.MediaType));
            if (request.RequestUri.Host == "s3.example.com")
            {
                return new HttpResponseMessage(HttpStatusCode.OK);
            }

            if (request.Method == HttpMethod.Patch && _denyUpdate)
            {
                var denied = new HttpResponseMessage(HttpStatusCode.BadRequest) { Content = new StringContent("""{"message":"not allowed"}""") };
                denied.Headers.Add("x-amzn-ErrorType", "InvalidRequestException");
                return denied;
            }

            return new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(request.Method == HttpMethod.Get ? _describe : "") };
        }
    }
}
