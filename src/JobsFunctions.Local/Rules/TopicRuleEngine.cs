namespace JobsFunctions.Local.Rules;

/// <summary>
/// The template's topic rules at work: a message published on a topic goes to the function of every enabled rule
/// whose topic filter matches it. Every rule here is <c>SELECT *</c>, so the function's event is the message itself,
/// and IoT's Lambda action invokes asynchronously
/// (https://docs.aws.amazon.com/iot/latest/developerguide/lambda-rule-action.html).
/// </summary>
public sealed class TopicRuleEngine
{
    private readonly IReadOnlyList<TopicRule> _rules;
    private readonly IReadOnlyDictionary<string, AsyncInvocations> _functions;
    private long _published;
    private long _matched;

    /// <param name="functions">Each rule's function, by its logical id in the template.</param>
    public TopicRuleEngine(IReadOnlyList<TopicRule> rules, IReadOnlyDictionary<string, AsyncInvocations> functions)
    {
        ArgumentNullException.ThrowIfNull(rules);
        ArgumentNullException.ThrowIfNull(functions);
        if (rules.FirstOrDefault(rule => !functions.ContainsKey(rule.FunctionLogicalId)) is { } unserved)
        {
            throw new ArgumentException($"Topic rule {unserved.Name} invokes {unserved.FunctionLogicalId}, which is not running.", nameof(functions));
        }

        _rules = rules;
        _functions = functions;
    }

    /// <summary>Messages published, and rule deliveries made (one message may match several rules, or none).</summary>
    public (long Published, long Delivered) Counts => (Interlocked.Read(ref _published), Interlocked.Read(ref _matched));

    /// <returns>How many rules the message matched.</returns>
    public int Publish(string topic, ReadOnlyMemory<byte> payload)
    {
        ArgumentNullException.ThrowIfNull(topic);
        Interlocked.Increment(ref _published);
        var matched = 0;
        foreach (var rule in _rules)
        {
            if (rule.Filter.Matches(topic))
            {
                _functions[rule.FunctionLogicalId].Enqueue(payload);
                matched++;
            }
        }

        Interlocked.Add(ref _matched, matched);
        return matched;
    }
}
