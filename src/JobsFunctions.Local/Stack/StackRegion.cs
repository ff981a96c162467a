using System.Text.RegularExpressions;

namespace JobsFunctions.Local.Stack;

/// <summary>
/// The region <c>demo</c> and <c>serve</c> run the product in, as a deploy runs it in one: the functions sign for it,
/// the table is made there, and the emulator's jobs and events there are the ones the rules deliver.
/// </summary>
public static partial class StackRegion
{
    /// <summary>The region of AWS's CLI reference examples' ARNs (arn:aws:iot:us-west-2:123456789012:thing/MotionSensor1).</summary>
    public const string ReferenceExamples = "us-west-2";

    private static readonly string[] EnvironmentVariables = ["AWS_REGION", "AWS_DEFAULT_REGION"];

    /// <summary>
    /// The region the caller's environment names, read as the AWS SDKs and CLI v2 read it (AWS_REGION, then
    /// AWS_DEFAULT_REGION), so the <c>aws</c> commands of the same shell sign for the stack's region; else the
    /// reference examples' region, so their ARNs work as printed.
    /// </summary>
    public static string FromEnvironment(Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        return EnvironmentVariables
            .Select(name => environment(name)?.Trim())
            .FirstOrDefault(value => !string.IsNullOrEmpty(value)) ?? ReferenceExamples;
    }

    /// <summary>Whether <paramref name="region"/> is shaped like an AWS region name (us-west-2, eu-central-1, us-gov-west-1).</summary>
    public static bool IsValid(string? region) => region is not null && Name().IsMatch(region);

    [GeneratedRegex("^[a-z]{2}(-[a-z]+)+-[0-9]{1,2}$", RegexOptions.CultureInvariant)]
    private static partial Regex Name();
}
