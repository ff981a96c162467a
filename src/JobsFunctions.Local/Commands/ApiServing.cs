using JobsFunctions.Local.Api;
using JobsFunctions.Local.Runtime;
using JobsFunctions.Local.Stack;

namespace JobsFunctions.Local.Commands;

/// <summary>The operator API function behind the local API host, serving until the command is stopped.</summary>
internal static class ApiServing
{
    public static async Task ServeUntilStoppedAsync(
        LocalDeployment stack, LocalApiHost host, TextWriter console, CancellationToken cancellationToken)
    {
        // The routes are the template's HttpApi events, the same list API Gateway is deployed with.
        var routes = new RouteTable(stack.Template.HttpApiRouteKeys() is { Count: > 0 } declared
            ? declared
            : throw new InvalidOperationException($"{stack.Template.Path} declares no HttpApi routes for the operator API."));
        await using var api = await LocalFunction.StartAsync(
            stack.Function("api", console), Recording.StandardErrorTo(console), waitForLogLine: false, cancellationToken);
        host.Serve(routes, api, LocalCaller.Operator, console);

        console.WriteLine();
        console.WriteLine($"Operator API: {host.BaseAddress} (as {LocalCaller.Operator.UserArn}); routes:");
        foreach (var route in routes.RouteKeys)
        {
            console.WriteLine($"  {route}");
        }

        console.WriteLine(stack.HasIot
            ? "Changes (PATCH, PUT, POST) go to the IoT endpoint given with --iot-endpoint."
            : "No IoT Jobs service runs locally: changes (PATCH, PUT, POST) answer 503. Pass --iot-endpoint URL to use one.");
        console.WriteLine("Press Ctrl+C to stop.");
        console.WriteLine();
        try
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            console.WriteLine("Stopping.");
        }
    }
}
