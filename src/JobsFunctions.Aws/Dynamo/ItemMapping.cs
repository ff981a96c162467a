using System.Globalization;
using Amazon.DynamoDBv2.Model;
using JobsFunctions.Domain.Executions;
using JobsFunctions.Domain.Jobs;
using JobsFunctions.Domain.Policies;
using JobsFunctions.Domain.Recording;
using static JobsFunctions.Aws.Dynamo.RecordsTableLayout;

namespace JobsFunctions.Aws.Dynamo;

/// <summary>Maps domain records to DynamoDB items and back. The only place that knows attribute names.</summary>
internal static class ItemMapping
{
    public const string Revision = "rev";

    public static Dictionary<string, AttributeValue> ToItem(ExecutionRecord record, long revision, StoreOptions options)
    {
        var status = record.Status.ToWire();
        var item = new Dictionary<string, AttributeValue>
        {
            [PartitionKeyAttribute] = S(JobPartition(record.JobId)),
            [SortKeyAttribute] = S(ExecutionSort(record.ThingName)),
            ["GSI1PK"] = S(ByStatusPartition(record.JobId, status)),
            ["GSI1SK"] = S(record.ThingName),
            ["GSI2PK"] = S(ThingPartition(record.ThingName)),
            ["GSI2SK"] = S(JobPartition(record.JobId)),
            ["kind"] = S("execution"),
            ["jobId"] = S(record.JobId),
            ["thingName"] = S(record.ThingName),
            ["status"] = S(status),
            ["statusDetails"] = Map(record.StatusDetails),
            ["lastChangedAt"] = S(SortableTime(record.LastChangedAt)),
            ["ledger"] = new AttributeValue { L = record.Ledger.Select(ToAttribute).ToList() },
            [Revision] = N(revision),
        };
        if (record.VersionNumber is { } version)
        {
            item["versionNumber"] = N(version);
        }

        if (record.ExecutionNumber is { } execution)
        {
            item["executionNumber"] = N(execution);
        }

        if (record.IsTerminal && options.LedgerRetention is { } retention)
        {
            // The terminal state's time is the winning ledger entry's: when IoT reported the change, never when it
            // was recorded.
            item["expiresAt"] = N((record.LastChangedAt + retention).ToUnixTimeSeconds());
        }

        return item;
    }

    public static ExecutionRecord ToExecution(Dictionary<string, AttributeValue> item) => new(
        item["jobId"].S,
        item["thingName"].S,
        ParseExecutionStatus(item["status"].S),
        ToDetails(item.GetValueOrDefault("statusDetails")),
        OptionalLong(item, "versionNumber"),
        OptionalLong(item, "executionNumber"),
        ParseTime(item["lastChangedAt"].S),
        (item.GetValueOrDefault("ledger")?.L ?? []).Select(ToLedgerEntry).ToList(),
        long.Parse(item[Revision].N, CultureInfo.InvariantCulture));


    /// <summary>
    /// A policy as attributes, enums by their wire names (so a rename in code never makes a stored policy unreadable),
    /// numbers as DynamoDB numbers; listed through the ByThing index under one fixed partition.
    /// </summary>
    public static Dictionary<string, AttributeValue> ToItem(StoredPolicy stored)
    {
        var policy = stored.Policy;
        var item = new Dictionary<string, AttributeValue>
        {
            [PartitionKeyAttribute] = S(JobPartition(stored.JobId)),
            [SortKeyAttribute] = S(PolicySort),
            ["GSI2PK"] = S(PoliciesPartition),
            ["GSI2SK"] = S(JobPartition(stored.JobId)),
            ["kind"] = S("policy"),
            ["jobId"] = S(stored.JobId),
            ["dryRun"] = new AttributeValue { BOOL = policy.DryRun },
            ["abortCriteria"] = new AttributeValue { L = policy.AbortCriteria.Select(ToAttribute).ToList() },
            ["updatedAt"] = S(SortableTime(stored.UpdatedAt)),
            ["updatedBy"] = S(stored.UpdatedBy),
            [Revision] = N(stored.Revision),
        };
        if (policy.Timeouts is { } timeouts)
        {
            var map = new Dictionary<string, AttributeValue> { ["action"] = S(PolicyWireNames.Of(timeouts.Action)) };
            SetOptional(map, "queuedTimeoutInMinutes", timeouts.QueuedTimeoutInMinutes);
            SetOptional(map, "inProgressTimeoutInMinutes", timeouts.InProgressTimeoutInMinutes);
            SetOptional(map, "noProgressTimeoutInMinutes", timeouts.NoProgressTimeoutInMinutes);
            item["timeouts"] = new AttributeValue { M = map };
        }

        return item;
    }

    public static StoredPolicy ToPolicy(Dictionary<string, AttributeValue> item)
    {
        var timeouts = item.GetValueOrDefault("timeouts")?.M is { } map
            ? new PolicyTimeouts(
                OptionalInt(map, "queuedTimeoutInMinutes"),
                OptionalInt(map, "inProgressTimeoutInMinutes"),
                OptionalInt(map, "noProgressTimeoutInMinutes"),
                PolicyWireNames.TimeoutAction(map["action"].S))
            : null;
        var policy = new JobPolicy(
            item.GetValueOrDefault("dryRun")?.BOOL ?? false,
            (item.GetValueOrDefault("abortCriteria")?.L ?? []).Select(value => ToCriterion(value.M)).ToList(),
            timeouts);
        return new StoredPolicy(
            item["jobId"].S,
            policy,
            long.Parse(item[Revision].N, CultureInfo.InvariantCulture),
            ParseTime(item["updatedAt"].S),
            item["updatedBy"].S);
    }

    private static AttributeValue ToAttribute(AbortCriterion criterion)
    {
        var map = new Dictionary<string, AttributeValue>
        {
            ["failureType"] = S(PolicyWireNames.Of(criterion.FailureType)),
            ["force"] = new AttributeValue { BOOL = criterion.Force },
        };
        if (criterion.ThresholdPercentage is { } percentage)
        {
            map["thresholdPercentage"] = new AttributeValue { N = percentage.ToString(CultureInfo.InvariantCulture) };
        }

        SetOptional(map, "minNumberOfExecutedThings", criterion.MinNumberOfExecutedThings);
        SetOptional(map, "thresholdCount", criterion.ThresholdCount);
        SetOptional(map, "windowInMinutes", criterion.WindowInMinutes);
        SetOptional(map, "consecutiveFailures", criterion.ConsecutiveFailures);
        return new AttributeValue { M = map };
    }

    private static AbortCriterion ToCriterion(Dictionary<string, AttributeValue> map) => new(
        PolicyWireNames.FailureType(map["failureType"].S),
        map.GetValueOrDefault("force")?.BOOL ?? false,
        map.GetValueOrDefault("thresholdPercentage")?.N is { } percentage ? decimal.Parse(percentage, NumberStyles.Float, CultureInfo.InvariantCulture) : null,
        OptionalInt(map, "minNumberOfExecutedThings"),
        OptionalInt(map, "thresholdCount"),
        OptionalInt(map, "windowInMinutes"),
        OptionalInt(map, "consecutiveFailures"));

    public static Dictionary<string, AttributeValue> ToItem(JobRecord record, long revision)
    {
        var item = new Dictionary<string, AttributeValue>
        {
            [PartitionKeyAttribute] = S(JobPartition(record.JobId)),
            [SortKeyAttribute] = S(JobSort),
            ["kind"] = S("job"),
            ["jobId"] = S(record.JobId),
            ["status"] = S(record.Status.ToWire()),
            ["lastChangedAt"] = S(SortableTime(record.LastChangedAt)),
            ["targets"] = new AttributeValue { L = record.Targets.Select(S).ToList() },
            ["history"] = new AttributeValue { L = record.History.Select(ToAttribute).ToList() },
            [Revision] = N(revision),
        };
        SetOptional(item, "comment", record.Comment);
        SetOptional(item, "reasonCode", record.ReasonCode);
        SetOptional(item, "description", record.Description);
        SetOptional(item, "targetSelection", record.TargetSelection);
        SetOptional(item, "createdAt", record.CreatedAt);
        SetOptional(item, "completedAt", record.CompletedAt);
        if (record.ReportedProcessDetails is { } reported)
        {
            item["reportedProcessDetails"] = new AttributeValue { M = reported.ToDictionary(pair => pair.Key, pair => N(pair.Value)) };
        }

        return item;
    }

    public static JobRecord ToJob(Dictionary<string, AttributeValue> item) => new(
        item["jobId"].S,
        ParseJobStatus(item["status"].S),
        ParseTime(item["lastChangedAt"].S),
        OptionalString(item, "comment"),
        OptionalString(item, "reasonCode"),
        OptionalString(item, "description"),
        OptionalString(item, "targetSelection"),
        (item.GetValueOrDefault("targets")?.L ?? []).Select(value => value.S).ToList(),
        OptionalTime(item, "createdAt"),
        OptionalTime(item, "completedAt"),
        item.GetValueOrDefault("reportedProcessDetails")?.M?.ToDictionary(pair => pair.Key, pair => long.Parse(pair.Value.N, CultureInfo.InvariantCulture)),
        (item.GetValueOrDefault("history")?.L ?? []).Select(value => ToJobObservation(item["jobId"].S, value.M)).ToList(),
        long.Parse(item[Revision].N, CultureInfo.InvariantCulture));

    private static AttributeValue ToAttribute(LedgerEntry entry)
    {
        var map = new Dictionary<string, AttributeValue>
        {
            ["id"] = S(entry.ObservationId),
            ["status"] = S(entry.Status.ToWire()),
            ["statusDetails"] = Map(entry.StatusDetails),
            ["source"] = S(SourceWireName(entry.Source)),
            ["occurredAt"] = S(SortableTime(entry.OccurredAt)),
            ["recordedAt"] = S(SortableTime(entry.RecordedAt)),
        };
        SetOptional(map, "versionNumber", entry.VersionNumber);
        SetOptional(map, "executionNumber", entry.ExecutionNumber);
        if (!entry.DetailsKnown)
        {
            // Written only when false, so ledgers stored before the flag existed read back as details known.
            map["detailsKnown"] = new AttributeValue { BOOL = false };
        }

        return new AttributeValue { M = map };
    }

    private static LedgerEntry ToLedgerEntry(AttributeValue value)
    {
        var map = value.M;
        return new LedgerEntry(
            map["id"].S,
            ParseExecutionStatus(map["status"].S),
            ToDetails(map.GetValueOrDefault("statusDetails")),
            ParseSource(map["source"].S),
            ParseTime(map["occurredAt"].S),
            OptionalLong(map, "versionNumber"),
            OptionalLong(map, "executionNumber"),
            ParseTime(map["recordedAt"].S),
            map.GetValueOrDefault("detailsKnown")?.BOOL != false);
    }

    /// <summary>A source as stored: a fixed name, so renaming the enum never makes a stored ledger unreadable.</summary>
    private static string SourceWireName(ObservationSource source) => source switch
    {
        ObservationSource.Event => "EVENT",
        ObservationSource.Snapshot => "SNAPSHOT",
        ObservationSource.OperatorUpdate => "OPERATOR_UPDATE",
        ObservationSource.Sweeper => "SWEEPER",
        _ => throw new ArgumentOutOfRangeException(nameof(source), source, null),
    };

    /// <summary>Reads the stored name, and the C# enum name that ledgers written before the fixed names hold.</summary>
    private static ObservationSource ParseSource(string stored) => stored switch
    {
        "EVENT" or "Event" => ObservationSource.Event,
        "SNAPSHOT" or "Snapshot" => ObservationSource.Snapshot,
        "OPERATOR_UPDATE" or "OperatorUpdate" => ObservationSource.OperatorUpdate,
        "SWEEPER" or "Sweeper" => ObservationSource.Sweeper,
        _ => throw new InvalidDataException($"Stored observation source '{stored}' is not known."),
    };

    private static AttributeValue ToAttribute(JobObservation seen)
    {
        var map = new Dictionary<string, AttributeValue>
        {
            ["id"] = S(seen.ObservationId),
            ["status"] = S(seen.Status.ToWire()),
            ["occurredAt"] = S(SortableTime(seen.OccurredAt)),
        };
        SetOptional(map, "comment", seen.Comment);
        SetOptional(map, "reasonCode", seen.ReasonCode);
        SetOptional(map, "description", seen.Description);
        SetOptional(map, "targetSelection", seen.TargetSelection);
        SetOptional(map, "createdAt", seen.CreatedAt);
        SetOptional(map, "completedAt", seen.CompletedAt);
        if (seen.Targets is { } targets)
        {
            map["targets"] = new AttributeValue { L = targets.Select(S).ToList() };
        }

        if (seen.ReportedProcessDetails is { } reported)
        {
            map["reportedProcessDetails"] = new AttributeValue { M = reported.ToDictionary(pair => pair.Key, pair => N(pair.Value)) };
        }

        return new AttributeValue { M = map };
    }

    private static JobObservation ToJobObservation(string jobId, Dictionary<string, AttributeValue> map) => new(
        jobId,
        ParseJobStatus(map["status"].S),
        map["id"].S,
        ParseTime(map["occurredAt"].S),
        OptionalString(map, "comment"),
        OptionalString(map, "reasonCode"),
        OptionalString(map, "description"),
        OptionalString(map, "targetSelection"),
        map.GetValueOrDefault("targets")?.L?.Select(value => value.S).ToList(),
        OptionalTime(map, "createdAt"),
        OptionalTime(map, "completedAt"),
        map.GetValueOrDefault("reportedProcessDetails")?.M?.ToDictionary(pair => pair.Key, pair => long.Parse(pair.Value.N, CultureInfo.InvariantCulture)));

    public static AttributeValue S(string value) => new() { S = value };

    public static AttributeValue N(long value) => new() { N = value.ToString(CultureInfo.InvariantCulture) };

    private static AttributeValue Map(IReadOnlyDictionary<string, string> details) =>
        new() { M = details.ToDictionary(pair => pair.Key, pair => S(pair.Value)) };

    private static Dictionary<string, string> ToDetails(AttributeValue? value) =>
        value?.M?.ToDictionary(pair => pair.Key, pair => pair.Value.S, StringComparer.Ordinal) ?? new Dictionary<string, string>(StringComparer.Ordinal);

    private static void SetOptional(Dictionary<string, AttributeValue> item, string name, string? value)
    {
        if (value is not null)
        {
            item[name] = S(value);
        }
    }

    private static void SetOptional(Dictionary<string, AttributeValue> item, string name, long? value)
    {
        if (value is { } number)
        {
            item[name] = N(number);
        }
    }

    private static void SetOptional(Dictionary<string, AttributeValue> item, string name, DateTimeOffset? value)
    {
        if (value is { } time)
        {
            item[name] = S(SortableTime(time));
        }
    }

    private static void SetOptional(Dictionary<string, AttributeValue> item, string name, int? value)
    {
        if (value is { } number)
        {
            item[name] = N(number);
        }
    }

    private static int? OptionalInt(Dictionary<string, AttributeValue> item, string name) =>
        item.GetValueOrDefault(name)?.N is { } number ? int.Parse(number, CultureInfo.InvariantCulture) : null;

    private static string? OptionalString(Dictionary<string, AttributeValue> item, string name) => item.GetValueOrDefault(name)?.S;

    private static long? OptionalLong(Dictionary<string, AttributeValue> item, string name) =>
        item.GetValueOrDefault(name)?.N is { } number ? long.Parse(number, CultureInfo.InvariantCulture) : null;

    private static DateTimeOffset? OptionalTime(Dictionary<string, AttributeValue> item, string name) =>
        item.GetValueOrDefault(name)?.S is { } text ? ParseTime(text) : null;

    public static DateTimeOffset ParseTime(string text) =>
        DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);

    private static ExecutionStatus ParseExecutionStatus(string wire) =>
        ExecutionStatuses.TryParse(wire, out var status) ? status : throw new InvalidDataException($"Stored execution status '{wire}' is not known.");

    private static JobStatus ParseJobStatus(string wire) =>
        JobStatuses.TryParse(wire, out var status) ? status : throw new InvalidDataException($"Stored job status '{wire}' is not known.");
}
