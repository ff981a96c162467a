using System.ComponentModel;
using System.Diagnostics;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using JobsFunctions.Aws.Tests.Support;
using JobsFunctions.TestSupport;

namespace JobsFunctions.Aws.Tests.Iot;

/// <summary>
/// Sends every parity case through our clients (into a recording handler), then runs botocore once for all of them
/// (botocore_parity.py, copied next to the tests) and keeps the requests it would have sent plus its signature of
/// ours. A machine without python3 or botocore makes every parity test fail with the reason.
/// </summary>
public sealed class BotocoreRequests : IAsyncLifetime
{
    public const string Timestamp = "20261122T194835Z";
    public static readonly DateTimeOffset SigningTime = new(2026, 11, 22, 19, 48, 35, TimeSpan.Zero);

    private readonly Dictionary<string, JsonElement> _byName = new(StringComparer.Ordinal);
    private readonly Dictionary<string, RecordedRequest> _ours = new(StringComparer.Ordinal);

    public async ValueTask InitializeAsync()
    {
        foreach (var parity in ParityCases.All)
        {
            _ours[parity.Name] = await SendThroughOurClients(parity);
        }

        try
        {
            Run();
        }
        catch (Exception e) when (e is InvalidOperationException or Win32Exception or JsonException or TimeoutException)
        {
            Failure = e.Message;
        }
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    public RecordedRequest Ours(string name) => _ours[name];

    private static async Task<RecordedRequest> SendThroughOurClients(ParityCase parity)
    {
        var clients = new TestClients();
        clients.Handler.Otherwise = _ => ScriptedHandler.Response(HttpStatusCode.OK, "{}");
        var time = new FixedTimeProvider(SigningTime);
        using var control = clients.Control(time: time);
        using var data = clients.JobsData(time: time);
        await parity.Invoke(control, data, CancellationToken.None);
        return Assert.Single(clients.Handler.Requests);
    }

    /// <summary>Why botocore could not be asked, or null when it answered.</summary>
    public string? Failure { get; private set; }

    public JsonElement For(string name)
    {
        Assert.True(Failure is null, Failure);
        Assert.True(_byName.TryGetValue(name, out var request), $"botocore produced no request for case {name}.");
        return request;
    }

    private void Run()
    {
        var script = Path.Combine(AppContext.BaseDirectory, "Iot", "botocore_parity.py");
        if (!File.Exists(script))
        {
            throw new InvalidOperationException($"The parity script is missing from the test output: {script}.");
        }

        var cases = new JsonArray();
        foreach (var c in ParityCases.All)
        {
            cases.Add(new JsonObject
            {
                ["name"] = c.Name,
                ["service"] = c.Service,
                ["endpoint"] = c.Endpoint.AbsoluteUri.TrimEnd('/'),
                ["operation"] = c.Operation,
                ["params"] = JsonNode.Parse(c.ParamsJson),
                ["ours"] = new JsonObject
                {
                    ["method"] = _ours[c.Name].Method,
                    ["url"] = _ours[c.Name].Uri.AbsoluteUri,
                    ["contentType"] = _ours[c.Name].Header("Content-Type"),
                    ["body"] = _ours[c.Name].Body is { } body ? Convert.ToBase64String(body) : null,
                },
            });
        }

        var input = new JsonObject
        {
            ["region"] = "eu-west-1",
            ["timestamp"] = Timestamp,
            ["credentials"] = new JsonObject
            {
                ["access_key"] = TestClients.Credentials.AccessKeyId,
                ["secret_key"] = TestClients.Credentials.SecretAccessKey,
                ["token"] = TestClients.Credentials.SessionToken,
            },
            ["cases"] = cases,
        };

        var start = new ProcessStartInfo(PythonTool.Path("python3"), [script])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException("python3 did not start.");
        }
        catch (Win32Exception e)
        {
            throw new InvalidOperationException(
                $"python3 was not found on PATH ({e.Message}): the botocore parity tests need python3 with botocore installed.", e);
        }

        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            process.StandardInput.Write(input.ToJsonString());
            process.StandardInput.Close();
            if (!process.WaitForExit(TimeSpan.FromSeconds(120)))
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException("botocore_parity.py did not finish within 120 s.");
            }

            if (process.ExitCode == 3)
            {
                throw new InvalidOperationException($"botocore is not installed for python3: {stderr.Result.Trim()}");
            }

            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException($"botocore_parity.py failed with exit code {process.ExitCode}: {stderr.Result.Trim()}");
            }

            using var output = JsonDocument.Parse(stdout.Result);
            foreach (var request in output.RootElement.EnumerateArray())
            {
                _byName[request.GetProperty("name").GetString()!] = request.Clone();
            }
        }
    }
}
