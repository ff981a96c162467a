using System.Text.Json.Nodes;
using JobsFunctions.Emulator.Model;

namespace JobsFunctions.Emulator.Http;

/// <summary>
/// The emulator's own routes, under <c>/_emulator</c>: the clock (read, advance, freeze), the events published so
/// far, faults to inject into AWS calls, the count of AWS calls answered, and a reset. AWS has no such routes; they
/// exist so tests and people can drive time, see events, and try a client against refusals it cannot provoke on AWS.
/// </summary>
internal static class EmulatorAdminApi
{
    public const int MaxEventsPerPage = 1000;

    /// <summary>Far beyond any timer (the longest is 10080 minutes), and far from the calendar's end.</summary>
    private const double MaxAdvanceSeconds = 100 * 365.25 * 24 * 3600;

    public const int MaxFaultRules = 100;

    public static IEnumerable<WireRoute> Routes(JobsEmulator emulator, WireFaults faults, WireCallCounts calls)
    {
        ArgumentNullException.ThrowIfNull(emulator);
        ArgumentNullException.ThrowIfNull(faults);
        ArgumentNullException.ThrowIfNull(calls);
        const Plane plane = Plane.Emulator;
        yield return new(plane, "GET", "/_emulator/clock", "ReadClock", _ => Clock(emulator, emulator.Tick()));
        yield return new(plane, "POST", "/_emulator/clock", "MoveClock", call => MoveClock(emulator, call));
        yield return new(plane, "GET", "/_emulator/events", "ReadEvents", call => Events(emulator, call));
        yield return new(plane, "GET", "/_emulator/faults", "ReadFaults", _ => Faults(faults));
        yield return new(plane, "POST", "/_emulator/faults", "SetFaults", call => SetFaults(faults, call));
        yield return new(plane, "GET", "/_emulator/calls", "ReadCalls", _ => Calls(calls));
        yield return new(plane, "POST", "/_emulator/reset", "Reset", _ =>
        {
            emulator.Reset();
            faults.Clear();
            calls.Clear();
            return [];
        });
    }

    /// <summary><c>{"virtual": true}</c> stops following the wall clock; <c>{"advanceSeconds": N}</c> moves time on.</summary>
    private static JsonObject MoveClock(JobsEmulator emulator, WireCall call)
    {
        var body = call.Body;
        if (WireInput.Boolean(body, "virtual") == true)
        {
            emulator.Clock.Freeze();
        }

        var seconds = WireInput.Double(body, "advanceSeconds", "advanceSeconds") ?? 0;
        if (seconds < 0 || double.IsNaN(seconds) || seconds > MaxAdvanceSeconds)
        {
            throw WireInput.Invalid($"advanceSeconds must be from 0 (the clock never goes back) to {MaxAdvanceSeconds} (100 years at a time).");
        }

        return Clock(emulator, emulator.Advance(TimeSpan.FromMilliseconds(Math.Round(seconds * 1000))));
    }

    private static JsonObject Clock(JobsEmulator emulator, DateTimeOffset now) => new()
    {
        ["now"] = WireOutput.Seconds(now),
        ["virtual"] = emulator.Clock.IsVirtual,
    };

    /// <summary><c>GET /_emulator/events?after=SEQ</c>: events with a larger sequence number, oldest first.</summary>
    private static JsonObject Events(JobsEmulator emulator, WireCall call)
    {
        var after = call.QueryValue("after") is { } text ? WireInput.Long(text, "after") : 0;
        var max = call.QueryValue("max") is { } limit ? (int)WireInput.Range(WireInput.Long(limit, "max"), "max", 1, MaxEventsPerPage) : MaxEventsPerPage;
        var events = emulator.EventsAfter(after, max);
        return new JsonObject
        {
            ["events"] = new JsonArray([.. events.Select(e => (JsonNode?)new JsonObject
            {
                ["sequence"] = e.Sequence,
                ["topic"] = e.Topic,
                ["publishedAt"] = WireOutput.Seconds(e.PublishedAt),
                ["payload"] = JsonNode.Parse(e.Payload.Span),
            })]),
            ["lastSequence"] = events.Count > 0 ? events[^1].Sequence : after,
        };
    }

    /// <summary>
    /// <c>{"seed": N, "rules": [{"operation": "ListJobExecutionsForJob", "jobId": "j", "code": "AccessDeniedException",
    /// "status": 403, "rate": 1}]}</c> replaces every rule (<c>"operation": "*"</c> is every operation); <c>status</c> defaults to the one the plane's model gives
    /// the code (400 when it names none), <c>rate</c> to 1, <c>seed</c> to 0. An empty list turns faults off.
    /// </summary>
    private static JsonObject SetFaults(WireFaults faults, WireCall call)
    {
        var body = call.Body;
        var seed = WireInput.Number(body, "seed") ?? 0;
        var rules = new List<FaultRule>();
        foreach (var (node, i) in (WireInput.Array(body, "rules") ?? []).Select((node, i) => (node, i)))
        {
            var path = $"rules[{i}]";
            var rule = node as JsonObject ?? throw WireInput.Invalid($"{path} must be an object.");
            var code = WireInput.Required(WireInput.String(rule, "code", $"{path}.code"), $"{path}.code");
            var parsed = new FaultRule(
                WireInput.Required(WireInput.String(rule, "operation", $"{path}.operation"), $"{path}.operation"),
                WireInput.String(rule, "jobId", $"{path}.jobId"),
                code,
                (int)(WireInput.Number(rule, "status", $"{path}.status") ?? EmulatorHost.StatusOf(code, Plane.Control)),
                WireInput.Double(rule, "rate", $"{path}.rate") ?? 1);
            rules.Add(parsed.Problem() is { } problem ? throw WireInput.Invalid($"{path}: {problem}.") : parsed);
        }

        if (rules.Count > MaxFaultRules)
        {
            throw WireInput.Invalid($"rules holds {rules.Count} rules; at most {MaxFaultRules}.");
        }

        if (seed is < int.MinValue or > int.MaxValue)
        {
            throw WireInput.Invalid("seed must be a 32-bit integer.");
        }

        faults.Set(rules, (int)seed);
        return Faults(faults);
    }

    private static JsonObject Faults(WireFaults faults) => new()
    {
        ["seed"] = faults.Seed,
        ["rules"] = new JsonArray([.. faults.Rules.Select(rule => (JsonNode?)new JsonObject
        {
            ["operation"] = rule.Operation,
            ["jobId"] = rule.JobId,
            ["code"] = rule.Code,
            ["status"] = rule.Status,
            ["rate"] = rule.Rate,
        })]),
    };

    /// <summary>
    /// <c>GET /_emulator/calls</c>: per plane and operation, the AWS calls answered, how many of those answers were
    /// throttling, and how many were injected faults; the same per job for operations whose path names one; and totals.
    /// </summary>
    private static JsonObject Calls(WireCallCounts calls)
    {
        var operations = calls.ByOperation();
        return new JsonObject
        {
            ["operations"] = new JsonArray([.. operations.Select(op => (JsonNode?)new JsonObject
            {
                ["plane"] = op.Plane,
                ["operation"] = op.Operation,
                ["answered"] = op.Answered,
                ["throttled"] = op.Throttled,
                ["injected"] = op.Injected,
            })]),
            ["jobs"] = new JsonArray([.. calls.ByJob().Select(job => (JsonNode?)new JsonObject
            {
                ["plane"] = job.Plane,
                ["operation"] = job.Operation,
                ["jobId"] = job.JobId,
                ["answered"] = job.Answered,
                ["throttled"] = job.Throttled,
                ["injected"] = job.Injected,
            })]),
            ["answered"] = operations.Sum(op => op.Answered),
            ["throttled"] = operations.Sum(op => op.Throttled),
        };
    }
}
