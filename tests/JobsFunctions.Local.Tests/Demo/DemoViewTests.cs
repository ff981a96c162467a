using JobsFunctions.Domain.Executions;
using JobsFunctions.Local.Demo;
using JobsFunctions.Local.Fleet;
using JobsFunctions.Local.Rules;

namespace JobsFunctions.Local.Tests.Demo;

/// <summary>
/// The plain (non-terminal) view while the recorder drains after the rollout, fed a made-up drain second by second: it
/// keeps printing, recorded of delivered, retries, faults and the time left, and the summary says how long the drain took.
/// </summary>
public sealed class DemoViewTests
{
    private static readonly FleetCounts Fleet = new(300, 100, 200, new Dictionary<string, long>(), 0);
    private static readonly Dictionary<ExecutionStatus, int> Truth = new() { [ExecutionStatus.Succeeded] = 90, [ExecutionStatus.Failed] = 10 };

    [Fact]
    public async Task While_the_recorder_drains_a_line_comes_at_least_every_few_seconds_with_its_counts_and_the_time_left()
    {
        using var output = new StringWriter();
        var view = new DemoView(output, terminal: false);

        // 20,000 deliveries, 4,000 recorded when the drain begins, 400 more each second: 40 s to go at the start.
        await view.ShowAsync(progress =>
        {
            for (var second = 1; second <= 40; second++)
            {
                var recorder = new AsyncInvocationCounts(20_000, 4_000 + (second * 400) + second, second, 4_000 + (second * 400), 0);
                progress(Moment(TimeSpan.FromSeconds(60 + second)) with
                {
                    Drain = DrainProgress.Measure(TimeSpan.FromSeconds(second), 4_000, recorder, faults: second * 3),
                });
            }

            return Task.FromResult(0);
        });

        var lines = output.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        var seconds = lines.Select(line => double.Parse(line.Split('|')[1].Split(" s]")[0], System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.True(lines.Length >= 40 / DemoView.DrainLineEvery.TotalSeconds, output.ToString());
        Assert.All(seconds.Zip(seconds.Skip(1)), pair => Assert.InRange(pair.Second - pair.First, 0.1, DemoView.DrainLineEvery.TotalSeconds));
        Assert.Equal("[  70 min |  61.0 s] recorder draining 1 s: recorded 4,400 of 20,000 delivered, 1 retries, 3 DynamoDB faults; about 39 s left", lines[0]);
        Assert.EndsWith("recorded 20,000 of 20,000 delivered, 40 retries, 120 DynamoDB faults; done", lines[^1], StringComparison.Ordinal);
    }

    [Fact]
    public void The_time_left_follows_the_pace_since_the_drain_began_and_is_unknown_before_anything_finished()
    {
        var stuck = DrainProgress.Measure(TimeSpan.FromSeconds(5), 100, new AsyncInvocationCounts(1_000, 150, 50, 100, 0), faults: 50);
        var moving = DrainProgress.Measure(TimeSpan.FromSeconds(10), 100, new AsyncInvocationCounts(1_000, 400, 0, 290, 10), faults: 0);

        Assert.Null(stuck.Left);
        Assert.Equal("recorder draining 5 s: recorded 100 of 1,000 delivered, 50 retries, 50 DynamoDB faults; time left not known yet", DemoView.DrainLine(stuck));
        Assert.Equal(TimeSpan.FromSeconds(35), moving.Left);
        Assert.Equal("recorder draining 10 s: recorded 290 of 1,000 delivered, 10 to the failure queue, 0 retries, 0 DynamoDB faults; about 35 s left", DemoView.DrainLine(moving));
        Assert.Contains("about 4 min left", DemoView.DrainLine(moving with { Left = TimeSpan.FromSeconds(200) }), StringComparison.Ordinal);
    }

    [Fact]
    public void The_summary_says_how_long_the_drain_took()
    {
        using var output = new StringWriter();
        var store = new Dictionary<ExecutionStatus, long> { [ExecutionStatus.Succeeded] = 90, [ExecutionStatus.Failed] = 10 };
        var report = new DemoReport(
            "fw", "COMPLETED", 100, TimeSpan.FromMinutes(70), TimeSpan.FromSeconds(48.5), Truth, store, store,
            [ExecutionStatus.Succeeded, ExecutionStatus.Failed], 100, 250, Fleet, 100, 0, 100, new AsyncInvocationCounts(100, 100, 0, 100, 0),
            [], null, 5, new Dictionary<string, long>(), new Uri("http://127.0.0.1:8080/"), new Uri("http://127.0.0.1:8090/"))
        {
            DrainElapsed = TimeSpan.FromSeconds(31.2),
        };

        new DemoView(output, terminal: false).WriteSummary(report);

        // The table wraps its cells at the console's width: read the text across its borders.
        var text = System.Text.RegularExpressions.Regex.Replace(output.ToString(), @"[\s│|]+", " ");
        Assert.Contains("Time 70 virtual minutes in 48.5 s, of which 31.2 s the recorder's drain after the rollout", text, StringComparison.Ordinal);
    }

    private static DemoProgress Moment(TimeSpan wall) =>
        new(TimeSpan.FromMinutes(70), wall, "COMPLETED", Truth, Fleet, 20_000, new AsyncInvocationCounts(0, 0, 0, 0, 0), 7);
}
