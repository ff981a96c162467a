using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Text;
using JobsFunctions.Local.Stack;
using JobsFunctions.TestSupport;

namespace JobsFunctions.Local.Tests.Stack;

/// <summary>
/// The local DynamoDB's HTTP server (loopback_http.py), spoken to byte by byte: it keeps a client's connection open
/// across requests, as HTTP/1.1 does by default (RFC 9112, section 9.3), closes it when the client asks or when it has
/// sat idle past its bound, reads chunked bodies, and answers a malformed request with a 4xx of its own without
/// stopping for anyone else.
/// </summary>
public sealed class LoopbackHttpTests : IAsyncLifetime
{
    private MotoProcess _moto = null!;

    public async ValueTask InitializeAsync() => _moto = await MotoProcess.StartAsync(TestContext.Current.CancellationToken);

    public async ValueTask DisposeAsync() => await _moto.DisposeAsync();

    [Fact]
    public async Task Requests_sent_one_after_another_on_one_connection_are_answered_in_order_and_it_stays_open()
    {
        using var connection = await ConnectAsync();

        // Three requests written before any answer is read: each is answered, in order, on the same connection.
        await connection.SendAsync(ListTables(limit: 1) + ListTables(limit: 2) + ListTables(limit: 3));
        foreach (var _ in Enumerable.Range(0, 3))
        {
            var answer = await connection.ReadAnswerAsync();
            Assert.Equal(200, answer.Status);
            Assert.Equal("keep-alive", answer.Header("Connection"));
            Assert.Contains("\"TableNames\"", answer.Body, StringComparison.Ordinal);
        }

        await connection.SendAsync(ListTables(limit: 1));
        Assert.Equal(200, (await connection.ReadAnswerAsync()).Status);
    }

    [Fact]
    public async Task A_client_that_asks_to_close_gets_its_answer_and_then_the_end_of_the_connection()
    {
        using var connection = await ConnectAsync();

        await connection.SendAsync(ListTables(limit: 1, connection: "close"));
        var answer = await connection.ReadAnswerAsync();

        Assert.Equal(200, answer.Status);
        Assert.Equal("close", answer.Header("Connection"));
        Assert.True(await connection.EndedAsync(), "the server kept a connection its client asked to close");
    }

    [Fact]
    public async Task A_chunked_body_is_read_whole()
    {
        using var connection = await ConnectAsync();
        const string Body = "{\"Limit\": 1}";

        await connection.SendAsync(
            "POST / HTTP/1.1\r\nHost: localhost\r\nX-Amz-Target: DynamoDB_20120810.ListTables\r\n"
            + "Content-Type: application/x-amz-json-1.0\r\nTransfer-Encoding: chunked\r\n\r\n"
            + $"{Body[..5].Length:x}\r\n{Body[..5]}\r\n{Body[5..].Length:x}\r\n{Body[5..]}\r\n0\r\n\r\n");
        var answer = await connection.ReadAnswerAsync();

        Assert.Equal(200, answer.Status);
        Assert.Contains("\"TableNames\"", answer.Body, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("NOT A REQUEST LINE AT ALL\r\n\r\n", 400)]
    [InlineData("GET / HTTP/2.0\r\nHost: localhost\r\n\r\n", 505)]
    [InlineData("POST / HTTP/1.1\r\nHost: localhost\r\nContent-Length: twelve\r\n\r\n", 400)]
    [InlineData("POST / HTTP/1.1\r\nHost: localhost\r\nContent-Length: 999999999\r\n\r\n", 413)]
    [InlineData("POST / HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: gzip\r\n\r\n", 501)]
    [InlineData("POST / HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", 400)]
    [InlineData("POST / HTTP/1.1\r\nHost: localhost\r\nno colon here\r\n\r\n", 400)]
    public async Task A_malformed_request_is_refused_with_its_reason_and_the_server_serves_the_next_client(string request, int status)
    {
        using (var connection = await ConnectAsync())
        {
            await connection.SendAsync(request);
            var refusal = await connection.ReadAnswerAsync();

            Assert.Equal(status, refusal.Status);
            Assert.Equal("close", refusal.Header("Connection"));
            Assert.False(string.IsNullOrWhiteSpace(refusal.Body));
            Assert.True(await connection.EndedAsync(), "the server kept a connection after a request it could not read");
        }

        using var next = await ConnectAsync();
        await next.SendAsync(ListTables(limit: 1));
        Assert.Equal(200, (await next.ReadAnswerAsync()).Status);
    }

    [Fact]
    public async Task A_header_block_over_its_bound_is_refused()
    {
        using var connection = await ConnectAsync();

        await connection.SendAsync($"POST / HTTP/1.1\r\nHost: localhost\r\nX-Padding: {new string('x', 70_000)}\r\n\r\n");

        Assert.Equal(431, (await connection.ReadAnswerAsync()).Status);
    }

    [Fact]
    public async Task A_kept_connection_left_idle_past_the_servers_idle_timeout_is_closed()
    {
        var port = LoopbackPorts.Free();
        var start = new ProcessStartInfo(
            PythonTool.Path("python3"), [Path.Combine(AppContext.BaseDirectory, "Stack", MotoProcess.ServerScript), "-p", port.ToString(CultureInfo.InvariantCulture), "--idle-timeout", "1"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var server = Process.Start(start) ?? throw new InvalidOperationException("python3 did not start.");
        try
        {
            Assert.Contains("DynamoDB (moto", await server.StandardOutput.ReadLineAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
            var client = new TcpClient();
            await client.ConnectAsync("127.0.0.1", port, TestContext.Current.CancellationToken);
            using var connection = new RawConnection(client);
            await connection.SendAsync(ListTables(limit: 1));
            Assert.Equal("keep-alive", (await connection.ReadAnswerAsync()).Header("Connection"));


            // Nothing more is sent: within the read's patience (5 s) the server, idle for 1 s, closes.
            Assert.True(await connection.EndedAsync(), "the server kept a connection idle past its idle timeout");
        }
        finally
        {
            server.Kill(entireProcessTree: true);
        }
    }

    private static string ListTables(int limit, string connection = "keep-alive")
    {
        var body = $"{{\"Limit\": {limit}}}";
        return "POST / HTTP/1.1\r\nHost: localhost\r\nX-Amz-Target: DynamoDB_20120810.ListTables\r\n"
            + $"Content-Type: application/x-amz-json-1.0\r\nConnection: {connection}\r\nContent-Length: {Encoding.UTF8.GetByteCount(body)}\r\n\r\n{body}";
    }

    private async Task<RawConnection> ConnectAsync()
    {
        var client = new TcpClient();
        await client.ConnectAsync(_moto.Endpoint.Host, _moto.Endpoint.Port, TestContext.Current.CancellationToken);
        return new RawConnection(client);
    }

    private sealed record Answer(int Status, IReadOnlyDictionary<string, string> Headers, string Body)
    {
        public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;
    }

    /// <summary>One TCP connection, read answer by answer: status line, header fields, then Content-Length bytes.</summary>
    private sealed class RawConnection(TcpClient client) : IDisposable
    {
        private readonly NetworkStream _stream = client.GetStream();
        private readonly List<byte> _buffer = [];

        public async Task SendAsync(string text)
        {
            await _stream.WriteAsync(Encoding.Latin1.GetBytes(text), TestContext.Current.CancellationToken);
        }

        public async Task<Answer> ReadAnswerAsync()
        {
            var head = Encoding.Latin1.GetString(await ReadUntilAsync("\r\n\r\n"u8.ToArray()));
            var lines = head.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
            var status = int.Parse(lines[0].Split(' ')[1], CultureInfo.InvariantCulture);
            var headers = lines.Skip(1)
                .Select(line => line.Split(':', 2))
                .ToDictionary(parts => parts[0].Trim(), parts => parts[1].Trim(), StringComparer.OrdinalIgnoreCase);
            var length = int.Parse(headers["Content-Length"], CultureInfo.InvariantCulture);
            return new Answer(status, headers, Encoding.UTF8.GetString(await ReadExactlyAsync(length)));
        }

        /// <summary>Whether the server closed the connection (a read finds its end) rather than waiting for more.</summary>
        public async Task<bool> EndedAsync()
        {
            using var patience = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
            patience.CancelAfter(TimeSpan.FromSeconds(5));
            try
            {
                return _buffer.Count == 0 && await _stream.ReadAsync(new byte[1], patience.Token) == 0;
            }
            catch (OperationCanceledException) when (!TestContext.Current.CancellationToken.IsCancellationRequested)
            {
                return false;
            }
            catch (IOException)
            {
                return true; // reset by the server: ended as well
            }
        }

        public void Dispose() => client.Dispose();

        private async Task<byte[]> ReadUntilAsync(byte[] separator)
        {
            while (true)
            {
                var at = IndexOf(separator);
                if (at >= 0)
                {
                    return Take(at + separator.Length);
                }

                await FillAsync();
            }
        }

        private async Task<byte[]> ReadExactlyAsync(int count)
        {
            while (_buffer.Count < count)
            {
                await FillAsync();
            }

            return Take(count);
        }

        private async Task FillAsync()
        {
            var chunk = new byte[8192];
            var read = await _stream.ReadAsync(chunk, TestContext.Current.CancellationToken);
            if (read == 0)
            {
                throw new IOException("the server closed the connection before its answer was whole");
            }

            _buffer.AddRange(chunk.AsSpan(0, read));
        }

        private int IndexOf(byte[] separator)
        {
            for (var i = 0; i + separator.Length <= _buffer.Count; i++)
            {
                if (separator.AsSpan().SequenceEqual(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_buffer).Slice(i, separator.Length)))
                {
                    return i;
                }
            }

            return -1;
        }

        private byte[] Take(int count)
        {
            var taken = _buffer.GetRange(0, count).ToArray();
            _buffer.RemoveRange(0, count);
            return taken;
        }
    }
}
