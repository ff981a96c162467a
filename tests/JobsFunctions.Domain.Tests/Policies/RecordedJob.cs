using System.Globalization;
using JobsFunctions.Domain.Executions;
using JobsFunctions.Domain.Recording;
using JobsFunctions.TestSupport;
using Microsoft.Extensions.Time.Testing;

namespace JobsFunctions.Domain.Tests.Policies;

/// <summary>A job whose executions are recorded through the real recorder, each ending at a chosen time.</summary>
internal sealed class RecordedJob
{
    public const string JobId = "fw-2026-11";

    public static readonly DateTimeOffset Now = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);

    private int _things;

    public RecordedJob()
    {
        Clock = new FakeTimeProvider(Now);
        Recorder = new StatusRecorder(Store, Clock);
    }

    public InMemoryRecordStore Store { get; } = new();

    public FakeTimeProvider Clock { get; }

    public StatusRecorder Recorder { get; }

    /// <summary>Records <paramref name="count"/> executions that ended in <paramref name="status"/> at <paramref name="endedAt"/>, by their events.</summary>
    public async Task EndAsync(ExecutionStatus status, int count, DateTimeOffset? endedAt = null)
    {
        for (var i = 0; i < count; i++)
        {
            var thing = string.Create(CultureInfo.InvariantCulture, $"thing-{_things++:D5}");
            await Recorder.RecordAsync(
                new ExecutionObservation(JobId, thing, status, new Dictionary<string, string>(), ObservationSource.Event,
                    $"evt-{thing}", endedAt ?? Now.AddHours(-1)),
                TestContext.Current.CancellationToken);
        }
    }
}
