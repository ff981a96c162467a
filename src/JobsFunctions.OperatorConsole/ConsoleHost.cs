using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace JobsFunctions.OperatorConsole;

/// <summary>
/// The console's web server: Kestrel on loopback only, serving the page's embedded files, <c>/console/info</c> and
/// <c>/api/…</c>, the operator API relayed through <see cref="OperatorApiProxy"/>. Another site the operator visits
/// cannot use it: a request must name the console's own host (no DNS rebinding), and <c>/api</c> calls must carry the
/// page's <c>x-jobs-console</c> header, which a cross-origin page cannot send without a preflight the console never
/// grants.
/// </summary>
public sealed class ConsoleHost : IAsyncDisposable
{
    /// <summary>The header the page sends on every API call.</summary>
    public const string PageHeader = "x-jobs-console";

    private readonly WebApplication _app;
    private readonly HttpClient _http;

    private ConsoleHost(WebApplication app, HttpClient http, Uri baseAddress, string caller)
    {
        _app = app;
        _http = http;
        BaseAddress = baseAddress;
        Caller = caller;
    }

    public Uri BaseAddress { get; }

    /// <summary>Whom the API sees calling: an ARN from STS, or the local stack's operator.</summary>
    public string Caller { get; }

    /// <summary>Starts the console on <paramref name="address"/> (127.0.0.1 unless told; any address but loopback is refused).</summary>
    public static Task<ConsoleHost> StartAsync(ConsoleSettings settings, CancellationToken cancellationToken, IPAddress? address = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        CheckLoopback(address ??= IPAddress.Loopback);
        return StartAsync(ApiTarget.Resolve(settings), address, settings.Port, cancellationToken);
    }

    internal static async Task<ConsoleHost> StartAsync(ApiTarget target, IPAddress address, int port, CancellationToken cancellationToken)
    {
        CheckLoopback(address);
        var http = new HttpClient { Timeout = TimeSpan.FromSeconds(35) };
        var clock = TimeProvider.System;
        var caller = await CallerIdentity.DescribeAsync(http, target, clock, cancellationToken);
        var proxy = new OperatorApiProxy(http, target, clock);

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        // A port already taken is said once, by whoever started the console, not with the host's stack trace.
        builder.Logging.AddFilter("Microsoft.Extensions.Hosting", LogLevel.None);
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(address, port));
        var app = builder.Build();
        var info = new ConsoleInfo(target.BaseAddress.ToString(), target.Signed, target.Region, caller);
        app.Run(context => new ConsoleRequest(context, proxy, info).HandleAsync());
        await app.StartAsync(cancellationToken);

        var bound = app.Services.GetService(typeof(IServer)) is IServer server
            && server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault() is { } first
            ? new Uri(first.TrimEnd('/') + "/")
            : throw new InvalidOperationException("Kestrel reported no address.");
        return new ConsoleHost(app, http, bound, caller);
    }

    private static void CheckLoopback(IPAddress address)
    {
        if (!IPAddress.IsLoopback(address))
        {
            throw new ArgumentException($"The console listens on loopback only (it acts with your AWS credentials), not on {address}.", nameof(address));
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _http.Dispose();
    }

    /// <summary>One request to the console.</summary>
    private sealed class ConsoleRequest(HttpContext context, OperatorApiProxy proxy, ConsoleInfo info)
    {
        public async Task HandleAsync()
        {
            var response = context.Response;
            response.Headers.XContentTypeOptions = "nosniff";
            response.Headers.CacheControl = "no-store";
            response.Headers.ContentSecurityPolicy =
                "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";
            if (RequestGuard.ForeignHost(context.Request, context.Connection.LocalPort) is { } hostProblem)
            {
                await WriteAsync(OperatorApiProxy.Refusal(StatusCodes.Status421MisdirectedRequest, "console.host", hostProblem));
                return;
            }

            var path = context.Request.Path.Value ?? "/";
            if (path.StartsWith("/api/", StringComparison.Ordinal))
            {
                await WriteAsync(await ForwardAsync(path["/api".Length..]));
                return;
            }

            if (context.Request.Method == "GET" && path == "/console/info")
            {
                response.ContentType = "application/json";
                await JsonSerializer.SerializeAsync(response.Body, info, ConsoleJsonContext.Default.ConsoleInfo, context.RequestAborted);
                return;
            }

            if (context.Request.Method == "GET" && ConsoleAssets.Find(path) is { } asset)
            {
                response.ContentType = asset.ContentType;
                await response.Body.WriteAsync(asset.Bytes, context.RequestAborted);
                return;
            }

            response.StatusCode = StatusCodes.Status404NotFound;
        }

        private async Task<ProxyAnswer> ForwardAsync(string apiPath)
        {
            var request = context.Request;
            if (RequestGuard.CrossSite(request, context.Connection.LocalPort) is { } problem)
            {
                return OperatorApiProxy.Refusal(StatusCodes.Status403Forbidden, "console.crossSite", problem);
            }

            if (!OperatorApiProxy.IsOperatorRoute(request.Method, apiPath))
            {
                return OperatorApiProxy.Refusal(StatusCodes.Status404NotFound, "console.route", $"The operator API has no route {request.Method} {apiPath}.");
            }

            if (request.ContentLength > OperatorApiProxy.MaxBodyBytes)
            {
                return OperatorApiProxy.Refusal(StatusCodes.Status413PayloadTooLarge, "console.bodyTooLarge", "The console forwards bodies of at most 64 KB.");
            }

            using var body = new MemoryStream();
            await request.Body.CopyToAsync(body, context.RequestAborted);
            var headers = OperatorApiProxy.ForwardedHeaders
                .Where(name => request.Headers.ContainsKey(name))
                .ToDictionary(name => name, name => request.Headers[name].ToString(), StringComparer.Ordinal);
            var query = request.Query.SelectMany(pair => pair.Value.Select(value => new KeyValuePair<string, string>(pair.Key, value ?? ""))).ToList();
            try
            {
                return await proxy.SendAsync(new ProxyCall(request.Method, apiPath, query, headers, body.ToArray()), context.RequestAborted);
            }
            catch (HttpRequestException e)
            {
                return OperatorApiProxy.Refusal(StatusCodes.Status502BadGateway, "console.apiUnreachable", $"The operator API did not answer: {e.Message}");
            }
        }

        private async Task WriteAsync(ProxyAnswer answer)
        {
            var response = context.Response;
            response.StatusCode = answer.Status;
            response.ContentType = answer.ContentType;
            if (answer.ETag is { } etag)
            {
                response.Headers.ETag = etag;
            }

            if (answer.RetryAfter is { } retryAfter)
            {
                response.Headers.RetryAfter = retryAfter;
            }

            await response.Body.WriteAsync(answer.Body, context.RequestAborted);
        }
    }
}
