using Amazon;

namespace JobsFunctions.Aws.Iot;

/// <summary>
/// The product's one reading of an IoT thing's ARN (<c>arn:{partition}:iot:{region}:{account}:thing/{thingName}</c>,
/// https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsiot.html#awsiot-resources-for-iam-policies),
/// parsed with AWSSDK.Core's <see cref="Arn"/>: in any partition (aws, aws-cn, aws-us-gov…) and region, and the
/// name is the whole resource after <c>thing/</c>, colons included (a thing name may hold them).
/// </summary>
public static class ThingArns
{
    private const string ThingResource = "thing/";

    /// <summary>The thing's name, or null for anything that is not an IoT thing's ARN or names no thing.</summary>
    public static string? ThingName(string? thingArn) =>
        Arn.TryParse(thingArn!, out var arn)
            && arn.Service == "iot"
            && arn.Resource is { } resource
            && resource.StartsWith(ThingResource, StringComparison.Ordinal)
            && resource.Length > ThingResource.Length
            ? resource[ThingResource.Length..]
            : null;
}
