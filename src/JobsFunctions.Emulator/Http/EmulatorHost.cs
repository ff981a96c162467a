using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using JobsFunctions.Emulator.Model;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;

namespace JobsFunctions.Emulator.Http;

/// <summary>
/// The emulator on Kestrel, bound to 127.0.0.1 on one port for both planes and <c>/_emulator/*</c>, in every region.
/// A request's plane and region are the service and region of its SigV4 credential scope (unsigned: the control plane
/// of the default region, the given emulator's); its route, the method and path of that plane's model.
/// Errors go out as botocore reads them: the code in <c>x-amzn-ErrorType</c>, a <c>{"message": …}</c> body, and
/// the HTTP status the plane's model gives the code.
/// </summary>
public sealed class EmulatorHost : IAsyncDisposable
{
    /// <summary>How often the wall clock's due work (timeouts, rollout steps, deletions) is fired between requests.</summary>
    private static readonly TimeSpan TickInterval = TimeSpan.FromMilliseconds(250);

    private readonly WebApplication _app;
    private readonly EmulatorRegions _regions;
    private readonly CancellationTokenSource _stopTicking = new();
    private Task? _ticking;

    private EmulatorHost(JobsEmulator emulator, WebApplication app, int port)
    {
        Emulator = emulator;
        _app = app;
        Port = port;
        BaseAddress = new Uri($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}/");
        _regions = new EmulatorRegions(emulator, regional =>
            [.. ControlPlaneApi.Routes(regional, () => $"127.0.0.1:{Port.ToString(CultureInfo.InvariantCulture)}"),
                .. JobsDataApi.Routes(regional), .. EmulatorAdminApi.Routes(regional, Faults, Calls)]);
        _app.Run(HandleAsync);
    }

    /// <summary>The default region's emulator: the one given at start, which unsigned requests reach.</summary>
    public JobsEmulator Emulator { get; }

    /// <summary>The emulator of the region requests signed for <paramref name="region"/> reach, created on first use.</summary>
    public JobsEmulator EmulatorIn(string region) => _regions.For(region).Emulator;

    /// <summary>The faults injected into AWS calls, in every region (none until <c>POST /_emulator/faults</c> or <see cref="WireFaults.Set"/>).</summary>
    public WireFaults Faults { get; } = new();

    /// <summary>The AWS calls answered so far in every region (<c>GET /_emulator/calls</c>).</summary>
    public WireCallCounts Calls { get; } = new();

    public int Port { get; private set; }

    public Uri BaseAddress { get; private set; }

    /// <summary>Starts serving on 127.0.0.1:<paramref name="port"/> (0 picks a free port); returns once it answers.</summary>
    public static async Task<EmulatorHost> StartAsync(JobsEmulator emulator, int port, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(emulator);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(options => options.Listen(IPAddress.Loopback, port));
        var app = builder.Build();
        var host = new EmulatorHost(emulator, app, port);
        try
        {
            await app.StartAsync(cancellationToken);
        }
        catch (IOException e)
        {
            await app.DisposeAsync();
            throw new EmulatorListenException($"The emulator cannot listen on 127.0.0.1:{port}: {e.Message}", e);
        }

        var bound = app.Urls.Select(url => new Uri(url)).First();
        host.Port = bound.Port;
        host.BaseAddress = new Uri($"http://127.0.0.1:{bound.Port.ToString(CultureInfo.InvariantCulture)}/");
        host._ticking = host.TickAsync();
        return host;
    }

    public async ValueTask DisposeAsync()
    {
        await _stopTicking.CancelAsync();
        if (_ticking is not null)
        {
            await _ticking;
        }

        await _app.StopAsync();
        await _app.DisposeAsync();
        _stopTicking.Dispose();
    }

    private async Task TickAsync()
    {
        using var timer = new PeriodicTimer(TickInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(_stopTicking.Token))
            {
                foreach (var regional in _regions.All)
                {
                    regional.Tick();
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var (plane, region) = WireRouting.ScopeOf(request);
        var rawTarget = context.Features.Get<IHttpRequestFeature>()?.RawTarget ?? request.Path.Value ?? "/";
        var segments = WireRouting.Segments(rawTarget);
        string? operation = null;
        string? jobId = null;
        try
        {
            foreach (var route in _regions.For(region).Routes)
            {
                if (route.Plane == plane && route.Match(request.Method, segments) is { } labels)
                {
                    operation = route.Operation;
                    jobId = labels.GetValueOrDefault("jobId");
                    if (plane != Plane.Emulator && Faults.Draw(operation, jobId) is { } fault)
                    {
                        Calls.Count(PlaneName(plane), operation, jobId, fault.Status, fault.Code, injected: true);
                        await WriteErrorAsync(context, plane, new EmulatorException(fault.Code, $"Injected fault: {fault.Code} on {operation}."), fault.Status);
                        return;
                    }

                    using var buffer = new MemoryStream();
                    await request.Body.CopyToAsync(buffer, context.RequestAborted);
                    var answer = route.Handle(new WireCall(labels, request.Query, buffer.ToArray()));
                    Count(plane, operation, jobId, StatusCodes.Status200OK, null);
                    await WriteAsync(context, StatusCodes.Status200OK, answer);
                    return;
                }
            }

            // An unknown method and path, answered as AWS's front door does: 404 UnknownOperationException.
            throw new EmulatorException(ErrorCodes.UnknownOperation, $"No {plane} operation is {request.Method} {request.Path}.");
        }
        catch (EmulatorException e)
        {
            Count(plane, operation ?? "(unknown)", jobId, StatusOf(e.Code, plane), e.Code);
            await WriteErrorAsync(context, plane, e, StatusOf(e.Code, plane));
        }
    }

    internal static string PlaneName(Plane plane) => plane switch
    {
        Plane.Control => "iot",
        Plane.JobsData => "iot-jobs-data",
        _ => "_emulator",
    };

    private void Count(Plane plane, string operation, string? jobId, int status, string? errorCode)
    {
        if (plane != Plane.Emulator)
        {
            Calls.Count(PlaneName(plane), operation, jobId, status, errorCode, injected: false);
        }
    }

    private static Task WriteErrorAsync(HttpContext context, Plane plane, EmulatorException error, int status)
    {
        var body = new JsonObject { ["message"] = error.Message };
        if (error.Code == ErrorCodes.InvalidStateTransition && plane == Plane.JobsData && error.State is { } state)
        {
            // The data plane's InvalidStateTransitionException "also contains the executionState field"
            // (https://docs.aws.amazon.com/iot/latest/apireference/API_iot-jobs-data_UpdateJobExecution.html).
            body["executionState"] = WireOutput.State(state);
        }

        if (error.Resource is var (id, arn))
        {
            body["resourceId"] = id;
            body["resourceArn"] = arn;
        }

        context.Response.Headers["x-amzn-ErrorType"] = error.Code;
        return WriteAsync(context, status, body);
    }

    /// <summary>The HTTP status each plane's model gives an error code.</summary>
    internal static int StatusOf(string code, Plane plane) => code switch
    {
        ErrorCodes.ResourceNotFound or ErrorCodes.UnknownOperation => 404,
        ErrorCodes.ResourceAlreadyExists or ErrorCodes.InvalidStateTransition or ErrorCodes.VersionConflict => 409,
        ErrorCodes.LimitExceeded or ErrorCodes.TerminalState => 410,
        ErrorCodes.Throttling => plane == Plane.JobsData ? 429 : 400,
        _ => 400,
    };

    private static async Task WriteAsync(HttpContext context, int status, JsonObject body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        context.Response.Headers["x-amzn-RequestId"] = Guid.NewGuid().ToString();
        await context.Response.Body.WriteAsync(System.Text.Encoding.UTF8.GetBytes(body.ToJsonString()), context.RequestAborted);
    }
}
