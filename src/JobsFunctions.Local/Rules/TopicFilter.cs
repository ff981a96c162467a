namespace JobsFunctions.Local.Rules;

/// <summary>
/// An MQTT topic filter as AWS IoT rules use it in <c>FROM '…'</c>: levels split by <c>/</c>, <c>+</c> matching exactly
/// one level, <c>#</c> (last, alone in its level) matching the level above and everything under it
/// (https://docs.aws.amazon.com/iot/latest/developerguide/topics.html#topicfilters).
/// </summary>
public sealed class TopicFilter
{
    private readonly string[] _levels;

    private TopicFilter(string text, string[] levels)
    {
        Text = text;
        _levels = levels;
    }

    public string Text { get; }

    /// <summary>Null with a reason when <paramref name="text"/> is not a valid topic filter.</summary>
    public static TopicFilter? TryParse(string text, out string? problem)
    {
        ArgumentNullException.ThrowIfNull(text);
        problem = null;
        if (text.Length == 0)
        {
            problem = "the topic filter is empty";
            return null;
        }

        var levels = text.Split('/');
        for (var i = 0; i < levels.Length; i++)
        {
            var level = levels[i];
            if (level.Contains('#', StringComparison.Ordinal) && (level != "#" || i != levels.Length - 1))
            {
                problem = "'#' must be alone in the last level";
                return null;
            }

            if (level.Contains('+', StringComparison.Ordinal) && level != "+")
            {
                problem = "'+' must be alone in its level";
                return null;
            }
        }

        return new TopicFilter(text, levels);
    }

    public bool Matches(string topic)
    {
        ArgumentNullException.ThrowIfNull(topic);

        // A wildcard in the first level never matches a topic that starts with '$' (MQTT 3.1.1, 4.7.2): such topics,
        // AWS IoT's reserved ones among them, are matched only by filters that spell '$…' out.
        if (topic.StartsWith('$') && _levels[0] is "+" or "#")
        {
            return false;
        }

        var levels = topic.Split('/');
        for (var i = 0; i < _levels.Length; i++)
        {
            if (_levels[i] == "#")
            {
                return true;
            }

            if (i >= levels.Length || (_levels[i] != "+" && !string.Equals(_levels[i], levels[i], StringComparison.Ordinal)))
            {
                return false;
            }
        }

        return levels.Length == _levels.Length;
    }

    public override string ToString() => Text;
}
