using JobsFunctions.Local.Cli;
using JobsFunctions.Local.Demo;
using JobsFunctions.Local.Stack;
using JobsFunctions.OperatorConsole;

namespace JobsFunctions.Local.Commands;

/// <summary>
/// <c>demo</c>: the whole product against a simulated fleet on this machine — the IoT Jobs emulator, the recorder fed
/// through the template's IoT rules, the operator API, the sweeper on its schedule — one rollout played on a virtual
/// clock, then a summary that compares the store with the emulator's truth. Exit code 0 only when they are equal.
/// <c>serve</c> does the same, sets up the things and jobs of AWS's CLI reference examples (<see cref="ReferenceExamples"/>)
/// and then keeps the account going (<see cref="LiveAccount"/>) until stopped.
/// </summary>
public static class DemoCommand
{
    public static async Task<int> RunAsync(CommandOptions line, TextWriter console, bool terminal, bool keepServing, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(line);
        ArgumentNullException.ThrowIfNull(console);
        var fleet = line.Fleet ?? throw new ArgumentException("demo and serve need fleet options.", nameof(line));
        await using var services = await FleetServices.StartAsync(
            new StackSettings(line.DynamoEndpoint, line.Table, line.Bootstrap, line.Publish, null, line.Jit, line.Region),
            line.Port,
            line.EmulatorPort,
            fleet,
            console,
            cancellationToken);

        var exitCode = LocalCli.Ok;
        if (fleet.Devices > 0)
        {
            console.WriteLine();
            console.WriteLine($"Rolling out to {fleet.Devices:N0} simulated devices (seed {fleet.Seed}, clock up to {fleet.Speed:0.#}x real time):");
            var view = new DemoView(console, terminal);
            var report = await view.ShowAsync(progress => FleetRun.RunAsync(services, fleet, progress, console, cancellationToken));
            console.WriteLine();
            view.WriteSummary(report);
            exitCode = report.StoreMatchesTruth ? LocalCli.Ok : LocalCli.Failed;
        }

        if (!keepServing)
        {
            return exitCode;
        }

        console.WriteLine();
        var examples = ReferenceExamples.Create(services.Emulator.Emulator, console);
        await using var account = await LiveAccount.StartAsync(services, examples, line.AfterRolloutSpeed, console, cancellationToken);

        await using var operatorConsole = await StartConsoleAsync(services.Api.BaseAddress, line.ConsolePort, console, cancellationToken);
        var region = services.Deployment.Region;
        console.WriteLine($"Region:             {region} (the product's functions, rules and table, and the examples above; other regions are the emulator's alone)");
        console.WriteLine($"Operator API:       {services.Api.BaseAddress}");
        console.WriteLine(operatorConsole is null
            ? $"Operator console:   not started: port {line.ConsolePort} is taken (--console-port N, or 0 for any free port)"
            : $"Operator console:   {operatorConsole.BaseAddress} (a web page over the operator API)");
        console.WriteLine($"IoT Jobs emulator:  {services.Emulator.BaseAddress} (iot and iot-jobs-data; POST /_emulator/clock moves the clock on)");
        console.WriteLine($"DynamoDB:           {services.Deployment.DynamoEndpoint} (table {services.Deployment.TableName})");
        console.WriteLine("For the AWS CLI and SDKs in another shell:");
        console.WriteLine($"  export AWS_ACCESS_KEY_ID={LocalTables.AccessKeyId} AWS_SECRET_ACCESS_KEY={LocalTables.SecretAccessKey} AWS_DEFAULT_REGION={region}");
        console.WriteLine($"  export AWS_ENDPOINT_URL={services.Emulator.BaseAddress} AWS_ENDPOINT_URL_DYNAMODB={services.Deployment.DynamoEndpoint}");
        console.WriteLine("Try:");
        console.WriteLine("  aws iot list-jobs");
        console.WriteLine("  aws iot-jobs-data update-job-execution --job-id SampleJob --thing-name MotionSensor1 --status REMOVED");
        console.WriteLine($"  curl -s {services.Api.BaseAddress}jobs/{(fleet.Devices > 0 ? FleetRun.JobIdFor(fleet.Seed) : "SampleJob")}");
        console.WriteLine("Press Ctrl+C to stop.");
        try
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            console.WriteLine("Stopping.");
        }

        return exitCode;
    }

    /// <summary>The console over the local API; a taken port costs the console, not the rest of serve.</summary>
    private static async Task<ConsoleHost?> StartConsoleAsync(Uri api, int port, TextWriter console, CancellationToken cancellationToken)
    {
        try
        {
            return await ConsoleHost.StartAsync(new ConsoleSettings(api, Port: port), cancellationToken);
        }
        catch (IOException e)
        {
            console.WriteLine($"The operator console could not listen on 127.0.0.1:{port}: {e.Message}");
            return null;
        }
    }
}
