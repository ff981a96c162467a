using System.Runtime.InteropServices;
using JobsFunctions;
using JobsFunctions.Hosting;

// Lambda sends SIGTERM before shutting an environment down when extensions are registered: stop taking events
// and exit cleanly instead of being killed mid-wait.
using var stop = new CancellationTokenSource();
using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
{
    context.Cancel = true;
    stop.Cancel();
});

var root = new CompositionRoot(Environment.GetEnvironmentVariable);
return await FunctionHost.RunAsync(
    Environment.GetEnvironmentVariable,
    root.KnownHandlerNames,
    root.CreateHandler,
    Console.Error,
    stop.Token);
