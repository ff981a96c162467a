namespace JobsFunctions.Emulator.Http;

/// <summary>
/// One way the emulator refuses calls on purpose: calls to <paramref name="Operation"/> (of either plane; for one job
/// when <paramref name="JobId"/> is set) are answered with <paramref name="Code"/> and HTTP <paramref name="Status"/>
/// at the share <paramref name="Rate"/>, before they reach the model (nothing changes, as when AWS throttles).
/// </summary>
public sealed record FaultRule(string Operation, string? JobId, string Code, int Status, double Rate)
{
    /// <summary>The operation that stands for every AWS operation of either plane.</summary>
    public const string AnyOperation = "*";

    public bool Matches(string operation, string? jobId) =>
        (Operation == AnyOperation || Operation == operation) && (JobId is null || JobId == jobId);

    /// <summary>Null when the rule can be applied, else what is wrong with it.</summary>
    public string? Problem() =>
        string.IsNullOrEmpty(Operation) ? "operation is required"
        : string.IsNullOrEmpty(Code) ? "code is required"
        : Status is < 400 or > 599 ? $"status must be an HTTP error status from 400 to 599, got {Status}"
        : double.IsNaN(Rate) || Rate is < 0 or > 1 ? $"rate must be from 0 to 1, got {Rate}"
        : null;
}

/// <summary>
/// The faults the emulator injects, drawn from one random sequence seeded by the caller: the same seed and the same
/// calls in the same order fail the same calls. Every rule that matches a call draws once, in the order the rules
/// were given; the first whose draw falls under its rate answers the call.
/// </summary>
public sealed class WireFaults
{
    private readonly object _gate = new();
    private IReadOnlyList<FaultRule> _rules = [];
    private Random _random = new(0);
    private int _seed;

    public IReadOnlyList<FaultRule> Rules
    {
        get
        {
            lock (_gate)
            {
                return _rules;
            }
        }
    }

    public int Seed
    {
        get
        {
            lock (_gate)
            {
                return _seed;
            }
        }
    }

    /// <summary>Replaces every rule and restarts the random sequence at <paramref name="seed"/>.</summary>
    public void Set(IReadOnlyList<FaultRule> rules, int seed)
    {
        ArgumentNullException.ThrowIfNull(rules);
        if (rules.Select(rule => rule.Problem()).FirstOrDefault(problem => problem is not null) is { } problem)
        {
            throw new ArgumentException(problem, nameof(rules));
        }

        lock (_gate)
        {
            _rules = [.. rules];
            _seed = seed;
            _random = new Random(seed);
        }
    }

    public void Clear() => Set([], 0);

    /// <summary>The rule that refuses this call, or null when it goes through.</summary>
    public FaultRule? Draw(string operation, string? jobId)
    {
        lock (_gate)
        {
            foreach (var rule in _rules)
            {
                if (rule.Matches(operation, jobId) && _random.NextDouble() < rule.Rate)
                {
                    return rule;
                }
            }
        }

        return null;
    }
}
