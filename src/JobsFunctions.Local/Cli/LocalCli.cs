using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Parsing;
using JobsFunctions.Emulator.Http;
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
        var root = LocalCommandLine.Build(new LocalCommandLine.Actions(
            (options, token) => DemoCommand.RunAsync(options, output, Terminal(output), keepServing: false, token),
            (options, token) => DemoCommand.RunAsync(options, output, Terminal(output), keepServing: true, token),
            (options, token) => ApiCommand.RunAsync(options, output, token),
            (options, token) => RecordCommand.RunAsync(options, output, token),
            (options, token) => EmulatorCommand.RunAsync(options, output, token),
            (options, token) => SoakCommand.RunAsync(options, output, token),
            (options, token) => ConsoleCommand.RunAsync(options, output, token)));
        var parse = root.Parse(args);
        if (parse.Action is not HelpAction && parse.Errors.Count > 0)
        {
            foreach (var error in parse.Errors)
            {
                errors.WriteLine($"error: {error.Message}");
            }

            errors.WriteLine();
            root.Parse([.. CommandPath(parse.CommandResult), "--help"]).Invoke(new InvocationConfiguration { Output = errors });
            return UsageError;
        }

        try
        {
            // Program handles Ctrl+C and SIGTERM itself and cancels the token, so every process started is stopped in order.
            var invocation = new InvocationConfiguration
            {
                Output = output,
                Error = errors,
                EnableDefaultExceptionHandler = false,
                ProcessTerminationTimeout = null,
            };
            return await parse.InvokeAsync(invocation, cancellationToken);
        }
        catch (LocalStackException e)
        {
            errors.WriteLine($"error: {e.Message}");
            return Failed;
        }
        catch (EmulatorListenException e)
        {
            errors.WriteLine($"error: {e.Message} Pick another --port.");
            return Failed;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            errors.WriteLine("Stopped before finishing.");
            return Failed;
        }
    }

    // The live view only where a person watches: the process's own console, not redirected.
    private static bool Terminal(TextWriter output) => ReferenceEquals(output, Console.Out) && !Console.IsOutputRedirected;

    // The subcommand names that lead to the command a line named, so its own help can be shown.
    private static List<string> CommandPath(CommandResult command)
    {
        var path = new List<string>();
        for (var result = command; result.Parent is CommandResult parent; result = parent)
        {
            path.Insert(0, result.Command.Name);
        }

        return path;
    }
}
