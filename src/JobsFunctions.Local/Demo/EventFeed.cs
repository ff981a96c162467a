using System.Threading.Channels;
using JobsFunctions.Emulator.Model;
using JobsFunctions.Local.Rules;

namespace JobsFunctions.Local.Demo;

/// <summary>How the feed mistreats events on purpose, as AWS IoT may: at-least-once delivery and no ordering.</summary>
/// <param name="Duplicate">Deliver every event twice.</param>
/// <param name="Shuffle">Deliver events out of the order they were published in.</param>
public sealed record DeliveryFaults(bool Duplicate, bool Shuffle, int Seed);

/// <summary>
/// The emulator's events on their way to the template's topic rules. The emulator hands each event over inside its
/// lock, so the feed only queues it; a pump publishes it to the rules, duplicated or out of order when asked.
/// </summary>
public sealed class EventFeed : IEmulatorEventSubscriber, IAsyncDisposable
{
    private const int ShuffleWindow = 64;

    private static readonly TimeSpan HoldBack = TimeSpan.FromMilliseconds(50);

    private readonly Channel<EmulatorEvent> _queue = Channel.CreateUnbounded<EmulatorEvent>(new UnboundedChannelOptions { SingleReader = true });
    private readonly TopicRuleEngine _rules;
    private readonly DeliveryFaults _faults;
    private readonly Random _random;
    private readonly Task _pump;
    private long _pending;
    private long _published;
    private long _redelivered;

    public EventFeed(TopicRuleEngine rules, DeliveryFaults faults)
    {
        ArgumentNullException.ThrowIfNull(rules);
        ArgumentNullException.ThrowIfNull(faults);
        _rules = rules;
        _faults = faults;
        _random = new Random(faults.Seed);
        _pump = Task.Run(PumpAsync);
    }

    /// <summary>Events the emulator published, and extra deliveries of them the faults added.</summary>
    public (long Published, long Redelivered) Counts => (Interlocked.Read(ref _published), Interlocked.Read(ref _redelivered));

    public void OnEvent(EmulatorEvent published)
    {
        Interlocked.Increment(ref _published);
        Interlocked.Increment(ref _pending);
        _queue.Writer.TryWrite(published);
    }

    /// <summary>Waits until every event received so far went to the rules.</summary>
    public async Task DrainAsync(CancellationToken cancellationToken)
    {
        while (Interlocked.Read(ref _pending) > 0)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(5), cancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _pump;
    }

    private async Task PumpAsync()
    {
        var window = new List<EmulatorEvent>();
        var reader = _queue.Reader;
        var size = _faults.Shuffle ? ShuffleWindow : 1;
        while (true)
        {
            bool more;
            if (window.Count == 0)
            {
                more = await reader.WaitToReadAsync();
            }
            else
            {
                // Held-back events go once the emulator has been quiet a moment, so none waits for ever.
                using var quiet = new CancellationTokenSource(HoldBack);
                try
                {
                    more = await reader.WaitToReadAsync(quiet.Token);
                }
                catch (OperationCanceledException)
                {
                    while (window.Count > 0)
                    {
                        Release(window);
                    }

                    continue;
                }
            }

            if (!more)
            {
                while (window.Count > 0)
                {
                    Release(window);
                }

                return;
            }

            while (reader.TryRead(out var published))
            {
                window.Add(published);
                if (window.Count >= size)
                {
                    Release(window);
                }
            }
        }
    }

    private void Release(List<EmulatorEvent> window)
    {
        var at = _faults.Shuffle ? _random.Next(window.Count) : 0;
        var published = window[at];
        window.RemoveAt(at);
        _rules.Publish(published.Topic, published.Payload);
        if (_faults.Duplicate)
        {
            _rules.Publish(published.Topic, published.Payload);
            Interlocked.Increment(ref _redelivered);
        }

        Interlocked.Decrement(ref _pending);
    }
}
