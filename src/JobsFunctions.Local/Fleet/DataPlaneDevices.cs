using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using JobsFunctions.Aws.Signing;

namespace JobsFunctions.Local.Fleet;

/// <summary>
/// Devices' calls on AWS's wire: the jobs data plane's REST-JSON operations
/// (https://docs.aws.amazon.com/iot/latest/apireference/API_Operations_AWS_IoT_Jobs_Data_Plane.html), each signed
/// with SigV4 for the service <c>iot-jobs-data</c>, as every AWS SDK signs them.
/// </summary>
public sealed class DataPlaneDevices : IDeviceJobsApi, IDisposable
{
    private const string Service = "iot-jobs-data";

    private readonly HttpClient _http;
    private readonly Uri _endpoint;
    private readonly string _region;
    private readonly SigningCredentials _credentials;

    public DataPlaneDevices(Uri endpoint, string region, SigningCredentials credentials)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        _endpoint = endpoint;
        _region = region;
        _credentials = credentials;
        _http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 64, UseProxy = false }) { Timeout = TimeSpan.FromSeconds(30) };
    }

    public async Task<StartedExecution?> StartNextPendingAsync(
        string thingName, IReadOnlyDictionary<string, string> statusDetails, CancellationToken cancellationToken)
    {
        var body = new JsonObject { ["statusDetails"] = Details(statusDetails) };
        var (status, answer, _) = await SendAsync(HttpMethod.Put, $"/things/{Uri.EscapeDataString(thingName)}/jobs/$next", body, cancellationToken);
        if (status != HttpStatusCode.OK)
        {
            throw Unexpected("StartNextPendingJobExecution", thingName, status, answer);
        }

        return answer?["execution"] is JsonObject execution
            ? new StartedExecution(
                execution["jobId"]!.GetValue<string>(),
                execution["versionNumber"]!.GetValue<long>(),
                execution["executionNumber"]?.GetValue<long>() ?? 1)
            : null;
    }

    public async Task<ReportOutcome> ReportAsync(
        string thingName, string jobId, string status, IReadOnlyDictionary<string, string> statusDetails, CancellationToken cancellationToken)
    {
        var body = new JsonObject { ["status"] = status, ["statusDetails"] = Details(statusDetails) };
        var path = $"/things/{Uri.EscapeDataString(thingName)}/jobs/{Uri.EscapeDataString(jobId)}";
        var (code, answer, errorType) = await SendAsync(HttpMethod.Post, path, body, cancellationToken);
        return code switch
        {
            HttpStatusCode.OK => ReportOutcome.Accepted,

            // A canceled, timed-out or removed execution refuses the device's update; a deleted one is not found.
            HttpStatusCode.Conflict when errorType == "InvalidStateTransitionException" => ReportOutcome.Ended,
            HttpStatusCode.Gone or HttpStatusCode.NotFound => ReportOutcome.Ended,
            _ => throw Unexpected("UpdateJobExecution", thingName, code, answer),
        };
    }

    public void Dispose() => _http.Dispose();

    private static JsonObject Details(IReadOnlyDictionary<string, string> statusDetails)
    {
        var details = new JsonObject();
        foreach (var (key, value) in statusDetails)
        {
            details[key] = value;
        }

        return details;
    }

    private static InvalidOperationException Unexpected(string operation, string thingName, HttpStatusCode status, JsonNode? answer) =>
        new($"{operation} for {thingName} answered {(int)status}: {answer?.ToJsonString()}");

    private async Task<(HttpStatusCode Status, JsonNode? Answer, string? ErrorType)> SendAsync(
        HttpMethod method, string path, JsonObject body, CancellationToken cancellationToken)
    {
        var bytes = Encoding.UTF8.GetBytes(body.ToJsonString());
        using var request = new HttpRequestMessage(method, new Uri(_endpoint, path)) { Content = new ByteArrayContent(bytes) };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        SigV4Signer.Sign(request, bytes, _credentials, _region, Service, DateTimeOffset.UtcNow);
        using var response = await _http.SendAsync(request, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        var errorType = response.Headers.TryGetValues("x-amzn-ErrorType", out var values) ? values.First().Split(':')[0] : null;
        return (response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text), errorType);
    }
}
