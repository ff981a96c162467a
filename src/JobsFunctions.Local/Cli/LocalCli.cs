using JobsFunctions.Local.Commands;

namespace JobsFunctions.Local.Cli;

/// <summary>Runs one command line to an exit code: 0 done, 1 failed, 2 the command line is wrong.</summary>
public static class LocalCli
{
    public const int Ok = 0;
    public const int Failed = 1;
    public const int UsageError = 2;

    public static async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter output, TextWriter errors, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(errors);
        try
        {
            var line = CommandLine.Parse(args);
            if (line is null)
            {
                output.WriteLine(CommandLine.Usage);
                return Ok;
            }

            return line.Command switch
            {
                "demo" => await DemoCommand.RunAsync(line, output, cancellationToken),
                "api" => await ApiCommand.RunAsync(line, output, cancellationToken),
                "emulator" => await EmulatorCommand.RunAsync(line, output, cancellationToken),
                _ => await RecordCommand.RunAsync(line, output, cancellationToken),
            };
        }
        catch (UsageException e)
        {
            errors.WriteLine($"error: {e.Message}");
            errors.WriteLine();
            errors.WriteLine(CommandLine.Usage);
            return UsageError;
        }
        catch (LocalStackException e)
        {
            errors.WriteLine($"error: {e.Message}");
            return Failed;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            errors.WriteLine("Stopped before finishing.");
            return Failed;
        }
    }
}
