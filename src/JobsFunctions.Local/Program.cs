using System.Runtime.InteropServices;
using JobsFunctions.Local.Cli;

// Ctrl+C and SIGTERM stop the command in order, so every process it started is stopped with it; a second Ctrl+C
// ends the program at once.
using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, press) =>
{
    press.Cancel = !stop.IsCancellationRequested;
    stop.Cancel();
};
using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
{
    context.Cancel = true;
    stop.Cancel();
});

return await LocalCli.RunAsync(args, Console.Out, Console.Error, stop.Token);
