using System.Net;
using System.Net.Sockets;

namespace JobsFunctions.Local.Stack;

/// <summary>
/// A loopback address where nothing listens, held for as long as the stack runs: a socket bound but never listening
/// refuses every connection, and keeps the port from being handed to anyone else. Services with no local stand-in
/// are pointed here, so a function's call to them fails at once instead of leaving the machine.
/// </summary>
public sealed class ClosedLoopbackPort : IDisposable
{
    private readonly Socket _socket = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);

    public ClosedLoopbackPort()
    {
        _socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        Endpoint = new Uri($"http://127.0.0.1:{((IPEndPoint)_socket.LocalEndPoint!).Port}");
    }

    public Uri Endpoint { get; }

    public void Dispose() => _socket.Dispose();
}
