using JobsFunctions.Domain.Executions;
using JobsFunctions.Emulator.Model;
using JobsFunctions.Local.Fleet;

namespace JobsFunctions.Local.Tests.Fleet;

public sealed class FleetSimulatorTests
{
    private readonly JobsEmulator _emulator = new(new EmulatorClock(frozen: true));

    [Fact]
    public async Task Each_device_leaves_its_execution_in_the_status_its_behaviour_says()
    {
        var fleet = FleetPlan.Create(200, new FleetMix(Fail: 0.1, Reject: 0.05, Hang: 0.05, StopReporting: 0.05, NeverStart: 0.1), seed: 3);
        CreateJob(fleet, rollout: null);

        var simulator = await RunAsync(fleet, TimeSpan.FromMinutes(30));

        var expected = fleet.GroupBy(device => device.Behaviour).ToDictionary(group => group.Key, group => group.Count());
        var details = _emulator.DescribeJob("rollout").ProcessDetails;
        Assert.Equal(expected[DeviceBehaviour.Succeeds], details.Succeeded);
        Assert.Equal(expected[DeviceBehaviour.Fails], details.Failed);
        Assert.Equal(expected[DeviceBehaviour.Rejects], details.Rejected);
        Assert.Equal(expected[DeviceBehaviour.Hangs] + expected[DeviceBehaviour.StopsReporting], details.InProgress);
        Assert.Equal(expected[DeviceBehaviour.NeverStarts], details.Queued);
        var counts = simulator.Counts;
        Assert.Equal(200 - expected[DeviceBehaviour.NeverStarts], counts.Started);
        Assert.Equal(expected[DeviceBehaviour.Succeeds], counts.Finished["SUCCEEDED"]);
    }

    [Fact]
    public async Task A_device_reports_progress_in_statusDetails_before_its_final_status()
    {
        var fleet = FleetPlan.Create(1, FleetMix.Default with { Fail = 0, Reject = 0, Hang = 0, StopReporting = 0, NeverStart = 0 }, seed: 1);
        CreateJob(fleet, rollout: null);

        var simulator = await RunAsync(fleet, TimeSpan.FromMinutes(30));

        var device = fleet[0];
        var execution = _emulator.DescribeJobExecution("rollout", device.ThingName, null);
        Assert.Equal(ExecutionStatus.Succeeded, execution.Status);
        Assert.Equal($"{device.ProgressSteps + 1}/{device.ProgressSteps + 1}", execution.StatusDetails["progress"]);
        Assert.Equal(device.ProgressSteps, simulator.Counts.ProgressReports);
    }

    [Fact]
    public async Task Devices_wait_for_the_rollout_to_reach_them_polling_less_often_while_nothing_is_pending()
    {
        var fleet = FleetPlan.Create(100, FleetMix.Default with { Fail = 0, Reject = 0, Hang = 0, StopReporting = 0, NeverStart = 0 }, seed: 5);
        CreateJob(fleet, rollout: new RolloutConfig(MaximumPerMinute: 10, ExponentialRate: null));

        var simulator = await RunAsync(fleet, TimeSpan.FromMinutes(40));

        Assert.Equal(100, _emulator.DescribeJob("rollout").ProcessDetails.Succeeded);
        var counts = simulator.Counts;
        Assert.True(counts.Polls > 100, $"Devices the rollout had not reached yet should have polled again ({counts.Polls} polls).");
        Assert.True(counts.Polls < 100 * 10, $"Devices should back off while nothing is pending ({counts.Polls} polls over ten minutes of rollout).");
    }

    [Fact]
    public async Task A_device_whose_execution_was_canceled_stops_working_on_it()
    {
        var fleet = FleetPlan.Create(1, FleetMix.Default with { Fail = 0, Reject = 0, Hang = 1, StopReporting = 0, NeverStart = 0 }, seed: 1);
        CreateJob(fleet, rollout: null);
        var simulator = new FleetSimulator(fleet, new EmulatorDevices(_emulator), _emulator.Clock.Now);
        await RunUntilAsync(simulator, _emulator.Clock.Now + TimeSpan.FromMinutes(10));

        _emulator.CancelJobExecution("rollout", fleet[0].ThingName, force: true, expectedVersion: null, statusDetails: null);
        await RunUntilAsync(simulator, _emulator.Clock.Now + TimeSpan.FromMinutes(10));

        Assert.Equal(1, simulator.Counts.EndedUnderDevice);
        Assert.Null(simulator.NextDue);
        Assert.Equal(ExecutionStatus.Canceled, _emulator.DescribeJobExecution("rollout", fleet[0].ThingName, null).Status);
    }

    private void CreateJob(IReadOnlyList<DevicePlan> fleet, RolloutConfig? rollout)
    {
        foreach (var device in fleet)
        {
            _emulator.CreateThing(device.ThingName, null);
        }

        _emulator.CreateJob(new JobSpec
        {
            JobId = "rollout",
            Targets = [.. fleet.Select(device => $"arn:aws:iot:{_emulator.Region}:{_emulator.Account}:thing/{device.ThingName}")],
            Document = "{\"operation\":\"update\"}",
            Rollout = rollout,
        });
    }

    private async Task<FleetSimulator> RunAsync(IReadOnlyList<DevicePlan> fleet, TimeSpan duration)
    {
        var simulator = new FleetSimulator(fleet, new EmulatorDevices(_emulator), _emulator.Clock.Now);
        await RunUntilAsync(simulator, _emulator.Clock.Now + duration);
        return simulator;
    }

    // The virtual clock moves to each instant a device is due, so every call happens exactly when planned.
    private async Task RunUntilAsync(FleetSimulator simulator, DateTimeOffset until)
    {
        while (simulator.NextDue is { } due && due <= until)
        {
            if (due > _emulator.Clock.Now)
            {
                _emulator.Advance(due - _emulator.Clock.Now);
            }

            await simulator.StepAsync(_emulator.Clock.Now, TestContext.Current.CancellationToken);
        }

        if (until > _emulator.Clock.Now)
        {
            _emulator.Advance(until - _emulator.Clock.Now);
        }
    }
}
