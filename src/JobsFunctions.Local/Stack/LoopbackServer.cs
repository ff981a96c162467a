using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace JobsFunctions.Local.Stack;

/// <summary>
/// Kestrel on loopback for the local stack's own servers (the operator API host, the Runtime API): one request
/// delegate, no logging, no limit on body size (Lambda's limits are the servers' own to enforce), and a stop that
/// closes the listening socket before it returns, so the port is free again for the next server.
/// </summary>
internal sealed class LoopbackServer : IAsyncDisposable
{
    /// <summary>How long a stop waits for requests still in flight; the servers end theirs first, so this is a backstop.</summary>
    private static readonly TimeSpan StopPatience = TimeSpan.FromSeconds(5);

    private readonly WebApplication _app;

    private LoopbackServer(WebApplication app, int port)
    {
        _app = app;
        Port = port;
    }

    public int Port { get; }

    /// <summary>
    /// Serves <paramref name="handle"/> on 127.0.0.1:<paramref name="port"/> (0: a port the system picks, with no
    /// window for another process to take it), and on [::1] too when <paramref name="localhost"/> and a port is given,
    /// so <c>localhost</c> answers whichever address a client tries first. Returns once the socket is bound.
    /// </summary>
    /// <exception cref="IOException">The port is taken.</exception>
    public static LoopbackServer Start(int port, bool localhost, RequestDelegate handle)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Services.Configure<HostOptions>(options => options.ShutdownTimeout = StopPatience);
        builder.WebHost.ConfigureKestrel(options =>
        {
            options.AddServerHeader = false;
            options.Limits.MaxRequestBodySize = null;
            if (localhost && port != 0)
            {
                options.ListenLocalhost(port);
            }
            else
            {
                options.Listen(IPAddress.Loopback, port);
            }
        });
        var app = builder.Build();
        app.Run(handle);
        try
        {
            // Kestrel binds synchronously inside StartAsync; nothing here waits on a request.
            app.StartAsync().GetAwaiter().GetResult();
        }
        catch (Exception)
        {
            app.DisposeAsync().AsTask().GetAwaiter().GetResult();
            throw;
        }

        var bound = app.Urls.Select(url => new Uri(url)).First().Port;
        return new LoopbackServer(app, bound);
    }

    /// <summary>The request target as sent (path and query, still percent-encoded), as AWS's front doors read it.</summary>
    public static string RawTarget(HttpContext context) =>
        context.Features.Get<IHttpRequestFeature>()?.RawTarget ?? context.Request.Path.Value ?? "/";

    /// <summary>Every header field of the request, a repeated name once per value.</summary>
    public static IEnumerable<KeyValuePair<string, string>> Headers(HttpRequest request) =>
        request.Headers.SelectMany(header => header.Value.Select(value => new KeyValuePair<string, string>(header.Key, value ?? string.Empty)));

    public static string Describe(int port) => $"127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}";

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
