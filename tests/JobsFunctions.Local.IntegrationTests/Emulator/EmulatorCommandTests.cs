using System.Net;
using System.Net.Sockets;
using JobsFunctions.Local.Cli;

namespace JobsFunctions.Local.IntegrationTests.Emulator;

public sealed class EmulatorCommandTests
{
    [Fact]
    public async Task The_emulator_command_says_where_it_answers_serves_there_and_stops_with_0_when_cancelled()
    {
        var port = FreePort();
        using var stop = new CancellationTokenSource();
        var output = new LineWatcher();
        var run = LocalCli.RunAsync(["emulator", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture)], output, TextWriter.Null, stop.Token);

        var line = await output.FirstLine.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
        using var http = new HttpClient();
        var answer = await http.GetAsync(new Uri($"http://127.0.0.1:{port}/jobs/none"), TestContext.Current.CancellationToken);
        await stop.CancelAsync();
        var exit = await run;

        Assert.Contains($"answering on http://127.0.0.1:{port}", line);
        Assert.Equal(HttpStatusCode.NotFound, answer.StatusCode);
        Assert.Equal("ResourceNotFoundException", answer.Headers.GetValues("x-amzn-ErrorType").Single());
        Assert.Equal(0, exit);
    }

    private static int FreePort()
    {
        using var socket = new TcpListener(IPAddress.Loopback, 0);
        socket.Start();
        return ((IPEndPoint)socket.LocalEndpoint).Port;
    }

    /// <summary>A console that completes <see cref="FirstLine"/> with the first line written to it.</summary>
    private sealed class LineWatcher : StringWriter
    {
        private readonly TaskCompletionSource<string> _first = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task<string> FirstLine => _first.Task;

        public override void WriteLine(string? value)
        {
            base.WriteLine(value);
            _first.TrySetResult(value ?? "");
        }
    }
}
