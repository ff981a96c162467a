using System.Globalization;
using JobsFunctions.Domain.Executions;
using JobsFunctions.Local.Demo;
using JobsFunctions.Local.Rules;

namespace JobsFunctions.Local.Soak;

/// <summary>One assertion of the soak, whether it held, and the figures it was judged on.</summary>
public sealed record SoakCheck(string Name, bool Passed, string Figures);

/// <summary>How a soak ended: the sweeper's runs summed, the store at each checkpoint, the emulator's truth, and the checks.</summary>
public sealed record SoakReport(
    SoakOptions Options,
    TimeSpan Every,
    TimeSpan VirtualElapsed,
    TimeSpan WallElapsed,
    SoakTotals Runs,
    IReadOnlyList<SoakCheckpoint> Checkpoints,
    long Heartbeats,
    SoakTruth Truth,
    AsyncInvocationCounts Recorder,
    DynamoFaultCounts? DynamoFaults)
{
    public IReadOnlyList<SoakCheck> Checks
    {
        get
        {
            var first = Checkpoints.Count > 0 ? Checkpoints[0] : null;
            var last = Checkpoints.Count > 0 ? Checkpoints[^1] : null;
            var largest = Checkpoints.MaxBy(checkpoint => checkpoint.LargestItemBytes);
            var runs = Runs.Runs;
            var missing = Runs.MissingMetrics.Count == 0 ? "" : $"; report lines lacked {string.Join(", ", Runs.MissingMetrics.Select(pair => $"{pair.Key} ({pair.Value} runs)"))}";
            return
            [
                new("every scheduled run answers", runs > 0 && Runs.Answered == runs,
                    $"{Runs.Answered:N0} of {runs:N0} runs answered{(Runs.FirstFailure is { } failure ? $"; first failure {failure}" : "")}"),
                new($"the refused job ({SoakFleet.RefusedJob}) is in JobErrors and an ERROR line on every run", runs > 0 && Runs.RefusedReported == runs,
                    $"{Runs.RefusedReported:N0} of {runs:N0} runs; JobErrors summed {Runs.JobErrors:N0}{missing}"),
                new("every other job is swept on every run", runs > 0 && Runs.OthersSwept == runs,
                    $"{Runs.OthersSwept:N0} of {runs:N0} runs listed {string.Join(" and ", SoakFleet.SweptEveryRun)}{(Runs.FirstUnswept is { } unswept ? $"; first miss {unswept}" : "")}; {Runs.OtherJobErrors:N0} ERROR lines named other jobs"),
                new($"no stored item exceeds {Options.ItemBoundBytes:N0} B", largest is not null && largest.LargestItemBytes <= Options.ItemBoundBytes,
                    largest is null ? "the table was never read" : $"largest {largest.LargestItemBytes:N0} B ({largest.LargestItemKey}) at {Day(largest.VirtualElapsed)}; {last!.Items:N0} items at the end"),
                new("the heartbeating execution's item is the same size early and late", first is not null && first.HeartbeatItemBytes > 0 && Truth.Heartbeat == ExecutionStatus.InProgress
                        && Math.Abs(last!.HeartbeatItemBytes - first.HeartbeatItemBytes) <= SoakOptions.HeartbeatToleranceBytes,
                    first is null ? "the table was never read" : $"{first.HeartbeatItemBytes:N0} B at {Day(first.VirtualElapsed)}, {last!.HeartbeatItemBytes:N0} B at {Day(last.VirtualElapsed)} (±{SoakOptions.HeartbeatToleranceBytes:N0} B allowed); {Heartbeats:N0} heartbeats, still {Truth.Heartbeat.ToWire()}"),
                new("the dry-run policy's audit entries do not grow with the runs", first is not null && first.DryRunAuditEntries >= 1 && last!.DryRunAuditEntries == first.DryRunAuditEntries,
                    first is null ? "the table was never read" : $"{first.DryRunAuditEntries:N0} entries after {first.Runs:N0} runs, {last!.DryRunAuditEntries:N0} after {last.Runs:N0}"),
                new("IotCalls and Throttles equal what the emulator counted", Runs.CallsReported == Runs.CallsCounted && Runs.ThrottlesReported == Runs.ThrottlesCounted
                        && (Options.ThrottleRate == 0 || Runs.ThrottlesCounted > 0),
                    $"calls reported {Runs.CallsReported:N0} / counted {Runs.CallsCounted:N0}; throttles reported {Runs.ThrottlesReported:N0} / counted {Runs.ThrottlesCounted:N0}; {Runs.RunsCountedApart:N0} runs differ"),
                new("the timeout policy ends the silent device; the dry run leaves its own alone", Truth.Silent == ExecutionStatus.Canceled && Truth.DryRunSilent == ExecutionStatus.InProgress,
                    $"silent device {Truth.Silent.ToWire()}, dry run's silent device {Truth.DryRunSilent.ToWire()}"),
                new("the failed execution is retried by AWS and succeeds", Truth.Retried == ExecutionStatus.Succeeded && Truth.RetriedExecutionNumber == 2,
                    $"execution {Truth.RetriedExecutionNumber} {Truth.Retried.ToWire()}"),
                new("every event reaches the store despite DynamoDB's faults", Recorder.Failed == 0 && Recorder.Succeeded == Recorder.Accepted,
                    $"{Recorder.Succeeded:N0} of {Recorder.Accepted:N0} events recorded, {Recorder.Retries:N0} retries{(DynamoFaults is { } faults ? $"; DynamoDB proxy: {faults.Requests:N0} requests, {faults.Throttled:N0} throttled, {faults.AnswersLost:N0} answers lost" : "")}"),
            ];
        }
    }

    public bool Passed => Checks.All(check => check.Passed);

    public void WriteTo(TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(output);
        var sweep = Runs.Runs == 0 ? TimeSpan.Zero : Runs.SweepTime / Runs.Runs;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Soak: {Day(VirtualElapsed)} of account time, a sweep every {Every.TotalMinutes:0.#} min ({Runs.Runs:N0} runs), seed {Options.Seed}, in {WallElapsed.TotalSeconds:N0} s of wall time"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Faults: IoT {Options.ThrottleRate:P1} throttled, {Options.ServerErrorRate:P1} 500s, every listing of {SoakFleet.RefusedJob} AccessDenied; DynamoDB {Options.DynamoFaults:P1} of the recorder's requests"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Sweeps: {sweep.TotalMilliseconds:N0} ms on average, longest {Runs.LongestSweep.TotalMilliseconds:N0} ms; EventsCheckFailed summed {Runs.EventsCheckFailed:N0}"));
        output.WriteLine();
        output.WriteLine("  day    runs  heartbeat item  dry-run audit  largest item  items");
        foreach (var checkpoint in Checkpoints)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {checkpoint.VirtualElapsed.TotalDays,5:0.00} {checkpoint.Runs,7:N0} {checkpoint.HeartbeatItemBytes,13:N0} B {checkpoint.DryRunAuditEntries,14:N0} {checkpoint.LargestItemBytes,11:N0} B {checkpoint.Items,6:N0}"));
        }

        output.WriteLine();
        foreach (var check in Checks)
        {
            output.WriteLine($"  {(check.Passed ? "PASS" : "FAIL")}  {check.Name}: {check.Figures}");
        }

        output.WriteLine();
        output.WriteLine(Passed ? "Every check of the soak held." : $"{Checks.Count(check => !check.Passed)} of {Checks.Count} checks FAILED.");
    }

    private static string Day(TimeSpan elapsed) => string.Create(CultureInfo.InvariantCulture, $"day {elapsed.TotalDays:0.##}");
}
