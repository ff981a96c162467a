using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using JobsFunctions.Local.Runtime;

namespace JobsFunctions.Local.Demo;

/// <summary>
/// <c>serve</c>'s account once the rollout is over, kept going as AWS keeps going: the emulator's clock follows the wall
/// clock (times a speed), the sweeper runs on its schedule on that clock, and the template's rules go on delivering
/// the emulator's events to the recorder. So whatever a user does with the AWS CLI reaches the store as it would on
/// AWS: terminal executions at once through their events, QUEUED and IN_PROGRESS ones within a schedule period through
/// the sweeper's reconciliation of the jobs it sweeps. Moving the clock by hand (POST /_emulator/clock) moves the
/// schedule with it.
/// </summary>
public sealed class LiveAccount : IAsyncDisposable
{
    /// <summary>How often the clock is brought up to the wall and the schedule looked at.</summary>
    private static readonly TimeSpan Beat = TimeSpan.FromMilliseconds(200);

    /// <summary>
    /// The policy serve gives the jobs it creates for AWS's reference examples: dry run (it plans, never acts) with the
    /// longest queued timeout a policy may set, so the sweeper sweeps those jobs and its reconciliation records their
    /// QUEUED and IN_PROGRESS executions, which IoT publishes no event for.
    /// </summary>
    public const string WatchingPolicy = """{"dryRun":true,"timeoutConfig":{"queuedTimeoutInMinutes":10080,"action":"CANCEL"}}""";

    private readonly FleetServices _stack;
    private readonly double _speed;
    private readonly TextWriter _console;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _running;
    private long _sweeps;

    private LiveAccount(FleetServices stack, double speed, TextWriter console)
    {
        _stack = stack;
        _speed = speed;
        _console = console;
        _running = Task.Run(() => RunAsync(_stop.Token));
    }

    /// <summary>The scheduled sweeper runs started so far.</summary>
    public long Sweeps => Interlocked.Read(ref _sweeps);

    /// <summary>
    /// Puts <see cref="WatchingPolicy"/> on each of <paramref name="watchedJobs"/> through the operator API (when the
    /// template routes it), then keeps the account going until disposed. Prints what it does.
    /// </summary>
    public static async Task<LiveAccount> StartAsync(
        FleetServices stack, IEnumerable<string> watchedJobs, double speed, TextWriter console, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stack);
        ArgumentNullException.ThrowIfNull(watchedJobs);
        ArgumentNullException.ThrowIfNull(console);
        ArgumentOutOfRangeException.ThrowIfLessThan(speed, 1);
        var jobs = watchedJobs.ToList();
        if (jobs.Count > 0 && stack.Routes.RouteKeys.Contains("PUT /jobs/{jobId}/policy", StringComparer.Ordinal))
        {
            using var http = new HttpClient { BaseAddress = stack.Api.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
            foreach (var jobId in jobs)
            {
                using var content = new StringContent(WatchingPolicy, Encoding.UTF8, new MediaTypeHeaderValue("application/json"));
                using var response = await http.PutAsync(new Uri($"jobs/{Uri.EscapeDataString(jobId)}/policy", UriKind.Relative), content, cancellationToken);
                if (!response.IsSuccessStatusCode)
                {
                    var body = await response.Content.ReadAsStringAsync(cancellationToken);
                    throw new LocalStackException($"PUT /jobs/{jobId}/policy answered {(int)response.StatusCode}: {body}");
                }
            }

            console.WriteLine($"Dry-run policies on {string.Join(", ", jobs)}: the sweeper sweeps them and records their QUEUED and IN_PROGRESS executions.");
        }

        var clock = speed == 1 ? "real time" : string.Create(CultureInfo.InvariantCulture, $"{speed:0.#}x real time");
        console.WriteLine(stack.Sweeper is { Every: var every }
            ? $"The account keeps going: the clock runs at {clock}, the sweeper runs every {Describe(every)} of it, the rules deliver events as they happen."
            : $"The account keeps going: the clock runs at {clock}, the rules deliver events as they happen (template.yaml has no sweeper).");
        return new LiveAccount(stack, speed, console);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _running.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _stop.Dispose();
    }

    private static string Describe(TimeSpan every) =>
        every.TotalMinutes < 60 ? $"{every.TotalMinutes:0} min" : every.TotalHours < 24 ? $"{every.TotalHours:0} h" : $"{every.TotalDays:0} d";

    private async Task RunAsync(CancellationToken stop)
    {
        var emulator = _stack.Emulator.Emulator;
        var wall = Stopwatch.StartNew();
        var followed = TimeSpan.Zero;
        var nextSweep = _stack.Sweeper is { Every: var every } ? emulator.Clock.Now + every : DateTimeOffset.MaxValue;
        var sweeping = Task.CompletedTask;
        while (!stop.IsCancellationRequested)
        {
            var elapsed = wall.Elapsed;
            var now = emulator.Advance((elapsed - followed) * _speed);
            followed = elapsed;

            // As EventBridge, one run per tick of the schedule; a tick that finds the last run still going is skipped
            // (on AWS the sweeper's lease would turn the overlapping run away).
            while (_stack.Sweeper is { } sweeper && nextSweep <= now)
            {
                if (sweeping.IsCompleted)
                {
                    await sweeping.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                    sweeping = SweepAsync(sweeper.Function, FleetRun.ScheduledEvent(nextSweep, emulator), stop);
                    Interlocked.Increment(ref _sweeps);
                }

                nextSweep += sweeper.Every;
            }

            try
            {
                await Task.Delay(Beat, stop);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        await sweeping.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    /// <summary>One scheduled run; a run that did not answer is said on the console (its own lines say why).</summary>
    private async Task SweepAsync(LocalFunction sweeper, byte[] scheduled, CancellationToken stop)
    {
        try
        {
            var result = await sweeper.InvokeAsync(scheduled, stop);
            if (result.Outcome != InvocationOutcome.Response)
            {
                Say($"A scheduled sweeper run ended {result.Outcome}: {(result.Outcome == InvocationOutcome.Error ? result.ErrorSummary : result.Diagnostics)}");
            }
        }
        catch (LocalStackException e)
        {
            Say($"A scheduled sweeper run could not start: {e.Message}");
        }
    }

    private void Say(string line)
    {
        lock (_console)
        {
            _console.WriteLine(line);
        }
    }
}
