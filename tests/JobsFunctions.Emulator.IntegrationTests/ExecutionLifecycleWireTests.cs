using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using JobsFunctions.Aws.Signing;
using JobsFunctions.Domain.Executions;

namespace JobsFunctions.Emulator.IntegrationTests;

/// <summary>
/// Every cell of the domain's lifecycle table that some call can ask for, tried over signed HTTP against the emulator as
/// a device, an operator or the service would: the emulator must accept exactly what the table allows, move
/// versionNumber by the table's step, and refuse the rest with the table's AWS error, leaving the execution as it was.
/// </summary>
public sealed class ExecutionLifecycleWireTests : IAsyncLifetime
{
    private const string Region = "us-east-1";
    private const string Arn = "arn:aws:iot:us-east-1:123456789012:thing/";
    private const string Keeper = "keeper";

    private static readonly SigningCredentials Credentials = new("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY");

    private readonly RunningEmulator _running = new();
    private readonly HttpClient _http = new();
    private int _cells;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public static TheoryData<ExecutionStatus, ExecutionStatus, ExecutionMover, bool> OfferedCells
    {
        get
        {
            var data = new TheoryData<ExecutionStatus, ExecutionStatus, ExecutionMover, bool>();
            foreach (var cell in ExecutionLifecycle.Cells.Where(cell => ExecutionLifecycle.Decide(cell).Refusal != MoveRefusal.NotOffered))
            {
                data.Add(cell.From, cell.To, cell.By, cell.Force);
            }

            return data;
        }
    }

    public async ValueTask InitializeAsync()
    {
        await _running.InitializeAsync();
        await SendAsync(HttpMethod.Post, $"/things/{Keeper}", "iot", new JsonObject());
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await _running.DisposeAsync();
    }

    [Theory]
    [MemberData(nameof(OfferedCells))]
    public async Task The_emulator_answers_each_move_as_the_lifecycle_table_says(ExecutionStatus from, ExecutionStatus to, ExecutionMover by, bool force)
    {
        var move = new ExecutionMove(from, to, by, force);
        var verdict = ExecutionLifecycle.Decide(move);
        var (thing, job) = await ExecutionInAsync(from, timed: from == ExecutionStatus.TimedOut || to == ExecutionStatus.TimedOut);
        var before = await DescribeAsync(thing, job);
        Assert.Equal(from, before.Status);

        var answer = await MoveAsync(move, thing, job);

        var after = await DescribeAsync(thing, job);
        if (verdict.Allowed)
        {
            Assert.True(answer.IsSuccess, $"{move}: refused with {answer.ErrorCode}");
            Assert.Equal((to, before.Version + verdict.VersionStep), (after.Status, after.Version));
        }
        else
        {
            if (by != ExecutionMover.Service)
            {
                Assert.Equal(verdict.AwsErrorCode, answer.ErrorCode);
            }

            Assert.Equal(before, after);
        }
    }

    [Theory]
    [InlineData(ExecutionStatus.InProgress, ExecutionStatus.Succeeded, ExecutionMover.Device)]
    [InlineData(ExecutionStatus.Queued, ExecutionStatus.InProgress, ExecutionMover.Device)]
    [InlineData(ExecutionStatus.Queued, ExecutionStatus.Canceled, ExecutionMover.Operator)]
    [InlineData(ExecutionStatus.InProgress, ExecutionStatus.Canceled, ExecutionMover.Operator)]
    public async Task A_stale_expectedVersion_gets_the_tables_answer_and_changes_nothing(ExecutionStatus from, ExecutionStatus to, ExecutionMover by)
    {
        var move = new ExecutionMove(from, to, by, Force: by == ExecutionMover.Operator);
        var (thing, job) = await ExecutionInAsync(from, timed: false);
        var before = await DescribeAsync(thing, job);
        var stale = before.Version - 1;

        var answer = await MoveAsync(move, thing, job, stale);

        Assert.Equal(ExecutionLifecycle.Decide(move, stale, before.Version).AwsErrorCode, answer.ErrorCode);
        Assert.Equal(before, await DescribeAsync(thing, job));
    }

    /// <summary>A new thing with one execution of a new job in <paramref name="from"/>; the keeper thing holds the job open.</summary>
    private async Task<(string Thing, string Job)> ExecutionInAsync(ExecutionStatus from, bool timed)
    {
        var n = Interlocked.Increment(ref _cells).ToString(CultureInfo.InvariantCulture);
        var (thing, job) = ($"cell-{n}", $"lifecycle-{n}");
        await SendAsync(HttpMethod.Post, $"/things/{thing}", "iot", new JsonObject());
        var spec = new JsonObject
        {
            ["targets"] = new JsonArray(Arn + thing, Arn + Keeper),
            ["document"] = "{\"operation\":\"reboot\"}",
        };
        if (timed)
        {
            spec["timeoutConfig"] = new JsonObject { ["inProgressTimeoutInMinutes"] = 1 };
        }

        (await SendAsync(HttpMethod.Put, $"/jobs/{job}", "iot", spec)).EnsureAccepted();
        switch (from)
        {
            case ExecutionStatus.Queued:
                break;
            case ExecutionStatus.Canceled:
                (await SendAsync(HttpMethod.Put, $"/things/{thing}/jobs/{job}/cancel", "iot", new JsonObject())).EnsureAccepted();
                break;
            case ExecutionStatus.TimedOut:
                (await DeviceSetsAsync(thing, job, ExecutionStatus.InProgress)).EnsureAccepted();
                await AdvanceClockAsync();
                break;
            default:
                (await DeviceSetsAsync(thing, job, ExecutionStatus.InProgress)).EnsureAccepted();
                if (from != ExecutionStatus.InProgress)
                {
                    (await DeviceSetsAsync(thing, job, from)).EnsureAccepted();
                }

                break;
        }

        return (thing, job);
    }

    /// <summary>The call each mover makes: the device's UpdateJobExecution, an operator's CancelJobExecution, the service's own doing.</summary>
    private async Task<Answer> MoveAsync(ExecutionMove move, string thing, string job, long? expectedVersion = null)
    {
        var force = move.Force ? "true" : "false";
        switch (move.By)
        {
            case ExecutionMover.Device:
                return await DeviceSetsAsync(thing, job, move.To, expectedVersion);
            case ExecutionMover.Operator:
                var body = new JsonObject();
                if (expectedVersion is { } expected)
                {
                    body["expectedVersion"] = expected;
                }

                return await SendAsync(HttpMethod.Put, $"/things/{thing}/jobs/{job}/cancel?force={force}", "iot", body);
            case ExecutionMover.Service when move.To == ExecutionStatus.Canceled:
                // A canceled job (CancelJob, or abortConfig firing): the service cancels each execution the rule lets it.
                return await SendAsync(HttpMethod.Put, $"/jobs/{job}/cancel?force={force}", "iot", new JsonObject());
            case ExecutionMover.Service when move.To == ExecutionStatus.TimedOut:
                await AdvanceClockAsync();
                return Answer.Accepted;
            case ExecutionMover.Service when move.To == ExecutionStatus.Removed:
                return await SendAsync(HttpMethod.Delete, $"/things/{thing}", "iot", null);
            default:
                throw new InvalidOperationException($"No call makes {move}.");
        }
    }

    private Task<Answer> DeviceSetsAsync(string thing, string job, ExecutionStatus status, long? expectedVersion = null)
    {
        var body = new JsonObject { ["status"] = status.ToWire() };
        if (expectedVersion is { } expected)
        {
            body["expectedVersion"] = expected;
        }

        return SendAsync(HttpMethod.Post, $"/things/{thing}/jobs/{job}", "iot-jobs-data", body);
    }

    /// <summary>Past the one-minute in-progress timer and the up-to-a-minute AWS may take to act on it.</summary>
    private async Task AdvanceClockAsync() =>
        (await SendAsync(HttpMethod.Post, "/_emulator/clock", "iot", new JsonObject { ["advanceSeconds"] = 180 })).EnsureAccepted();

    private async Task<(ExecutionStatus Status, long Version)> DescribeAsync(string thing, string job)
    {
        var answer = await SendAsync(HttpMethod.Get, $"/things/{thing}/jobs/{job}", "iot", null);
        answer.EnsureAccepted();
        var execution = answer.Body!["execution"]!;
        Assert.True(ExecutionStatuses.TryParse((string?)execution["status"], out var status));
        return (status, (long)execution["versionNumber"]!);
    }

    private async Task<Answer> SendAsync(HttpMethod method, string pathAndQuery, string service, JsonObject? body)
    {
        var bytes = body is null ? [] : Encoding.UTF8.GetBytes(body.ToJsonString());
        using var request = new HttpRequestMessage(method, new Uri(_running.Endpoint, pathAndQuery));
        if (body is not null)
        {
            request.Content = new ByteArrayContent(bytes);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        }

        SigV4Signer.Sign(request, bytes, Credentials, Region, service, DateTimeOffset.UtcNow);
        using var response = await _http.SendAsync(request, Token);
        var text = await response.Content.ReadAsStringAsync(Token);
        return new Answer(
            response.IsSuccessStatusCode,
            response.Headers.TryGetValues("x-amzn-ErrorType", out var codes) ? codes.First().Split(':')[0] : null,
            text.Length > 0 ? JsonNode.Parse(text) : null);
    }

    private sealed record Answer(bool IsSuccess, string? ErrorCode, JsonNode? Body)
    {
        public static Answer Accepted { get; } = new(true, null, null);

        public void EnsureAccepted() => Assert.True(IsSuccess, $"refused with {ErrorCode}: {Body?.ToJsonString()}");
    }
}
