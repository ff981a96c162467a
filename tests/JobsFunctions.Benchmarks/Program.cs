using BenchmarkDotNet.Running;
using JobsFunctions.Benchmarks;
using JobsFunctions.TestSupport;

// Benchmarks behind README's figures. `writes` needs a moto server (MOTO_ENDPOINT, or one is started);
// `domain` runs BenchmarkDotNet on the pure recording rules; `startup` times the bootstrap's cold start.
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
    case "domain":
        BenchmarkRunner.Run<RecordingRulesBenchmarks>(args: args.Skip(1).ToArray());
        break;
    default:
        Console.Error.WriteLine("usage: JobsFunctions.Benchmarks writes [executions] | domain [BenchmarkDotNet args]");
        return 2;
}

return 0;
