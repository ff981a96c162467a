namespace JobsFunctions.Emulator.Model;

/// <summary>
/// The emulator's time: the wall clock (or a frozen instant) plus every advance asked for. Advancing never moves
/// time back, so timers, rollout steps and events fire in the order they fall due.
/// </summary>
public sealed class EmulatorClock
{
    private readonly TimeProvider _wall;
    private readonly object _gate = new();
    private DateTimeOffset? _frozenAt;
    private TimeSpan _advanced;

    public EmulatorClock(TimeProvider? wall = null, bool frozen = false)
    {
        _wall = wall ?? TimeProvider.System;
        if (frozen)
        {
            _frozenAt = Truncate(_wall.GetUtcNow());
        }
    }

    /// <summary>True once the clock stopped following the wall clock and moves only when advanced.</summary>
    public bool IsVirtual
    {
        get
        {
            lock (_gate)
            {
                return _frozenAt is not null;
            }
        }
    }

    public DateTimeOffset Now
    {
        get
        {
            lock (_gate)
            {
                return (_frozenAt ?? Truncate(_wall.GetUtcNow())) + _advanced;
            }
        }
    }

    public void Advance(TimeSpan by)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(by, TimeSpan.Zero);
        lock (_gate)
        {
            _advanced += by;
        }
    }

    /// <summary>Stops following the wall clock at the current emulated instant.</summary>
    public void Freeze()
    {
        lock (_gate)
        {
            if (_frozenAt is null)
            {
                _frozenAt = Truncate(_wall.GetUtcNow());
            }
        }
    }

    // Millisecond precision: the finest unit AWS's timestamps carry on the wire.
    private static DateTimeOffset Truncate(DateTimeOffset at) => DateTimeOffset.FromUnixTimeMilliseconds(at.ToUnixTimeMilliseconds());
}
