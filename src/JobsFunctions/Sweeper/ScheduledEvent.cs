using System.Text.Json.Serialization;

namespace JobsFunctions.Sweeper;

/// <summary>
/// The EventBridge "Scheduled Event" a schedule rule sends (<c>source</c> aws.events, <c>detail-type</c> Scheduled
/// Event). Only its id and time are used, for the log; the run reads the clock through its TimeProvider.
/// </summary>
internal sealed record ScheduledEvent(
    string? Id,
    [property: JsonPropertyName("detail-type")] string? DetailType,
    string? Source,
    DateTimeOffset? Time);
