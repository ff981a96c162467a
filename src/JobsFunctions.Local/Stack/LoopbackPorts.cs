using System.Net;
using System.Net.Sockets;

namespace JobsFunctions.Local.Stack;

/// <summary>Ports on 127.0.0.1 for the local stack's servers.</summary>
public static class LoopbackPorts
{
    /// <summary>A port nothing listened on a moment ago (the system's choice); the caller binds it next.</summary>
    public static int Free()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }
}
