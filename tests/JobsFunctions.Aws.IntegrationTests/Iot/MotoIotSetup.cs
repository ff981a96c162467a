using System.ComponentModel;
using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using JobsFunctions.TestSupport;

namespace JobsFunctions.Aws.IntegrationTests.Iot;

/// <summary>A job created in moto by boto3, with the ARNs boto3 saw.</summary>
public sealed record CreatedJob(string JobId, string JobArn, IReadOnlyList<string> ThingNames, IReadOnlyList<string> ThingArns);

/// <summary>
/// Creates things and jobs in the moto server with boto3 (moto_iot_setup.py): the setup goes through a client other
/// than the one under test. Names are unique per call because the moto server is shared by the whole assembly.
/// </summary>
public static class MotoIotSetup
{
    public const string Region = "us-east-1";

    public static async Task<CreatedJob> CreateJobAsync(Uri moto, int things, string? description = null)
    {
        var suffix = Guid.NewGuid().ToString("N")[..12];
        var jobId = $"it-job_{suffix}";
        var thingNames = Enumerable.Range(1, things).Select(i => $"it-thing-{suffix}_{i}").ToArray();
        var input = new JsonObject
        {
            ["endpoint"] = moto.AbsoluteUri.TrimEnd('/'),
            ["region"] = Region,
            ["jobs"] = new JsonArray(new JsonObject
            {
                ["jobId"] = jobId,
                ["things"] = new JsonArray(thingNames.Select(n => (JsonNode)n).ToArray()),
                ["description"] = description ?? "integration test job",
            }),
        };

        var output = await RunAsync(input.ToJsonString());
        var job = output.RootElement.GetProperty("jobs").GetProperty(jobId);
        return new CreatedJob(
            jobId,
            job.GetProperty("jobArn").GetString()!,
            thingNames,
            job.GetProperty("thingArns").EnumerateArray().Select(a => a.GetString()!).ToArray());
    }

    private static async Task<JsonDocument> RunAsync(string input)
    {
        var script = Path.Combine(AppContext.BaseDirectory, "Iot", "moto_iot_setup.py");
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
            throw new InvalidOperationException($"python3 was not found ({e.Message}): the IoT integration tests create their data with boto3.", e);
        }

        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            await process.StandardInput.WriteAsync(input);
            process.StandardInput.Close();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            await process.WaitForExitAsync(timeout.Token);
            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException($"moto_iot_setup.py failed (exit {process.ExitCode}): {(await stderr).Trim()}");
            }

            return JsonDocument.Parse(await stdout);
        }
    }
}
