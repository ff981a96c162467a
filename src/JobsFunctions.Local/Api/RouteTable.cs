namespace JobsFunctions.Local.Api;

/// <summary>A route that matched a request: its route key as API Gateway names it and the decoded path parameters.</summary>
public sealed record RouteMatch(string RouteKey, IReadOnlyDictionary<string, string> PathParameters);

/// <summary>
/// API Gateway's route selection for an HTTP API: a route key is <c>METHOD /literal/{param}</c> (<c>{name+}</c>
/// takes the rest of the path, method <c>ANY</c> takes every method). When several match, the most specific wins:
/// a literal segment beats a parameter, which beats a greedy parameter, and a named method beats <c>ANY</c>.
/// Matching is on the raw path split at <c>/</c>, so an encoded <c>%2F</c> stays inside its parameter's value.
/// </summary>
public sealed class RouteTable
{
    private readonly List<Route> _routes;

    public RouteTable(IEnumerable<string> routeKeys)
    {
        ArgumentNullException.ThrowIfNull(routeKeys);
        _routes = routeKeys.Select(Route.Parse).ToList();
    }

    public IReadOnlyList<string> RouteKeys => _routes.Select(route => route.Key).ToList();

    public RouteMatch? Match(string method, string rawPath)
    {
        ArgumentNullException.ThrowIfNull(method);
        ArgumentNullException.ThrowIfNull(rawPath);
        var segments = rawPath.TrimStart('/').Split('/');
        RouteMatch? best = null;
        int[]? bestRank = null;
        foreach (var route in _routes)
        {
            if (route.TryMatch(method, segments) is not { } parameters)
            {
                continue;
            }

            var rank = route.Rank;
            if (bestRank is null || rank.AsSpan().SequenceCompareTo(bestRank) > 0)
            {
                best = new RouteMatch(route.Key, parameters);
                bestRank = rank;
            }
        }

        return best;
    }

    private sealed record Segment(string Text, bool IsParameter, bool IsGreedy)
    {
        public string Name => IsGreedy ? Text[1..^2] : Text[1..^1];
    }

    private sealed class Route
    {
        private Route(string key, string method, List<Segment> segments)
        {
            Key = key;
            Method = method;
            Segments = segments;
            // Compared segment by segment: 2 literal, 1 parameter, 0 greedy; then a named method over ANY.
            Rank = [.. segments.Select(segment => segment.IsGreedy ? 0 : segment.IsParameter ? 1 : 2), method == "ANY" ? 0 : 1];
        }

        public string Key { get; }

        public string Method { get; }

        public List<Segment> Segments { get; }

        public int[] Rank { get; }

        public static Route Parse(string key)
        {
            var parts = key.Split(' ', 2, StringSplitOptions.TrimEntries);
            if (parts.Length != 2 || !parts[1].StartsWith('/'))
            {
                throw new FormatException($"'{key}' is not a route key: expected 'METHOD /path'.");
            }

            var segments = parts[1].TrimStart('/').Split('/')
                .Select(text => new Segment(text, text.StartsWith('{') && text.EndsWith('}'), text.EndsWith("+}", StringComparison.Ordinal)))
                .ToList();
            if (segments.SkipLast(1).Any(segment => segment.IsGreedy))
            {
                throw new FormatException($"'{key}': a greedy parameter must be the last segment.");
            }

            return new Route(key, parts[0].ToUpperInvariant(), segments);
        }

        public Dictionary<string, string>? TryMatch(string method, string[] rawSegments)
        {
            if (Method != "ANY" && !string.Equals(Method, method, StringComparison.OrdinalIgnoreCase))
            {
                return null;
            }

            var greedy = Segments.Count > 0 && Segments[^1].IsGreedy;
            if (greedy ? rawSegments.Length < Segments.Count : rawSegments.Length != Segments.Count)
            {
                return null;
            }

            var parameters = new Dictionary<string, string>(StringComparer.Ordinal);
            for (var i = 0; i < Segments.Count; i++)
            {
                var segment = Segments[i];
                if (segment.IsGreedy)
                {
                    parameters[segment.Name] = Uri.UnescapeDataString(string.Join('/', rawSegments[i..]));
                    return parameters;
                }

                var value = Uri.UnescapeDataString(rawSegments[i]);
                if (segment.IsParameter)
                {
                    if (value.Length == 0)
                    {
                        return null;
                    }

                    parameters[segment.Name] = value;
                }
                else if (!string.Equals(segment.Text, value, StringComparison.Ordinal))
                {
                    return null;
                }
            }

            return parameters;
        }
    }
}
