using System.Globalization;
using System.Text;

namespace JobsFunctions.Aws.Dynamo;

/// <summary>
/// The records table's single-table layout. Keys are built only from validated identifiers (jobId and thingName
/// cannot contain '#'), so composite keys never collide.
/// <code>
/// item            PK              SK                  GSI1 ByStatus            GSI2 ByThing
/// execution       JOB#{job}       EXEC#{thing}        JOB#{job}#S#{status}     THING#{thing}
/// job             JOB#{job}       JOB
/// counter shard   JOB#{job}       COUNTS#{nn}
/// ended minute    JOB#{job}       ENDED#{minute}#{nn}
/// audit entry     JOB#{job}       AUDIT#{time}#{id}
/// policy          JOB#{job}       POLICY                                       POLICIES / JOB#{job}
/// job listing     JOB#{job}       LISTED                                       JOBS / {firstRecordedAt}#{job}
/// sweep lease     SWEEPER         LEASE
/// sweep cursor    SWEEPER         CURSOR#{name}
/// idempotency     IDEMPOTENCY#…   IDEMPOTENCY
/// </code>
/// There is no GSI3: an index of open executions by last change was written on every change and read by nothing.
/// </summary>
internal static class RecordsTableLayout
{
    public const string PartitionKeyAttribute = "PK";
    public const string SortKeyAttribute = "SK";
    public const string ByStatusIndex = "ByStatus";
    public const string ByThingIndex = "ByThing";

    public static string JobPartition(string jobId) => $"JOB#{jobId}";

    public static string ExecutionSort(string thingName) => $"EXEC#{thingName}";

    public const string ExecutionSortPrefix = "EXEC#";

    public const string JobSort = "JOB";

    public const string CounterSortPrefix = "COUNTS#";

    public static string CounterSort(int shard) => $"{CounterSortPrefix}{shard.ToString("D2", CultureInfo.InvariantCulture)}";

    public static string ByStatusPartition(string jobId, string status) => $"JOB#{jobId}#S#{status}";

    public static string ThingPartition(string thingName) => $"THING#{thingName}";

    public const string EndedMinuteSortPrefix = "ENDED#";

    /// <summary>
    /// A minute bucket of a job's ended attempts, in the counter shard of the things counted in it: a minute's items
    /// sort together and minutes sort in time order, so a window is one range of the job's partition.
    /// </summary>
    public static string EndedMinuteSort(DateTimeOffset minute, int shard) =>
        $"{EndedMinuteSortPrefix}{EndedMinuteText(minute)}#{shard.ToString("D2", CultureInfo.InvariantCulture)}";

    /// <summary>The UTC minute as fixed-width text (<c>2026-11-23T12:05</c>), so string order is time order.</summary>
    public static string EndedMinuteText(DateTimeOffset minute) =>
        minute.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm", CultureInfo.InvariantCulture);

    public const string PolicySort = "POLICY";

    /// <summary>The ByThing partition that lists every job with a policy (no thing partition starts without THING#).</summary>
    public const string PoliciesPartition = "POLICIES";

    /// <summary>
    /// The ByThing partition that lists every job the store knows, newest first: one entry per job, written once
    /// (a conditional put), never on a counter change.
    /// </summary>
    public const string JobsPartition = "JOBS";

    public const string ListedSort = "LISTED";

    public const string SweeperPartition = "SWEEPER";

    public const string LeaseSort = "LEASE";

    public static string CursorSort(string name) => $"CURSOR#{name}";

    /// <summary>UTC with a fixed width, so string order is time order.</summary>
    public static string SortableTime(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);

    /// <summary>The counter shard of a thing: stable across processes and releases (FNV-1a, not string.GetHashCode).</summary>
    public static int CounterShard(string thingName, int shards) => (int)(Fnv1a(thingName) % (uint)shards);

    private static uint Fnv1a(string text)
    {
        var hash = 2166136261u;
        foreach (var b in Encoding.UTF8.GetBytes(text))
        {
            hash = unchecked((hash ^ b) * 16777619u);
        }

        return hash;
    }
}
