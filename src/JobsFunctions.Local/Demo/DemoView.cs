using System.Globalization;
using JobsFunctions.Domain.Executions;
using Spectre.Console;

namespace JobsFunctions.Local.Demo;

/// <summary>
/// The fleet run as people watch it: a live panel on a terminal (plain progress lines otherwise, so logs and tests
/// read well), then the summary table.
/// </summary>
public sealed class DemoView
{
    private readonly IAnsiConsole _console;
    private readonly TextWriter _output;
    /// <summary>The longest the plain view stays silent while the recorder drains.</summary>
    public static readonly TimeSpan DrainLineEvery = TimeSpan.FromSeconds(3);

    private readonly bool _live;
    private TimeSpan? _lastLine;
    private TimeSpan? _lastDrainLine;

    public DemoView(TextWriter output, bool terminal)
    {
        _live = terminal;
        _output = output;
        _console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(output),
            Ansi = terminal ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = terminal ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = terminal ? InteractionSupport.Detect : InteractionSupport.No,
        });
    }

    /// <summary>Runs <paramref name="run"/>, showing each progress it reports.</summary>
    public async Task<T> ShowAsync<T>(Func<Action<DemoProgress>, Task<T>> run)
    {
        ArgumentNullException.ThrowIfNull(run);
        if (!_live)
        {
            return await run(WriteLine);
        }

        return await _console.Live(new Text("Starting the rollout…")).AutoClear(false).StartAsync(async context =>
            await run(progress =>
            {
                context.UpdateTarget(ProgressPanel(progress));
                context.Refresh();
            }));
    }

    public void WriteSummary(DemoReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var statuses = new Table().Title($"Job {report.JobId}: {report.JobStatus}").AddColumns("Status", "Emulator (truth)", "Store counters (API)", "Store records", "");
        foreach (var status in ExecutionStatuses.All)
        {
            var compared = report.ComparedStatuses.Contains(status);
            var truth = report.Truth.GetValueOrDefault(status);
            var store = report.Store.GetValueOrDefault(status);
            var records = report.Records.GetValueOrDefault(status);
            var verdict = !compared ? "open: via sweeper only"
                : store == truth && records == truth ? "equal" : "DIFFERENT";
            statuses.AddRow(status.ToWire(), N(truth), compared ? N(store) : "-", compared ? N(records) : "-", verdict);
        }

        _console.Write(statuses);
        if (report.ComparedStatuses.Count < ExecutionStatuses.All.Count)
        {
            _console.WriteLine("IoT publishes execution events for terminal statuses only: QUEUED and IN_PROGRESS reach the store through the sweeper's reconciliation.");
        }

        var facts = new Table().HideHeaders().AddColumns("", "");
        facts.AddRow("Fleet", $"{N(report.Devices)} devices: {N(report.Fleet.Polls)} polls, {N(report.Fleet.Started)} started, {N(report.Fleet.ProgressReports)} progress reports, "
            + $"{string.Join(", ", report.Fleet.Finished.OrderBy(pair => pair.Key, StringComparer.Ordinal).Select(pair => $"{N(pair.Value)} {pair.Key}"))}, {N(report.Fleet.EndedUnderDevice)} ended under the device");
        facts.AddRow("Events", $"{N(report.EventsPublished)} published, {N(report.EventsRedelivered)} redelivered, {N(report.RuleDeliveries)} delivered by the template's rules");
        facts.AddRow("Recorder", $"{N(report.Recorder.Invocations)} invocations ({N(report.Recorder.Retries)} Lambda retries), {N(report.Recorder.Succeeded)} events recorded, {N(report.Recorder.Failed)} to the failure queue");
        if (report.DynamoFaults is { } faults)
        {
            facts.AddRow("DynamoDB faults", $"{N(faults.Throttled)} throttled, {N(faults.AnswersLost)} answers lost (500 after the write) of {N(faults.Requests)} requests");
        }

        facts.AddRow("Ledgers", $"{N(report.Ledgers)} executions with a ledger, {N(report.LedgerEntries)} entries");
        facts.AddRow("Sweeper", report.SweeperRuns == 0
            ? "not in template.yaml: no runs"
            : $"{N(report.SweeperRuns)} scheduled runs; {(report.SweeperActions.Count == 0 ? "no run reported" : string.Join(", ", report.SweeperActions.Select(pair => $"{pair.Key} {N(pair.Value)}")))}");
        facts.AddRow("Time", string.Create(CultureInfo.InvariantCulture,
            $"{report.VirtualElapsed.TotalMinutes:0} virtual minutes in {report.WallElapsed.TotalSeconds:0.0} s, of which {report.DrainElapsed.TotalSeconds:0.0} s the recorder's drain after the rollout"));
        facts.AddRow("Operator API", report.ApiAddress.ToString());
        facts.AddRow("IoT Jobs emulator", report.EmulatorAddress.ToString());
        _console.Write(facts);
        _console.WriteLine(report.Verdict);
    }

    private static string N(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    /// <summary>One drain line: recorded of delivered, retries, faults, and the time left at the pace so far.</summary>
    public static string DrainLine(DrainProgress drain)
    {
        ArgumentNullException.ThrowIfNull(drain);
        var failed = drain.Failed > 0 ? $", {N(drain.Failed)} to the failure queue" : "";
        var left = drain.Left switch
        {
            null => "time left not known yet",
            { } time when time == TimeSpan.Zero => "done",
            { } time => string.Create(CultureInfo.InvariantCulture, $"about {Duration(time)} left"),
        };
        return string.Create(CultureInfo.InvariantCulture,
            $"recorder draining {drain.Elapsed.TotalSeconds:0} s: recorded {N(drain.Recorded)} of {N(drain.Delivered)} delivered{failed}, {N(drain.Retries)} retries, {N(drain.Faults)} DynamoDB faults; {left}");
    }

    private static string Duration(TimeSpan time) =>
        time < TimeSpan.FromMinutes(2)
            ? string.Create(CultureInfo.InvariantCulture, $"{Math.Ceiling(time.TotalSeconds):0} s")
            : string.Create(CultureInfo.InvariantCulture, $"{Math.Ceiling(time.TotalMinutes):0} min");

    private void WriteLine(DemoProgress progress)
    {
        if (progress.Drain is { } drain)
        {
            // Never silent for long while the recorder catches up, however long that takes.
            if (_lastDrainLine is { } said && progress.WallElapsed - said < DrainLineEvery)
            {
                return;
            }

            _lastDrainLine = progress.WallElapsed;
            // Straight to the writer: one line each, never wrapped at the console's width, for logs to be read by line.
            _output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"[{progress.VirtualElapsed.TotalMinutes,4:0} min | {progress.WallElapsed.TotalSeconds,5:0.0} s] {DrainLine(drain)}"));
            return;
        }

        // One line per ten virtual minutes, and the last.
        if (_lastLine is { } last && progress.VirtualElapsed - last < TimeSpan.FromMinutes(10) && progress.JobStatus == "IN_PROGRESS")
        {
            return;
        }

        _lastLine = progress.VirtualElapsed;
        var truth = string.Join(" ", progress.Truth.Where(pair => pair.Value > 0).Select(pair => $"{pair.Key.ToWire()}={N(pair.Value)}"));
        _console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"[{progress.VirtualElapsed.TotalMinutes,4:0} min | {progress.WallElapsed.TotalSeconds,5:0.0} s] job {progress.JobStatus}: {truth}; events {N(progress.EventsPublished)}, recorded {N(progress.Recorder.Succeeded)}, sweeps {progress.SweeperRuns}"));
    }

    private static Panel ProgressPanel(DemoProgress progress)
    {
        var table = new Table().AddColumns("Status", "Executions (emulator)");
        foreach (var (status, count) in progress.Truth.Where(pair => pair.Value > 0))
        {
            table.AddRow(status.ToWire(), N(count));
        }

        var lines = new Rows(
            new Markup($"[bold]Job[/] {Markup.Escape(progress.JobStatus)}   [bold]virtual[/] {progress.VirtualElapsed.TotalMinutes:0} min   [bold]wall[/] {progress.WallElapsed.TotalSeconds:0.0} s"),
            table,
            new Markup($"[bold]Fleet[/] {N(progress.Fleet.Started)} started, {N(progress.Fleet.ProgressReports)} progress reports, {N(progress.Fleet.Finished.Values.Sum())} finished"),
            new Markup($"[bold]Events[/] {N(progress.EventsPublished)} published   [bold]Recorder[/] {N(progress.Recorder.Succeeded)} recorded, {N(progress.Recorder.Retries)} retries   [bold]Sweeper[/] {progress.SweeperRuns} runs"),
            progress.Drain is { } drain ? new Markup($"[bold]After the rollout[/] {Markup.Escape(DrainLine(drain))}") : new Text(""));
        return new Panel(lines).Header("JobsFunctions fleet demo");
    }
}
