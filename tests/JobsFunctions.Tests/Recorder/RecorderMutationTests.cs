using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CsCheck;
using JobsFunctions.Aws.Dynamo;
using JobsFunctions.Domain.Recording;
using JobsFunctions.Hosting;
using JobsFunctions.Recorder;
using JobsFunctions.TestSupport;
using Microsoft.Extensions.Time.Testing;

namespace JobsFunctions.Tests.Recorder;

/// <summary>
/// The recorder's rule, held on thousands of mutations of the sample events (members removed, set to null, to other
/// types, to text with an unpaired surrogate escape, nulls put in arrays, members added): an event it cannot record
/// is logged once with its reason, acknowledged and writes nothing; an event it accepts writes one valid record.
/// Either way the invocation never fails, since a retry of the same event could not do better.
/// </summary>
public sealed class RecorderMutationTests
{
    /// <summary>Stands in the generated JSON for an escaped unpaired surrogate, which no .NET string can be written as.</summary>
    private const string Unpaired = "\u0001unpaired\u0001";

    private static readonly byte[] Dropped = Encoding.UTF8.GetBytes("{\"recorded\":false}");

    private static readonly JsonNode[] Samples = [.. Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "events"), "job*.json")
        .Order(StringComparer.Ordinal)
        .Select(path => JsonNode.Parse(File.ReadAllText(path))!)];

    /// <summary>What a member or element may become, as JSON text (a fresh node each time: a node has one parent).</summary>
    private static readonly string[] ValueTexts =
    [
        "null", "0", "-1", "3.5", "1e300", "1795341600", "true", "false",
        "\"\"", "\"\\u0001unpaired\\u0001\"", "\"a\"", "\"QUEUED\"", "\"IN_PROGRESS\"", "\"SUCCEEDED\"", "\"JOB\"", "\"JOB_EXECUTION\"",
        "\"#\"", "\"\\u0000\"", "\"arn:aws:iot:eu-west-1:1:thing/\"",
        "[]", "[null]", "[null,\"a\"]", "[1]", "{}", "{\"k\":null}", "{\"k\":1}", "{\"\":\"v\"}",
    ];

    private static readonly Gen<JsonNode?> Values = Gen.Int[0, ValueTexts.Length - 1].Select(i => JsonNode.Parse(ValueTexts[i]));

    private static readonly Gen<string> Keys = Gen.OneOf(
        "targets", "statusDetails", "status", "thingName", "thingArn", "jobId", "eventId", "timestamp", "comment", "", Unpaired, "extra");

    /// <summary>Which node (by position in the tree), what to do to it (remove, replace, insert into it, add a member beside it), with what.</summary>
    private static readonly Gen<(uint Node, int Operation, JsonNode? Value, string Key)> Mutations =
        Gen.Select(Gen.UInt, Gen.Int[0, 3], Values, Keys);

    private static readonly Gen<string> MutatedEvents =
        Gen.Select(Gen.Int[0, Samples.Length - 1], Mutations.Array[1, 3])
            .Select(chosen => Mutate(Samples[chosen.Item1], chosen.Item2));

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public void A_mutated_event_is_either_dropped_once_with_its_reason_writing_nothing_or_recorded_as_valid_items() =>
        MutatedEvents.Sample(Check, iter: 10_000, threads: 1, print: json => json);

    [Theory]
    [InlineData("""{"eventType":"JOB","eventId":"e1","timestamp":1795341600,"operation":"completed","jobId":"fw-1","status":"COMPLETED","targets":["arn:aws:iot:eu-west-1:1:thing/a",null]}""", "targets[1] is null")]
    [InlineData("""{"eventType":"JOB_EXECUTION","eventId":"e1","timestamp":1795341600,"jobId":"fw-1","thingArn":"arn:aws:iot:eu-west-1:1:thing/t1","status":"FAILED","statusDetails":{"why":"a\ud800b"}}""", "statusDetails.why is not valid UTF-16 text (an unpaired surrogate)")]
    [InlineData("""{"eventType":"JOB_EXECUTION","eventId":"e\udc00","timestamp":1795341600,"jobId":"fw-1","thingArn":"arn:aws:iot:eu-west-1:1:thing/t1","status":"FAILED"}""", "not a JSON object of the expected shape ($.eventId)")]
    [InlineData("""{"eventType":"JOB","eventId":"e1","timestamp":"17953\ud80041600","jobId":"fw-1","status":"COMPLETED"}""", "timestamp is missing or not an epoch number")]
    public void Events_that_used_to_fail_the_invocation_are_dropped_naming_why(string json, string reason)
    {
        var (result, lines, store) = Run(json);

        Assert.Equal(Dropped, result);
        var line = Assert.Single(lines);
        Assert.Equal(reason, line["reason"]?.GetValue<string>());
        Assert.Empty(store.Executions);
        Assert.Empty(store.Jobs);
    }

    [Fact]
    public void A_non_terminal_execution_event_AWS_does_not_publish_is_recorded_yet_never_reopens_a_finished_execution()
    {
        const string InProgress = """{"eventType":"JOB_EXECUTION","eventId":"e2","timestamp":1795341700,"jobId":"fw-1","thingArn":"arn:aws:iot:eu-west-1:1:thing/t1","status":"IN_PROGRESS"}""";
        const string Failed = """{"eventType":"JOB_EXECUTION","eventId":"e1","timestamp":1795341600,"jobId":"fw-1","thingArn":"arn:aws:iot:eu-west-1:1:thing/t1","status":"FAILED"}""";

        var (alone, _, store) = Run(InProgress);
        var record = Assert.Single(store.Executions);
        Assert.NotEqual(Dropped, alone);
        Assert.Equal(Domain.Executions.ExecutionStatus.InProgress, record.Status);

        var (_, _, both) = Run(Failed, InProgress);
        Assert.Equal(Domain.Executions.ExecutionStatus.Failed, Assert.Single(both.Executions).Status);
    }

    private static void Check(string json)
    {
        var (result, lines, store) = Run(json);

        var line = Assert.Single(lines);
        var outcome = line["outcome"]?.GetValue<string>();
        if (result.AsSpan().SequenceEqual(Dropped))
        {
            Assert.Equal(("WARN", "malformed"), (line["level"]?.GetValue<string>(), outcome));
            Assert.False(string.IsNullOrWhiteSpace(line["reason"]?.GetValue<string>()));
            Assert.Equal((0, 0), (store.ExecutionWrites, store.JobWrites));
            Assert.Empty(store.Executions);
            Assert.Empty(store.Jobs);
            return;
        }

        Assert.Contains(outcome, new[] { "recorded", "ledgerOnly", "duplicate" });
        Assert.Equal(1, store.Executions.Count + store.Jobs.Count);
        foreach (var execution in store.Executions)
        {
            AssertValid([execution.JobId, execution.ThingName]);
            AssertValid(execution.StatusDetails);
            Assert.All(execution.Ledger, entry => AssertValid(entry.StatusDetails));
        }

        foreach (var job in store.Jobs)
        {
            AssertValid([job.JobId, job.Comment, job.ReasonCode, job.Description, job.TargetSelection, .. job.Targets]);
            Assert.All(job.Targets, target => Assert.NotNull(target));
            Assert.All(job.History, seen => AssertValid([seen.Comment, seen.Description, .. seen.Targets ?? []]));
            Assert.All(job.History, seen => Assert.All(seen.Targets ?? [], target => Assert.NotNull(target)));
            Assert.All(job.ReportedProcessDetails?.Keys ?? [], key => Assert.NotEqual("", key));
        }
    }

    private static void AssertValid(IReadOnlyDictionary<string, string> details) =>
        Assert.All(details, pair =>
        {
            Assert.NotEqual("", pair.Key);
            Assert.NotNull(pair.Value);
            AssertValid([pair.Key, pair.Value]);
        });

    private static void AssertValid(IEnumerable<string?> texts) =>
        Assert.All(texts, text => Assert.True(IotJobsEvents.IsValidText(text), $"'{text}' holds an unpaired surrogate"));

    private static (byte[] Result, List<JsonObject> Lines, InMemoryRecordStore Store) Run(params string[] events)
    {
        var store = new InMemoryRecordStore();
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero));
        var log = new StringWriter();
        var handler = new RecorderHandler(new StatusRecorder(store, clock), new TransientRetry(clock), clock, log);

        var result = Array.Empty<byte>();
        foreach (var json in events)
        {
            result = handler.HandleAsync(Encoding.UTF8.GetBytes(json), new InvocationContext("req-1", clock.GetUtcNow().AddMinutes(1), "arn:fn", null), Cancel)
                .GetAwaiter().GetResult();
        }


        var lines = log.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(text => JsonNode.Parse(text)!.AsObject()).ToList();
        return (result, lines, store);
    }

    private static string Mutate(JsonNode sample, (uint Node, int Operation, JsonNode? Value, string Key)[] mutations)
    {
        JsonNode? root = sample.DeepClone();
        foreach (var (node, operation, generated, key) in mutations)
        {
            if (root is null)
            {
                break;
            }

            var nodes = Nodes(root).ToList();
            var (parent, name, index) = nodes[(int)(node % (uint)nodes.Count)];
            var value = generated?.DeepClone();
            var target = parent switch
            {
                JsonObject members => members[name!],
                JsonArray items => items[index],
                _ => root,
            };
            switch (operation)
            {
                case 0 when parent is JsonObject members:
                    members.Remove(name!);
                    break;
                case 0 when parent is JsonArray items:
                    items.RemoveAt(index);
                    break;
                case 1 when parent is JsonObject members:
                    members[name!] = value;
                    break;
                case 1 when parent is JsonArray items:
                    items[index] = value;
                    break;
                case 1:
                    root = value;
                    break;
                case 2 when target is JsonArray array:
                    array.Insert((int)(node % (uint)(array.Count + 1)), value);
                    break;
                case 2 when target is JsonObject members:
                    members[key] = value;
                    break;
                default:
                    if (root is JsonObject top)
                    {
                        top[key] = value;
                    }

                    break;
            }
        }

        var json = root?.ToJsonString() ?? "null";
        return json.Replace("\\u0001unpaired\\u0001", "a\\ud800b", StringComparison.Ordinal);
    }

    /// <summary>Every member and element of the tree, as (its parent, its key or index).</summary>
    private static IEnumerable<(JsonNode? Parent, string? Key, int Index)> Nodes(JsonNode root)
    {
        yield return (null, null, -1);
        var pending = new Stack<JsonNode>([root]);
        while (pending.TryPop(out var node))
        {
            switch (node)
            {
                case JsonObject members:
                    foreach (var (key, child) in members)
                    {
                        yield return (members, key, -1);
                        if (child is not null)
                        {
                            pending.Push(child);
                        }
                    }

                    break;
                case JsonArray items:
                    for (var index = 0; index < items.Count; index++)
                    {
                        yield return (items, null, index);
                        if (items[index] is { } child)
                        {
                            pending.Push(child);
                        }
                    }

                    break;
            }
        }
    }
}
