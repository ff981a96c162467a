using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using JobsFunctions.Domain.Executions;
using JobsFunctions.Emulator.Http;
using JobsFunctions.Emulator.Model;

namespace JobsFunctions.Benchmarks;

/// <summary>
/// The IoT Jobs emulator's figures for README: requests per second it sustains on loopback HTTP (a mix of
/// control-plane DescribeJobExecution, data-plane UpdateJobExecution and GetPendingJobExecutions, from concurrent
/// clients in the same process, so client and server share the machine's cores), and the memory a job of many
/// executions holds once its rollout has released them all.
/// </summary>
internal static class EmulatorBench
{
    private const string Prefix = "arn:aws:iot:us-east-1:123456789012:";
    private const int Things = 100;

    // The emulator routes by the credential scope and checks no signature; a real SDK signs every request.
    private const string DataPlaneAuthorization =
        "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261123/us-east-1/iot-jobs-data/aws4_request, SignedHeaders=host, Signature=0";

    public static async Task RunAsync(int seconds, int concurrency, int executions)
    {
        // Memory first, so the process's working set is the emulator's and not yet the HTTP stack's.
        Memory(executions);
        await ThroughputAsync(TimeSpan.FromSeconds(seconds), concurrency);
    }

    private static async Task ThroughputAsync(TimeSpan duration, int concurrency)
    {
        var emulator = new JobsEmulator(new EmulatorClock(frozen: true));
        for (var i = 0; i < Things; i++)
        {
            emulator.CreateThing(Thing(i), null);
        }

        emulator.CreateJob(new JobSpec
        {
            JobId = "bench",
            Targets = Enumerable.Range(0, Things).Select(i => Prefix + "thing/" + Thing(i)).ToList(),
            Document = "{\"operation\":\"update\"}",
        });
        await using var host = await EmulatorHost.StartAsync(emulator, 0, CancellationToken.None);
        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = concurrency };
        using var http = new HttpClient(handler) { BaseAddress = host.BaseAddress };

        await RunWorkersAsync(http, concurrency, TimeSpan.FromSeconds(2)); // warm-up: JIT, connections
        var clock = Stopwatch.StartNew();
        var (requests, failures) = await RunWorkersAsync(http, concurrency, duration);
        var elapsed = clock.Elapsed.TotalSeconds;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"throughput: {requests / elapsed:F0} requests/s over {elapsed:F1} s, {concurrency} concurrent clients, {failures} non-2xx, {Environment.ProcessorCount} cores shared by clients and server"));
    }

    private static async Task<(long Requests, long Failures)> RunWorkersAsync(HttpClient http, int concurrency, TimeSpan duration)
    {
        long requests = 0, failures = 0;
        using var stop = new CancellationTokenSource(duration);
        var workers = Enumerable.Range(0, concurrency).Select(worker => Task.Run(async () =>
        {
            var thing = Thing(worker % Things);
            for (var i = 0; !stop.IsCancellationRequested; i++)
            {
                using var request = (i % 3) switch
                {
                    0 => new HttpRequestMessage(HttpMethod.Get, $"things/{thing}/jobs/bench"),
                    1 => DataPlane(HttpMethod.Post, $"things/{thing}/jobs/bench", "{\"status\":\"IN_PROGRESS\",\"statusDetails\":{\"step\":\"download\"}}"),
                    _ => DataPlane(HttpMethod.Get, $"things/{thing}/jobs", null),
                };
                using var response = await http.SendAsync(request);
                await response.Content.ReadAsByteArrayAsync();
                Interlocked.Increment(ref requests);
                if (!response.IsSuccessStatusCode)
                {
                    Interlocked.Increment(ref failures);
                }
            }
        })).ToArray();
        await Task.WhenAll(workers);
        return (requests, failures);
    }

    private static HttpRequestMessage DataPlane(HttpMethod method, string path, string? body)
    {
        var request = new HttpRequestMessage(method, path);
        request.Headers.TryAddWithoutValidation("Authorization", DataPlaneAuthorization);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, new MediaTypeHeaderValue("application/json"));
        }

        return request;
    }

    /// <summary>One thing group of <paramref name="executions"/> things, one job on it, the rollout run to its end.</summary>
    private static void Memory(int executions)
    {
        var before = GC.GetTotalMemory(forceFullCollection: true);
        var clock = Stopwatch.StartNew();
        var emulator = new JobsEmulator(new EmulatorClock(frozen: true));
        emulator.CreateThingGroup("fleet", null);
        for (var i = 0; i < executions; i++)
        {
            emulator.CreateThing(Thing(i), null);
            emulator.AddThingToThingGroup("fleet", Thing(i));
        }

        emulator.CreateJob(new JobSpec { JobId = "big", Targets = [Prefix + "thinggroup/fleet"], Document = "{\"operation\":\"update\"}" });
        var minutes = (executions / JobsEmulator.DefaultMaximumPerMinute) + 1;
        emulator.Advance(TimeSpan.FromMinutes(minutes));
        var released = emulator.DescribeJob("big").ProcessDetails.Queued;
        emulator.UpdateJobExecution("big", Thing(0), new DeviceExecutionUpdate { Status = ExecutionStatus.InProgress });
        var built = clock.Elapsed.TotalSeconds;
        var after = GC.GetTotalMemory(forceFullCollection: true);
        using var process = Process.GetCurrentProcess();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"memory: {released} executions released over {minutes} emulated minutes in {built:F1} s; managed heap +{(after - before) / 1048576.0:F1} MB, process working set {process.WorkingSet64 / 1048576.0:F0} MB"));
        GC.KeepAlive(emulator);
    }

    private static string Thing(int i) => "thing-" + i.ToString("D6", CultureInfo.InvariantCulture);
}
