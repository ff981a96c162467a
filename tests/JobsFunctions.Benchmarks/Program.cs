using BenchmarkDotNet.Running;
using JobsFunctions.Benchmarks;
using JobsFunctions.TestSupport;

// Benchmarks behind README's figures. `writes` needs a moto server (MOTO_ENDPOINT, or one is started);
// `sweep` measures one policy sweep of a big job against moto; `domain` runs BenchmarkDotNet on the pure recording
// rules; `emulator` measures the IoT Jobs emulator's requests per second on loopback and the memory of a
// 100,000-execution job.
var command = args.FirstOrDefault() ?? "writes";
switch (command)
{
    case "writes":
        var moto = new MotoServer();
        await moto.InitializeAsync();
        try
        {
            await WriteCostBench.RunAsync(moto.Endpoint, args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 100);
        }
        finally
        {
            await moto.DisposeAsync();
        }

        break;
    case "emulator":
        var numbers = args.Skip(1).Select(a => int.Parse(a, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        await EmulatorBench.RunAsync(
            seconds: numbers.ElementAtOrDefault(0) is > 0 and var s ? s : 10,
            concurrency: numbers.ElementAtOrDefault(1) is > 0 and var c ? c : 8,
            executions: numbers.ElementAtOrDefault(2) is > 0 and var n ? n : 100_000);
        break;
    case "sweep":
        var sweepMoto = new MotoServer();
        await sweepMoto.InitializeAsync();
        try
        {
            await SweepCostBench.RunAsync(sweepMoto.Endpoint, args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 100_000);
        }
        finally
        {
            await sweepMoto.DisposeAsync();
        }

        break;
    case "domain":
        BenchmarkRunner.Run<RecordingRulesBenchmarks>(args: args.Skip(1).ToArray());
        break;
    default:
        Console.Error.WriteLine("usage: JobsFunctions.Benchmarks writes [executions] | sweep [executions] | emulator [seconds] [clients] [executions] | domain [BenchmarkDotNet args]");
        return 2;
}

return 0;
