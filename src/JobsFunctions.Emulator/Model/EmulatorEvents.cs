namespace JobsFunctions.Emulator.Model;

/// <summary>
/// One message the emulator published, as AWS IoT publishes job and job-execution events
/// (https://docs.aws.amazon.com/iot/latest/developerguide/events-jobs.html): its MQTT topic and payload bytes, and
/// the emulator's sequence number (1, 2, …), which orders every event it ever published.
/// </summary>
public sealed record EmulatorEvent(long Sequence, string Topic, ReadOnlyMemory<byte> Payload, DateTimeOffset PublishedAt);

/// <summary>
/// Receives each event as it is published, in sequence order, on the thread that caused it and inside the
/// emulator's lock: keep it quick, and hand slow work to a queue of your own.
/// </summary>
public interface IEmulatorEventSubscriber
{
    void OnEvent(EmulatorEvent published);
}
