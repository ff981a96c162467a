using System.Collections.Concurrent;
using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace JobsFunctions.Local.Runtime;

/// <summary>
/// A function run as Lambda runs it: the bootstrap in its own process with a clean environment, taking events from
/// its own <see cref="LocalRuntimeApi"/>, one at a time. A process that crashes or overruns its timeout is dropped and
/// the next invocation cold-starts a new one, as Lambda replaces an execution environment.
/// </summary>
public sealed class LocalFunction : IFunctionInvoker, IAsyncDisposable
{
    /// <summary>Lambda's limit on a cold start (the init phase).</summary>
    public static readonly TimeSpan InitPatience = TimeSpan.FromSeconds(10);

    // A log line is written before the response is posted, but reaches us through a different pipe.
    private static readonly TimeSpan LogPatience = TimeSpan.FromSeconds(2);

    private readonly FunctionDefinition _definition;
    private readonly Action<FunctionOutput>? _onOutput;
    private readonly bool _waitForLogLine;
    private readonly SemaphoreSlim _oneAtATime = new(1, 1);
    private ExecutionEnvironment? _current;

    private LocalFunction(FunctionDefinition definition, Action<FunctionOutput>? onOutput, bool waitForLogLine)
    {
        _definition = definition;
        _onOutput = onOutput;
        _waitForLogLine = waitForLogLine;
    }

    public FunctionDefinition Definition => _definition;

    /// <summary>Starts the function and waits for its cold start; throws <see cref="LocalStackException"/> when it fails.</summary>
    /// <param name="waitForLogLine">Whether each invocation waits for the function's log line about it.</param>
    public static async Task<LocalFunction> StartAsync(
        FunctionDefinition definition, Action<FunctionOutput>? onOutput, bool waitForLogLine, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(definition);
        var function = new LocalFunction(definition, onOutput, waitForLogLine);
        function._current = await ExecutionEnvironment.StartAsync(definition, onOutput, cancellationToken);
        return function;
    }

    public async Task<InvocationResult> InvokeAsync(byte[] payload, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(payload);
        await _oneAtATime.WaitAsync(cancellationToken);
        try
        {
            if (_current is null || _current.HasExited)
            {
                if (_current is not null)
                {
                    await _current.DisposeAsync();
                }

                _current = null;
                _current = await ExecutionEnvironment.StartAsync(_definition, _onOutput, cancellationToken);
            }

            var result = await _current.InvokeAsync(payload, _definition, _waitForLogLine, cancellationToken);
            if (result.Outcome is InvocationOutcome.Crashed or InvocationOutcome.TimedOut)
            {
                await _current.DisposeAsync();
                _current = null;
            }

            return result;
        }
        finally
        {
            _oneAtATime.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_current is not null)
        {
            await _current.DisposeAsync();
        }

        _oneAtATime.Dispose();
    }

    /// <summary>One bootstrap process and the Runtime API it polls.</summary>
    private sealed class ExecutionEnvironment : IAsyncDisposable
    {
        private const int StandardErrorLinesKept = 40;

        private readonly LocalRuntimeApi _runtime;
        private readonly Process _process;
        private readonly Task _exited;
        private readonly Task _pumps;
        private readonly ConcurrentDictionary<string, TaskCompletionSource<string>> _logLines = new(StringComparer.Ordinal);
        private readonly ConcurrentQueue<string> _standardError = new();

        // Until the cold start is over, standard error is only kept: a failed start shows it once, in its error.
        private volatile bool _started;

        private ExecutionEnvironment(LocalRuntimeApi runtime, Process process, string name, Action<FunctionOutput>? onOutput)
        {
            _runtime = runtime;
            _process = process;
            _exited = process.WaitForExitAsync();
            _pumps = Task.WhenAll(
                PumpAsync(process.StandardOutput, line => OnStandardOutput(name, line, onOutput)),
                PumpAsync(process.StandardError, line => OnStandardError(name, line, onOutput)));
        }

        public bool HasExited => _exited.IsCompleted;

        public static async Task<ExecutionEnvironment> StartAsync(
            FunctionDefinition definition, Action<FunctionOutput>? onOutput, CancellationToken cancellationToken)
        {
            var runtime = LocalRuntimeApi.Start();
            Process process;
            try
            {
                process = Process.Start(StartInfo(definition, runtime.Address))
                    ?? throw new LocalStackException($"{definition.BootstrapPath} did not start.");
            }
            catch (Win32Exception e)
            {
                await runtime.DisposeAsync();
                throw new LocalStackException(
                    $"Could not run the bootstrap {definition.BootstrapPath}: {e.Message}. It must be the Native AOT executable for linux-x64 (pass --publish to build it again), or an assembly (.dll) for dotnet (--jit).", e);
            }

            var environment = new ExecutionEnvironment(runtime, process, definition.Name, onOutput);
            using var patience = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var timeout = Task.Delay(InitPatience, patience.Token);
            var first = await Task.WhenAny(runtime.FirstNextRequest, runtime.InitError, environment._exited, timeout);
            await patience.CancelAsync();
            if (first == runtime.FirstNextRequest)
            {
                environment._started = true;
                return environment;
            }

            cancellationToken.ThrowIfCancellationRequested();
            string reason;
            if (first == runtime.InitError)
            {
                reason = $"its cold start failed: {InitErrorSummary(runtime.InitError.Result)}";
            }
            else if (first == environment._exited)
            {
                reason = $"the bootstrap exited with code {process.ExitCode} before asking for an event";
            }
            else
            {
                reason = $"the bootstrap did not ask for an event within {InitPatience.TotalSeconds:0} s";
            }

            var diagnostics = await environment.StopAndDescribeAsync();
            throw new LocalStackException($"The {definition.Name} function (_HANDLER={definition.Handler}) did not start: {reason.TrimEnd('.')}.{diagnostics}");
        }

        public async Task<InvocationResult> InvokeAsync(
            byte[] payload, FunctionDefinition definition, bool waitForLogLine, CancellationToken cancellationToken)
        {
            var region = definition.Environment.TryGetValue("AWS_REGION", out var r) ? r : "us-east-1";
            var invocation = new LocalInvocation(payload)
            {
                Timeout = definition.Timeout,
                FunctionArn = $"arn:aws:lambda:{region}:000000000000:function:{definition.Name}",
                TraceId = null,
            };
            var started = Stopwatch.GetTimestamp();
            var logLine = _logLines.GetOrAdd(invocation.RequestId, _ => NewLogLine()).Task;
            try
            {
                var requestId = _runtime.Enqueue(invocation);
                // Lambda's own timer counts from the hand-out; the margin covers the trip through the Runtime API.
                var result = _runtime.WaitForResultAsync(requestId, definition.Timeout + TimeSpan.FromSeconds(2));
                await Task.WhenAny(result, _exited).WaitAsync(cancellationToken);
                var elapsed = Stopwatch.GetElapsedTime(started);
                if (result.IsCompletedSuccessfully)
                {
                    var post = result.Result;
                    if (waitForLogLine)
                    {
                        await Task.WhenAny(logLine, Task.Delay(LogPatience, cancellationToken));
                    }

                    return new InvocationResult(
                        requestId,
                        post.Kind == RuntimePostKind.Response ? InvocationOutcome.Response : InvocationOutcome.Error,
                        post.Body,
                        elapsed,
                        logLine.IsCompletedSuccessfully ? logLine.Result : null,
                        null);
                }

                if (HasExited)
                {
                    var exit = $"the process exited with code {_process.ExitCode} while handling the event";
                    return new InvocationResult(requestId, InvocationOutcome.Crashed, [], elapsed, null, exit + await StopAndDescribeAsync());
                }

                var overrun = $"no answer within the function's {definition.Timeout.TotalSeconds:0} s timeout";
                return new InvocationResult(requestId, InvocationOutcome.TimedOut, [], elapsed, null, overrun + await StopAndDescribeAsync());
            }
            finally
            {
                _logLines.TryRemove(invocation.RequestId, out _);
            }
        }

        public async ValueTask DisposeAsync()
        {
            Stop();
            await _exited.WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            await _pumps.WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            await _runtime.DisposeAsync();
            _process.Dispose();
        }

        private static ProcessStartInfo StartInfo(FunctionDefinition definition, string runtimeAddress)
        {
            var folder = Path.GetDirectoryName(Path.GetFullPath(definition.BootstrapPath))!;
            var start = definition.BootstrapPath.EndsWith(BootstrapLocator.AssemblyExtension, StringComparison.OrdinalIgnoreCase)
                ? new ProcessStartInfo(DotnetHost(), [definition.BootstrapPath])
                : new ProcessStartInfo(definition.BootstrapPath);
            start.RedirectStandardOutput = true;
            start.RedirectStandardError = true;
            start.UseShellExecute = false;
            start.WorkingDirectory = folder;

            // Nothing of the caller's environment leaks in (no AWS profile, no real credentials): only what Lambda sets
            // and what the template and the local stack configure.
            start.Environment.Clear();
            start.Environment["PATH"] = "/usr/local/bin:/usr/bin:/bin";
            foreach (var (name, value) in definition.Environment)
            {
                start.Environment[name] = value;
            }

            start.Environment["AWS_LAMBDA_RUNTIME_API"] = runtimeAddress;
            start.Environment["_HANDLER"] = definition.Handler;
            start.Environment["LAMBDA_TASK_ROOT"] = folder;
            start.Environment["LAMBDA_RUNTIME_DIR"] = folder;
            start.Environment["AWS_LAMBDA_FUNCTION_NAME"] = definition.Name;
            start.Environment["AWS_LAMBDA_FUNCTION_VERSION"] = "$LATEST";
            start.Environment["AWS_LAMBDA_FUNCTION_MEMORY_SIZE"] = definition.MemoryMb.ToString(CultureInfo.InvariantCulture);
            start.Environment["AWS_LAMBDA_LOG_GROUP_NAME"] = $"/aws/lambda/{definition.Name}";
            start.Environment["AWS_LAMBDA_LOG_STREAM_NAME"] =
                $"{DateTime.UtcNow.ToString("yyyy/MM/dd", CultureInfo.InvariantCulture)}/[$LATEST]{Guid.NewGuid():N}";
            start.Environment["AWS_LAMBDA_INITIALIZATION_TYPE"] = "on-demand";
            if (string.Equals(definition.LogFormat, "JSON", StringComparison.OrdinalIgnoreCase))
            {
                start.Environment["AWS_LAMBDA_LOG_FORMAT"] = "JSON";
            }

            start.Environment["TZ"] = ":UTC";
            start.Environment["LANG"] = "en_US.UTF-8";
            return start;
        }

        // The dotnet host that runs this process: its runtime folder is <host folder>/shared/Microsoft.NETCore.App/<version>/.
        private static string DotnetHost()
        {
            var runtime = new DirectoryInfo(System.Runtime.InteropServices.RuntimeEnvironment.GetRuntimeDirectory());
            var root = runtime.Parent?.Parent?.Parent?.FullName;
            var host = root is null ? null : Path.Combine(root, OperatingSystem.IsWindows() ? "dotnet.exe" : "dotnet");
            return host is not null && File.Exists(host) ? host : "dotnet";
        }

        private static TaskCompletionSource<string> NewLogLine() => new(TaskCreationOptions.RunContinuationsAsynchronously);

        private static string InitErrorSummary(RuntimePost post)
        {
            try
            {
                using var error = JsonDocument.Parse(post.Body);
                var type = error.RootElement.TryGetProperty("errorType", out var t) ? t.GetString() : null;
                var message = error.RootElement.TryGetProperty("errorMessage", out var m) ? m.GetString() : null;
                return $"{type}: {message}";
            }
            catch (JsonException)
            {
                return post.BodyText;
            }
        }

        private static async Task PumpAsync(StreamReader reader, Action<string> onLine)
        {
            while (await reader.ReadLineAsync() is { } line)
            {
                onLine(line);
            }
        }

        private void OnStandardOutput(string name, string line, Action<FunctionOutput>? onOutput)
        {
            if (RequestIdOf(line) is { } requestId)
            {
                _logLines.GetOrAdd(requestId, _ => NewLogLine()).TrySetResult(line);
            }

            onOutput?.Invoke(new FunctionOutput(name, false, line));
        }

        private void OnStandardError(string name, string line, Action<FunctionOutput>? onOutput)
        {
            _standardError.Enqueue(line);
            while (_standardError.Count > StandardErrorLinesKept)
            {
                _standardError.TryDequeue(out _);
            }

            if (_started)
            {
                onOutput?.Invoke(new FunctionOutput(name, true, line));
            }
        }

        private static string? RequestIdOf(string line)
        {
            using var json = FunctionOutput.JsonLine(line);
            return json is not null && json.RootElement.TryGetProperty("requestId", out var id) && id.ValueKind == JsonValueKind.String
                ? id.GetString()
                : null;
        }

        /// <summary>Stops the process and returns the tail of its standard error, for the person to read.</summary>
        private async Task<string> StopAndDescribeAsync()
        {
            Stop();
            await _pumps.WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            var lines = _standardError.ToArray();
            return lines.Length == 0
                ? " The bootstrap wrote nothing on standard error."
                : $"{Environment.NewLine}--- bootstrap standard error (last {lines.Length} lines) ---{Environment.NewLine}{string.Join(Environment.NewLine, lines)}";
        }

        private void Stop()
        {
            try
            {
                if (!_process.HasExited)
                {
                    _process.Kill();
                }
            }
            catch (InvalidOperationException)
            {
                // Already gone.
            }
        }
    }
}
