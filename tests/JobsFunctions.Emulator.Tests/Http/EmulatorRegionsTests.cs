using JobsFunctions.Emulator.Http;
using JobsFunctions.Emulator.Model;

namespace JobsFunctions.Emulator.Tests.Http;

public sealed class EmulatorRegionsTests
{
    private readonly JobsEmulator _home = new(new EmulatorClock(frozen: true));

    private EmulatorRegions Regions() => new(_home, _ => []);

    [Fact]
    public void An_unsigned_request_and_one_signed_for_the_default_region_reach_the_given_emulator()
    {
        var regions = Regions();

        Assert.Same(_home, regions.For(null).Emulator);
        Assert.Same(_home, regions.For(JobsEmulator.DefaultRegion).Emulator);
    }

    [Fact]
    public void Each_region_gets_its_own_emulator_once_named_for_it_in_the_default_account()
    {
        var regions = Regions();

        var west = regions.For("us-west-2").Emulator;

        Assert.Same(west, regions.For("us-west-2").Emulator);
        Assert.NotSame(west, regions.For("eu-west-1").Emulator);
        Assert.Equal(("us-west-2", JobsEmulator.DefaultAccount), (west.Region, west.Account));
        Assert.Equal("arn:aws:iot:us-west-2:123456789012:thing/MotionSensor1", west.CreateThing("MotionSensor1", null).ThingArn);
        Assert.Equal(["eu-west-1", "us-east-1", "us-west-2"], regions.All.Select(e => e.Region).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void A_thing_made_in_one_region_is_not_found_in_another()
    {
        var regions = Regions();
        regions.For("us-west-2").Emulator.CreateThing("MotionSensor1", null);

        var error = Assert.Throws<EmulatorException>(() => regions.For("eu-west-1").Emulator.DescribeThing("MotionSensor1"));

        Assert.Equal(ErrorCodes.ResourceNotFound, error.Code);
        Assert.Throws<EmulatorException>(() => _home.DescribeThing("MotionSensor1"));
    }

    [Fact]
    public void Every_region_keeps_the_one_clock_so_moving_it_in_one_moves_it_in_all()
    {
        var regions = Regions();
        var west = regions.For("us-west-2").Emulator;
        var before = west.Tick();

        _home.Advance(TimeSpan.FromMinutes(5));

        Assert.Same(_home.Clock, west.Clock);
        Assert.Equal(before + TimeSpan.FromMinutes(5), west.Tick());
    }

    [Theory]
    [InlineData("us-west-2")]
    [InlineData("eu-central-1")]
    [InlineData("ap-southeast-4")]
    [InlineData("us-gov-west-1")]
    [InlineData("cn-northwest-1")]
    public void Real_region_names_are_served(string region) => Assert.Equal(region, Regions().For(region).Emulator.Region);

    [Theory]
    [InlineData("")]
    [InlineData("US-WEST-2")]
    [InlineData("us-west")]
    [InlineData("evil.com/")]
    [InlineData("us-west-2 ")]
    public void A_credential_scope_region_that_is_no_region_name_is_an_invalid_request(string region)
    {
        var error = Assert.Throws<EmulatorException>(() => Regions().For(region));

        Assert.Equal(ErrorCodes.InvalidRequest, error.Code);
    }

    [Fact]
    public void Regions_beyond_the_bound_are_refused_and_known_ones_still_served()
    {
        var regions = Regions();
        var served = Enumerable.Range(1, EmulatorRegions.MaxRegions - 1).Select(n => $"xx-test-{n}").ToList();
        foreach (var name in served)
        {
            regions.For(name);
        }

        var error = Assert.Throws<EmulatorException>(() => regions.For("zz-test-1"));

        Assert.Contains($"at most {EmulatorRegions.MaxRegions} regions", error.Message, StringComparison.Ordinal);
        Assert.Equal(served[^1], regions.For(served[^1]).Emulator.Region);
        Assert.Equal(EmulatorRegions.MaxRegions, regions.All.Count());
    }
}
