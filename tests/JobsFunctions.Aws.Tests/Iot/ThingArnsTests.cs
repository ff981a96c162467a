using JobsFunctions.Aws.Iot;

namespace JobsFunctions.Aws.Tests.Iot;

public sealed class ThingArnsTests
{
    [Theory]
    [InlineData("arn:aws:iot:eu-west-1:123456789012:thing/t1", "t1")]
    [InlineData("arn:aws:iot:us-west-2:123456789012:thing/MotionSensor1", "MotionSensor1")]
    [InlineData("arn:aws:iot:eu-west-1:123456789012:thing/line:3:pump", "line:3:pump")]
    [InlineData("arn:aws:iot:eu-west-1:123456789012:thing/a:thing/b", "a:thing/b")]
    [InlineData("arn:aws-cn:iot:cn-north-1:123456789012:thing/x_y-z", "x_y-z")]
    [InlineData("arn:aws-us-gov:iot:us-gov-west-1:123456789012:thing/gov-1", "gov-1")]
    public void A_thing_name_is_the_whole_resource_after_thing_in_any_partition(string arn, string name) =>
        Assert.Equal(name, ThingArns.ThingName(arn));

    [Theory]
    [InlineData("arn:aws:iot:eu-west-1:123456789012:thing/")]
    [InlineData("arn:aws:iot:eu-west-1:123456789012:thinggroup/g")]
    [InlineData("arn:aws:iot:eu-west-1:123456789012:job/fw-2026-11")]
    [InlineData("arn:aws:iot:eu-west-1:111122223333:myThing/6d639fbc-8f85-4a90-924d-a2867f8366a7")]
    [InlineData("arn:aws:s3:eu-west-1:123456789012:thing/t1")]
    [InlineData("arn:aws:iot:eu-west-1:thing/t1")]
    [InlineData("arn::iot:eu-west-1:123456789012:thing/t1")]
    [InlineData("aws:iot:eu-west-1:123456789012:thing/t1")]
    [InlineData("prefix:thing/t1")]
    [InlineData("")]
    [InlineData(null)]
    public void Anything_but_a_thing_ARN_names_no_thing(string? arn) =>
        Assert.Null(ThingArns.ThingName(arn));
}
