using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace JobsFunctions.OperatorConsole.Tests;

/// <summary>A stand-in operator API on loopback that records every request it gets and answers 200 with an ETag.</summary>
internal sealed class RecordingApi : IAsyncDisposable
{
    private readonly WebApplication _app;

    private RecordingApi(WebApplication app, Uri url)
    {
        _app = app;
        Url = url;
    }

    public Uri Url { get; }

    public ConcurrentQueue<(string Method, string PathAndQuery, Dictionary<string, string> Headers)> Requests { get; } = new();

    public static async Task<RecordingApi> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(System.Net.IPAddress.Loopback, 0));
        var app = builder.Build();
        RecordingApi? self = null;
        app.Run(async context =>
        {
            self!.Requests.Enqueue((context.Request.Method, context.Request.Path + context.Request.QueryString,
                context.Request.Headers.ToDictionary(pair => pair.Key.ToLowerInvariant(), pair => pair.Value.ToString(), StringComparer.Ordinal)));
            context.Response.Headers.ETag = "\"7\"";
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync("""{"jobs":[]}""");
        });
        await app.StartAsync();
        var address = app.Services.GetService(typeof(IServer)) is IServer server ? server.Features.Get<IServerAddressesFeature>()!.Addresses.First() : throw new InvalidOperationException();
        self = new RecordingApi(app, new Uri(address.TrimEnd('/') + "/"));
        return self;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
