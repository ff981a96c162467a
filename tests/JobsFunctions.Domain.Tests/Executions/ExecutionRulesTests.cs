using JobsFunctions.Domain.Executions;
using static JobsFunctions.Domain.Tests.Observe;

namespace JobsFunctions.Domain.Tests.Executions;

public sealed class ExecutionRulesTests
{
    private static readonly DateTimeOffset Now = T0.AddHours(1);

    [Fact]
    public void A_first_sighting_creates_an_unstored_record_and_counts_one_in_its_status()
    {
        var record = Record(null, Snapshot(ExecutionStatus.Queued, "s-1", 0, version: 1, details: Details(("step", "wait"))));

        Assert.True(record.StateChanged);
        Assert.Null(record.PreviousStatus);
        Assert.Equal(new CounterChange(null, ExecutionStatus.Queued), record.CounterChange);
        Assert.Equal(0, record.Next.Revision);
        Assert.Equal(JobId, record.Next.JobId);
        Assert.Equal(ThingName, record.Next.ThingName);
        Assert.Equal(ExecutionStatus.Queued, record.Next.Status);
        Assert.Equal("wait", record.Next.StatusDetails["step"]);
        Assert.Equal(1, record.Next.VersionNumber);
        Assert.Equal(1, record.Next.ExecutionNumber);
        Assert.Equal(At(0), record.Next.LastChangedAt);
        var entry = Assert.Single(record.Next.Ledger);
        Assert.Equal("s-1", entry.ObservationId);
        Assert.Equal(Now, entry.RecordedAt);
    }

    [Fact]
    public void An_observation_id_already_in_the_ledger_is_a_duplicate_even_with_other_content()
    {
        var current = Stored(Event(ExecutionStatus.Succeeded, "evt-1", 10));

        var decision = ExecutionRules.Apply(current, Event(ExecutionStatus.Failed, "evt-1", 20), Now);

        var duplicate = Assert.IsType<RecordingDecision.Duplicate>(decision);
        Assert.Same(current, duplicate.Current);
    }

    [Fact]
    public void A_terminal_event_moves_the_counter_from_in_progress_to_its_status()
    {
        var current = Stored(Snapshot(ExecutionStatus.InProgress, "s-1", 5, version: 2));

        var record = Record(current, Event(ExecutionStatus.Succeeded, "evt-1", 10, Details(("result", "ok"))));

        Assert.True(record.StateChanged);
        Assert.Equal(ExecutionStatus.Succeeded, record.Next.Status);
        Assert.Equal("ok", record.Next.StatusDetails["result"]);
        Assert.Equal(At(10), record.Next.LastChangedAt);
        Assert.Equal((ExecutionStatus.InProgress, ExecutionStatus.Succeeded), (record.CounterChange?.From, record.CounterChange?.To));
        Assert.Equal([new EndedAttemptChange(ExecutionStatus.Succeeded, EndedAttempts.MinuteOf(At(10)), 1)], record.CounterChange?.Ended);
    }

    [Fact]
    public void A_late_non_terminal_snapshot_keeps_the_terminal_status_and_only_joins_the_ledger()
    {
        var current = Stored(Event(ExecutionStatus.Succeeded, "evt-1", 10, Details(("result", "ok"))));

        var record = Record(current, Snapshot(ExecutionStatus.InProgress, "s-1", 5, version: 2, details: Details(("step", "install"))));

        Assert.False(record.StateChanged);
        Assert.Equal(ExecutionStatus.Succeeded, record.Next.Status);
        Assert.Equal("ok", record.Next.StatusDetails["result"]);
        Assert.Equal(At(10), record.Next.LastChangedAt);
        Assert.Null(record.CounterChange);
        Assert.Equal(["s-1", "evt-1"], record.Next.Ledger.Select(entry => entry.ObservationId));
    }

    [Fact]
    public void Among_non_terminal_observations_the_higher_version_wins_whatever_the_arrival_order()
    {
        var newer = Snapshot(ExecutionStatus.InProgress, "s-3", 30, version: 3, details: Details(("progress", "60")));
        var older = Update(ExecutionStatus.InProgress, "u-2", 20, version: 2, details: Details(("progress", "30")));

        var newerFirst = Record(Stored(newer), older);
        var olderFirst = Record(Stored(older), newer);

        Assert.False(newerFirst.StateChanged);
        Assert.True(olderFirst.StateChanged);
        foreach (var next in new[] { newerFirst.Next, olderFirst.Next })
        {
            Assert.Equal(3, next.VersionNumber);
            Assert.Equal("60", next.StatusDetails["progress"]);
            Assert.Equal(At(30), next.LastChangedAt);
        }

        Assert.Null(olderFirst.CounterChange);
    }

    [Fact]
    public void The_version_outranks_the_event_time_among_non_terminal_observations()
    {
        var current = Stored(Snapshot(ExecutionStatus.InProgress, "s-3", 5, version: 3, details: Details(("step", "3"))));

        var record = Record(current, Snapshot(ExecutionStatus.InProgress, "s-2", 50, version: 2, details: Details(("step", "2"))));

        Assert.False(record.StateChanged);
        Assert.Equal("3", record.Next.StatusDetails["step"]);
    }

    [Fact]
    public void A_newer_execution_number_supersedes_an_older_terminal_status()
    {
        var current = Stored(Snapshot(ExecutionStatus.Failed, "s-1", 10, version: 4, executionNumber: 1));

        var record = Record(current, Snapshot(ExecutionStatus.Queued, "s-2", 20, version: 1, executionNumber: 2));

        Assert.True(record.StateChanged);
        Assert.Equal(ExecutionStatus.Queued, record.Next.Status);
        Assert.Equal(2, record.Next.ExecutionNumber);
        Assert.Equal(1, record.Next.VersionNumber);
        Assert.Equal(new CounterChange(ExecutionStatus.Failed, ExecutionStatus.Queued), record.CounterChange);
    }

    [Fact]
    public void An_older_execution_arriving_late_does_not_displace_the_newer_one()
    {
        var current = Stored(Snapshot(ExecutionStatus.Queued, "s-2", 20, version: 1, executionNumber: 2));

        var record = Record(current, Snapshot(ExecutionStatus.Failed, "s-1", 10, version: 4, executionNumber: 1));

        Assert.False(record.StateChanged);
        Assert.Equal(ExecutionStatus.Queued, record.Next.Status);
        Assert.Equal(2, record.Next.ExecutionNumber);
        Assert.Equal(1, record.Next.VersionNumber);
        Assert.Equal(2, record.Next.Ledger.Count);
        // The late failure of attempt 1 changes nothing an operator sees, but it is an attempt that ended: it counts.
        Assert.Equal((ExecutionStatus.Queued, ExecutionStatus.Queued), (record.CounterChange?.From, record.CounterChange?.To));
        Assert.Equal([new EndedAttemptChange(ExecutionStatus.Failed, EndedAttempts.MinuteOf(At(10)), 1)], record.CounterChange?.Ended);
    }

    [Fact]
    public void A_retry_known_only_by_its_event_supersedes_the_numbered_terminal_status_of_the_attempt_before()
    {
        // The operator saw attempt 1 fail (a numbered, versioned sighting); IoT retried it and the retry's
        // SUCCEEDED event carries neither number nor version. A terminal status is final, so a different terminal
        // status after it can only be a later attempt.
        var current = Stored(Snapshot(ExecutionStatus.Failed, "s-1", 10, version: 5, executionNumber: 1));

        var record = Record(current, Event(ExecutionStatus.Succeeded, "evt-2", 600));

        Assert.True(record.StateChanged);
        Assert.Equal(ExecutionStatus.Succeeded, record.Next.Status);
        Assert.Equal(At(600), record.Next.LastChangedAt);
        Assert.Null(record.Next.ExecutionNumber);
        Assert.Null(record.Next.VersionNumber);
        Assert.Equal((ExecutionStatus.Failed, ExecutionStatus.Succeeded), (record.CounterChange?.From, record.CounterChange?.To));
        // Attempt 1's failure stays counted; the retry's success is counted beside it.
        Assert.Equal([new EndedAttemptChange(ExecutionStatus.Succeeded, EndedAttempts.MinuteOf(At(600)), 1)], record.CounterChange?.Ended);
    }

    [Fact]
    public void The_event_of_a_numbered_terminal_status_stays_with_that_attempt_and_so_does_an_earlier_event()
    {
        var current = Stored(Snapshot(ExecutionStatus.Failed, "s-1", 10, version: 5, executionNumber: 1, details: Details(("code", "E1"))));

        var same = Record(current, Event(ExecutionStatus.Failed, "evt-1", 11));
        var earlier = Record(current, Event(ExecutionStatus.Rejected, "evt-0", 5));

        Assert.Equal(ExecutionStatus.Failed, same.Next.Status);
        Assert.Equal(1, same.Next.ExecutionNumber);
        Assert.Equal("E1", same.Next.StatusDetails["code"]);
        Assert.Equal(ExecutionStatus.Failed, earlier.Next.Status);
        Assert.Null(earlier.CounterChange);
    }

    [Fact]
    public void Of_two_sightings_of_one_terminal_status_the_one_with_a_version_supplies_the_details()
    {
        var current = Stored(Event(ExecutionStatus.Failed, "evt-1", 10, Details(("code", "E1"))));

        var record = Record(current, Snapshot(ExecutionStatus.Failed, "s-1", 10, version: 5, details: Details(("code", "E1"), ("retry", "no"))));

        Assert.True(record.StateChanged);
        Assert.Equal(ExecutionStatus.Failed, record.Next.Status);
        Assert.Equal("no", record.Next.StatusDetails["retry"]);
        Assert.Null(record.CounterChange);
    }

    [Fact]
    public void New_details_in_the_same_status_change_the_state_but_not_the_counters()
    {
        var current = Stored(Snapshot(ExecutionStatus.InProgress, "s-2", 10, version: 2, details: Details(("progress", "10"))));

        var record = Record(current, Update(ExecutionStatus.InProgress, "u-3", 20, version: 3, details: Details(("progress", "90"))));

        Assert.True(record.StateChanged);
        Assert.Equal(ExecutionStatus.InProgress, record.PreviousStatus);
        Assert.Null(record.CounterChange);
    }

    [Fact]
    public void A_reread_of_the_same_version_changes_nothing_but_the_ledger()
    {
        var current = Stored(Snapshot(ExecutionStatus.InProgress, "s-a", 10, version: 2, details: Details(("progress", "10"))));

        var record = Record(current, Snapshot(ExecutionStatus.InProgress, "s-b", 10, version: 2, details: Details(("progress", "10"))));

        Assert.False(record.StateChanged);
        Assert.Equal(2, record.Next.Ledger.Count);
    }

    [Fact]
    public void The_ledger_is_kept_in_event_time_order_whatever_the_arrival_order()
    {
        var observations = new[]
        {
            Event(ExecutionStatus.Succeeded, "evt-9", 30),
            Snapshot(ExecutionStatus.Queued, "s-1", 0, version: 1),
            Update(ExecutionStatus.InProgress, "u-2", 10, version: 2),
            Snapshot(ExecutionStatus.InProgress, "s-2", 10, version: 2),
        };

        ExecutionRecord? current = null;
        foreach (var observation in observations)
        {
            current = Record(current, observation).Next;
        }

        Assert.Equal(["s-1", "s-2", "u-2", "evt-9"], current!.Ledger.Select(entry => entry.ObservationId));
    }

    [Fact]
    public void Counters_move_from_the_old_status_to_the_new_and_never_go_negative()
    {
        var counts = new StatusCounts();
        ExecutionRecord? current = null;
        var observations = new[]
        {
            Snapshot(ExecutionStatus.Queued, "s-1", 0, version: 1),
            Snapshot(ExecutionStatus.InProgress, "s-2", 10, version: 2),
            Event(ExecutionStatus.Succeeded, "evt-1", 20),
            Update(ExecutionStatus.InProgress, "u-3", 15, version: 3),
            Snapshot(ExecutionStatus.Queued, "s-0", 1, version: 1),
        };

        foreach (var observation in observations)
        {
            var record = Record(current, observation);
            if (record.CounterChange is { } change)
            {
                counts.Apply(change);
            }

            current = record.Next;
            Assert.All(ExecutionStatuses.All, status => Assert.InRange(counts[status], 0, 1));
            Assert.Equal(1, counts.Total);
            Assert.Equal(1, counts[current.Status]);
        }

        Assert.Equal(ExecutionStatus.Succeeded, current!.Status);
    }

    [Fact]
    public void Resolving_an_empty_ledger_is_refused() =>
        Assert.Throws<ArgumentException>(() => ExecutionRules.Resolve(JobId, ThingName, [], 0));

    [Fact]
    public void The_latest_failure_is_the_most_recent_failed_timed_out_or_rejected_entry()
    {
        var record = Fold(
            Snapshot(ExecutionStatus.Failed, "s-1", 10, version: 3, executionNumber: 1),
            Snapshot(ExecutionStatus.TimedOut, "s-2", 40, version: 2, executionNumber: 2),
            Snapshot(ExecutionStatus.Queued, "s-3", 50, version: 1, executionNumber: 3));

        Assert.Equal(ExecutionStatus.Queued, record.Status);
        Assert.Equal("s-2", record.LatestFailure?.ObservationId);
        Assert.True(record.HasObserved("s-1"));
        Assert.False(record.HasObserved("S-1"));
    }

    [Fact]
    public void A_record_with_no_failure_has_no_latest_failure() =>
        Assert.Null(Fold(Snapshot(ExecutionStatus.InProgress, "s-1", 10, version: 2), Event(ExecutionStatus.Canceled, "evt-1", 20)).LatestFailure);

    [Fact]
    public void A_sighting_without_details_keeps_the_details_the_device_reported_even_when_it_wins()
    {
        var current = Stored(Snapshot(ExecutionStatus.Queued, "s-1", 0, version: 1, details: Details(("slot", "b"))));
        var summary = Snapshot(ExecutionStatus.InProgress, "list-1", 30, version: 0) with { VersionNumber = null, StatusDetails = Details(), DetailsKnown = false };

        var record = Record(current, summary);

        Assert.Equal(ExecutionStatus.InProgress, record.Next.Status);
        Assert.Equal("b", record.Next.StatusDetails["slot"]);
        Assert.Equal(1, record.Next.VersionNumber);
        Assert.Equal(new CounterChange(ExecutionStatus.Queued, ExecutionStatus.InProgress), record.CounterChange);
    }

    [Fact]
    public void A_later_stage_outranks_an_earlier_stage_whose_version_is_known()
    {
        var queued = Snapshot(ExecutionStatus.Queued, "s-1", 0, version: 1);
        var started = Snapshot(ExecutionStatus.InProgress, "list-1", 30, version: 0) with { VersionNumber = null, DetailsKnown = false };

        Assert.Equal(ExecutionStatus.InProgress, Fold(queued, started).Status);
        Assert.Equal(ExecutionStatus.InProgress, Fold(started, queued).Status);
    }

    [Fact]
    public void Observations_applied_together_end_in_the_record_they_end_in_one_by_one()
    {
        ExecutionObservation[] observations =
        [
            Snapshot(ExecutionStatus.Queued, "q", 0, version: 0) with { VersionNumber = null, DetailsKnown = false },
            Snapshot(ExecutionStatus.InProgress, "p", 10, version: 0) with { VersionNumber = null, DetailsKnown = false },
            Snapshot(ExecutionStatus.InProgress, "u", 20, version: 3, details: Details(("progress", "50"))),
        ];
        var current = Stored(Event(ExecutionStatus.Queued, "e-0", 0));

        var together = Record(current, observations);
        var oneByOne = observations.Aggregate(current, (record, observation) => Record(record, observation).Next);

        Assert.Equal(Generators.Canonical.Of(oneByOne), Generators.Canonical.Of(together.Next));
        Assert.Equal(new CounterChange(ExecutionStatus.Queued, ExecutionStatus.InProgress), together.CounterChange);
        Assert.IsType<RecordingDecision.Duplicate>(ExecutionRules.Apply(together.Next, observations, Now));
    }

    private static RecordingDecision.Record Record(ExecutionRecord? current, IReadOnlyCollection<ExecutionObservation> observations) =>
        Assert.IsType<RecordingDecision.Record>(ExecutionRules.Apply(current, observations, Now));

    private static RecordingDecision.Record Record(ExecutionRecord? current, ExecutionObservation observation) =>
        Assert.IsType<RecordingDecision.Record>(ExecutionRules.Apply(current, observation, Now));

    /// <summary>The record as the store would hand it back after saving it once.</summary>
    private static ExecutionRecord Stored(ExecutionObservation observation) => Record(null, observation).Next with { Revision = 1 };

    private static ExecutionRecord Fold(params ExecutionObservation[] observations) =>
        observations.Aggregate((ExecutionRecord?)null, (current, observation) => Record(current, observation).Next)!;
}
