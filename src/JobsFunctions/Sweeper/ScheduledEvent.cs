using System.Text.Json.Serialization;

namespace JobsFunctions.Sweeper;

/// <summary>
/// The EventBridge "Scheduled Event" a schedule rule sends (<c>source</c> aws.events, <c>detail-type</c> Scheduled
/// Event). Its id goes to the log; its time is the instant the run judges policies at.
/// </summary>
internal sealed record ScheduledEvent(
    string? Id,
    [property: JsonPropertyName("detail-type")] string? DetailType,
    string? Source,
    DateTimeOffset? Time);
