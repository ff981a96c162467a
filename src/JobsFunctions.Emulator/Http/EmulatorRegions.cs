using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using JobsFunctions.Emulator.Model;

namespace JobsFunctions.Emulator.Http;

/// <summary>
/// One emulator per region callers sign for, each created on first use, so a job made in us-west-2 is not seen from
/// eu-west-1: AWS IoT resources belong to one account and region
/// (each region has its own IoT endpoints: https://docs.aws.amazon.com/general/latest/gr/iot-core.html).
/// The model stays single-region; this registry is the only thing that knows there are several. Every region
/// shares the default emulator's account and clock: the account because callers have no standard way to name one
/// apart from their credentials, the clock because time is the machine's, so <c>POST /_emulator/clock</c> moves
/// every region's (each catches up on its next call or tick). Unsigned requests go to the default region.
/// </summary>
internal sealed partial class EmulatorRegions
{
    /// <summary>More than every region AWS has (commercial, China and GovCloud), so a typo cannot grow state without end.</summary>
    public const int MaxRegions = 64;

    private readonly ConcurrentDictionary<string, RegionalEmulator> _regions = new(StringComparer.Ordinal);
    private readonly Func<JobsEmulator, IReadOnlyList<WireRoute>> _routes;
    private readonly object _adding = new();

    public EmulatorRegions(JobsEmulator defaultRegion, Func<JobsEmulator, IReadOnlyList<WireRoute>> routes)
    {
        ArgumentNullException.ThrowIfNull(defaultRegion);
        ArgumentNullException.ThrowIfNull(routes);
        _routes = routes;
        Default = new RegionalEmulator(defaultRegion, routes(defaultRegion));
        _regions[defaultRegion.Region] = Default;
    }

    public RegionalEmulator Default { get; }

    /// <summary>Every region created so far, the default first among them.</summary>
    public IEnumerable<JobsEmulator> All => _regions.Values.Select(regional => regional.Emulator);

    /// <summary>The region's emulator, created on first use; null (an unsigned request) is the default region.</summary>
    public RegionalEmulator For(string? region)
    {
        if (region is null)
        {
            return Default;
        }

        return _regions.TryGetValue(region, out var known) ? known : Add(region);
    }

    private RegionalEmulator Add(string region)
    {
        if (!RegionName().IsMatch(region))
        {
            throw EmulatorException.Invalid($"The credential scope names region '{region}', which is not a region name (e.g. us-west-2).");
        }

        lock (_adding)
        {
            if (_regions.TryGetValue(region, out var known))
            {
                return known;
            }

            if (_regions.Count >= MaxRegions)
            {
                throw EmulatorException.Invalid($"The emulator serves at most {MaxRegions} regions; '{region}' would be one more.");
            }

            var emulator = new JobsEmulator(Default.Emulator.Clock, region, Default.Emulator.Account);
            var added = new RegionalEmulator(emulator, _routes(emulator));
            _regions[region] = added;
            return added;
        }
    }

    /// <summary>Partition, area and number: us-west-2, eu-central-1, ap-southeast-4, cn-north-1, us-gov-west-1.</summary>
    [GeneratedRegex("^[a-z]{2}(-[a-z]+)+-[0-9]{1,2}$", RegexOptions.CultureInvariant)]
    private static partial Regex RegionName();
}

/// <summary>One region's emulator and the routes that serve it.</summary>
internal sealed record RegionalEmulator(JobsEmulator Emulator, IReadOnlyList<WireRoute> Routes);
