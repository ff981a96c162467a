using System.ComponentModel;
using System.Diagnostics;

namespace JobsFunctions.TestSupport;

/// <summary>
/// Runs python3 or aws (the checkout's .venv copy when there is one) to the end and hands back what it printed; a
/// missing tool fails the test, never skips it.
/// </summary>
public static class ExternalProcess
{
    /// <summary>Dummy credentials and the region every call here uses; the emulator does not check signatures.</summary>
    public static readonly IReadOnlyDictionary<string, string> AwsEnvironment = new Dictionary<string, string>
    {
        ["AWS_ACCESS_KEY_ID"] = "AKIDEXAMPLE",
        ["AWS_SECRET_ACCESS_KEY"] = "dummy",
        ["AWS_DEFAULT_REGION"] = "us-east-1",
        ["AWS_CONFIG_FILE"] = "/dev/null",
        ["AWS_SHARED_CREDENTIALS_FILE"] = "/dev/null",
        ["AWS_PAGER"] = "",
    };

    /// <param name="region">AWS_DEFAULT_REGION for this run, when not the usual us-east-1.</param>
    public static async Task<(int ExitCode, string Output, string Errors)> RunAsync(string tool, IEnumerable<string> arguments, TimeSpan timeout, string? region = null)
    {
        var start = new ProcessStartInfo(PythonTool.Path(tool), arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var (name, value) in AwsEnvironment)
        {
            start.Environment[name] = value;
        }

        if (region is not null)
        {
            start.Environment["AWS_DEFAULT_REGION"] = region;
        }

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException($"{tool} did not start.");
        }
        catch (Win32Exception e)
        {
            throw new InvalidOperationException($"{tool} was not found ({e.Message}); these tests need python3 with boto3 and the AWS CLI v1.", e);
        }

        using (process)
        {
            var output = process.StandardOutput.ReadToEndAsync();
            var errors = process.StandardError.ReadToEndAsync();
            using var limit = new CancellationTokenSource(timeout);
            try
            {
                await process.WaitForExitAsync(limit.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException($"{tool} {string.Join(' ', start.ArgumentList)} did not finish within {timeout}.");
            }

            return (process.ExitCode, await output, await errors);
        }
    }
}
