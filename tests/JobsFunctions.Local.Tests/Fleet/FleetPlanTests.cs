using JobsFunctions.Local.Fleet;

namespace JobsFunctions.Local.Tests.Fleet;

public sealed class FleetPlanTests
{
    [Fact]
    public void The_same_seed_gives_the_same_fleet_and_another_seed_another()
    {
        var first = FleetPlan.Create(500, FleetMix.Default, seed: 7);
        var again = FleetPlan.Create(500, FleetMix.Default, seed: 7);
        var other = FleetPlan.Create(500, FleetMix.Default, seed: 8);

        Assert.Equal(first, again);
        Assert.NotEqual(first.Select(device => device.Behaviour), other.Select(device => device.Behaviour));
    }

    [Fact]
    public void Each_behaviour_gets_its_share_of_the_fleet_exactly_and_the_rest_succeed()
    {
        var mix = new FleetMix(Fail: 0.1, Reject: 0.05, Hang: 0.02, StopReporting: 0.03, NeverStart: 0.2);

        var fleet = FleetPlan.Create(1000, mix, seed: 1);

        var counts = fleet.GroupBy(device => device.Behaviour).ToDictionary(group => group.Key, group => group.Count());
        Assert.Equal(100, counts[DeviceBehaviour.Fails]);
        Assert.Equal(50, counts[DeviceBehaviour.Rejects]);
        Assert.Equal(20, counts[DeviceBehaviour.Hangs]);
        Assert.Equal(30, counts[DeviceBehaviour.StopsReporting]);
        Assert.Equal(200, counts[DeviceBehaviour.NeverStarts]);
        Assert.Equal(600, counts[DeviceBehaviour.Succeeds]);
    }

    [Fact]
    public void Thing_names_are_distinct_and_sort_in_fleet_order()
    {
        var fleet = FleetPlan.Create(1000, FleetMix.Default, seed: 1);

        Assert.Equal(1000, fleet.Select(device => device.ThingName).Distinct(StringComparer.Ordinal).Count());
        Assert.Equal("sim-device-000", fleet[0].ThingName);
        Assert.Equal("sim-device-999", fleet[^1].ThingName);
    }

    [Theory]
    [InlineData(-0.1, 0, "each share must be from 0 to 1")]
    [InlineData(0.6, 0.5, "add up to more than the whole fleet")]
    public void A_mix_that_is_not_a_share_of_the_fleet_is_refused(double fail, double neverStart, string reason)
    {
        var mix = FleetMix.Default with { Fail = fail, NeverStart = neverStart };

        var error = Assert.Throws<ArgumentException>(() => FleetPlan.Create(10, mix, seed: 1));

        Assert.Contains(reason, error.Message);
    }
}
