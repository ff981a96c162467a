namespace JobsFunctions.Local.Soak;

/// <summary>What a soak is asked to do.</summary>
/// <param name="Days">Account time to play, in days of the emulator's clock.</param>
/// <param name="RateMinutes">The sweeper's schedule, a run every N minutes; null: the template's schedule.</param>
/// <param name="Seed">Decides which calls the emulator and the DynamoDB proxy fail: the same seed fails the same calls.</param>
/// <param name="ThrottleRate">The share of IoT calls answered 429 ThrottlingException.</param>
/// <param name="ServerErrorRate">The share of IoT calls answered 500 InternalFailureException.</param>
/// <param name="DynamoFaults">The share of the recorder's DynamoDB requests that fail (throttling, 500s).</param>
/// <param name="ItemBoundBytes">The bound no stored item may exceed, by DynamoDB's item-size rules.</param>
public sealed record SoakOptions(
    double Days = SoakOptions.DefaultDays,
    int? RateMinutes = null,
    int Seed = 1,
    double ThrottleRate = SoakOptions.DefaultThrottleRate,
    double ServerErrorRate = SoakOptions.DefaultServerErrorRate,
    double DynamoFaults = SoakOptions.DefaultDynamoFaults,
    int ItemBoundBytes = SoakOptions.DefaultItemBoundBytes)
{
    public const double DefaultDays = 7;

    // Low enough that four attempts (the IoT client's retries) all failing stays rarer than once in a seven-day soak
    // (0.035^4 per call, about 50,000 calls), high enough that every day sees hundreds of throttled answers.
    public const double DefaultThrottleRate = 0.03;
    public const double DefaultServerErrorRate = 0.005;
    public const double DefaultDynamoFaults = 0.05;

    /// <summary>
    /// A heartbeating execution's item (keys, status, times, ten statusDetails entries and a bounded ledger) stays
    /// well inside this; DynamoDB's own limit is 400 KB, and a write costs one unit per KB.
    /// </summary>
    public const int DefaultItemBoundBytes = 16 * 1024;

    /// <summary>How far the heartbeating item may differ between the first checkpoint and the last (a few ledger entries).</summary>
    public const int HeartbeatToleranceBytes = 1024;
}
