using System.Globalization;
using System.Text.RegularExpressions;

namespace JobsFunctions.Local.Demo;

/// <summary>
/// An EventBridge rate expression, <c>rate(value unit)</c>
/// (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-scheduled-rule-pattern.html#eb-rate-expressions).
/// Cron expressions are refused: the local stack plays rates only.
/// </summary>
public static partial class ScheduleRate
{
    public static TimeSpan Parse(string expression)
    {
        ArgumentNullException.ThrowIfNull(expression);
        var match = Rate().Match(expression);
        if (!match.Success)
        {
            throw new LocalStackException($"The schedule \"{expression}\" is not a rate expression (rate(N minutes)); the local stack plays rates only.");
        }

        var value = int.Parse(match.Groups["value"].Value, CultureInfo.InvariantCulture);
        var unit = match.Groups["unit"].Value;

        // A value of 1 takes the singular unit, any other value the plural, as EventBridge requires.
        if (value == 0 || (value == 1) != !unit.EndsWith('s'))
        {
            throw new LocalStackException($"The schedule \"{expression}\" is not a valid rate: use rate(1 minute) or rate(N minutes) with N above 1.");
        }

        return unit.TrimEnd('s') switch
        {
            "minute" => TimeSpan.FromMinutes(value),
            "hour" => TimeSpan.FromHours(value),
            _ => TimeSpan.FromDays(value),
        };
    }

    [GeneratedRegex(@"^rate\((?<value>\d+) (?<unit>minutes?|hours?|days?)\)$", RegexOptions.CultureInvariant)]
    private static partial Regex Rate();
}
