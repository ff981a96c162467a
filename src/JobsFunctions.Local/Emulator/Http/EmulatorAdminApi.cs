using System.Text.Json.Nodes;
using JobsFunctions.Local.Emulator.Model;

namespace JobsFunctions.Local.Emulator.Http;

/// <summary>
/// The emulator's own routes, under <c>/_emulator</c>: the clock (read, advance, freeze), the events published so
/// far, and a reset. AWS has no such routes; they exist so tests and people can drive time and see events.
/// </summary>
internal static class EmulatorAdminApi
{
    public const int MaxEventsPerPage = 1000;

    /// <summary>Far beyond any timer (the longest is 10080 minutes), and far from the calendar's end.</summary>
    private const double MaxAdvanceSeconds = 100 * 365.25 * 24 * 3600;

    public static IEnumerable<WireRoute> Routes(JobsEmulator emulator)
    {
        ArgumentNullException.ThrowIfNull(emulator);
        const Plane plane = Plane.Emulator;
        yield return new(plane, "GET", "/_emulator/clock", "ReadClock", _ => Clock(emulator, emulator.Tick()));
        yield return new(plane, "POST", "/_emulator/clock", "MoveClock", call => MoveClock(emulator, call));
        yield return new(plane, "GET", "/_emulator/events", "ReadEvents", call => Events(emulator, call));
        yield return new(plane, "POST", "/_emulator/reset", "Reset", _ =>
        {
            emulator.Reset();
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
}
