using BenchmarkDotNet.Running;
using JobsFunctions.Benchmarks;
using JobsFunctions.TestSupport;

// Benchmarks behind README's figures. `writes` needs a moto server (MOTO_ENDPOINT, or one is started);
// `sweep` measures one policy sweep of a big job against moto; `domain` runs BenchmarkDotNet on the pure recording rules; `startup` times the bootstrap's cold start.
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
        Console.Error.WriteLine("usage: JobsFunctions.Benchmarks writes [executions] | sweep [executions] | domain [BenchmarkDotNet args]");
        return 2;
}

return 0;
