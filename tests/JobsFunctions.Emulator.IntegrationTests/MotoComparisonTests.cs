using System.Text.Json.Nodes;
using JobsFunctions.TestSupport;

namespace JobsFunctions.Emulator.IntegrationTests;

/// <summary>
/// The same control-plane scenario (Scenarios/control_plane_scenario.py) through boto3 against the emulator and
/// against moto server, for the operations moto implements: where the two answer alike, and where moto is wrong.
/// </summary>
public sealed class MotoComparisonTests(MotoComparisonTests.BothAnswers both) : IClassFixture<MotoComparisonTests.BothAnswers>
{
    [Theory]
    [InlineData("createThing_a", "thingArn")]
    [InlineData("createJob", "jobArn")]
    [InlineData("createJob", "description")]
    [InlineData("getJobDocument", "document")]
    [InlineData("cancelJob2", "jobArn")]
    public void Both_answer_the_same_identities_and_documents(string step, string member) =>
        Assert.Equal((string)both.Moto[step]![member]!, (string)both.Emulator[step]![member]!);

    [Fact]
    public void Both_cancel_a_queued_execution_keep_a_canceled_jobs_reason_and_refuse_a_missing_job_alike()
    {
        foreach (var side in new[] { both.Emulator, both.Moto })
        {
            Assert.Equal("CANCELED", (string)side["describeExecution_canceled"]!["execution"]!["status"]!);
            Assert.Equal(("CANCELED", "STOP"), ((string)side["describeJob2"]!["job"]!["status"]!, (string)side["describeJob2"]!["job"]!["reasonCode"]!));
            Assert.Equal(("ResourceNotFoundException", 404), ((string)side["describeMissingJob"]!["error"]!, (int)side["describeMissingJob"]!["status"]!));
            Assert.Equal(
                ["CANCELED", "CANCELED"],
                side["listForJob"]!["executionSummaries"]!.AsArray().Select(s => (string)s!["jobExecutionSummary"]!["status"]!));
        }
    }

    [Fact]
    public void Moto_keeps_versionNumber_at_123_where_the_emulator_starts_at_1_and_counts_each_change()
    {
        Assert.Equal((1L, 2L), (Version(both.Emulator, "describeExecution_queued"), Version(both.Emulator, "describeExecution_canceled")));
        Assert.Equal((123L, 123L), (Version(both.Moto, "describeExecution_queued"), Version(both.Moto, "describeExecution_canceled")));
    }

    [Fact]
    public void Moto_ignores_a_stale_expectedVersion_that_the_emulator_refuses_as_a_version_conflict()
    {
        Assert.Equal(("VersionConflictException", 409), ((string)both.Emulator["cancelExecution_b_stale"]!["error"]!, (int)both.Emulator["cancelExecution_b_stale"]!["status"]!));
        Assert.Null(both.Moto["cancelExecution_b_stale"]!["error"]);
    }

    [Fact]
    public void Moto_neither_completes_the_job_nor_counts_its_canceled_executions_once_all_are_terminal()
    {
        var emulator = both.Emulator["describeJob_allTerminal"]!["job"]!;
        var moto = both.Moto["describeJob_allTerminal"]!["job"]!;

        Assert.Equal(("COMPLETED", 2, 0), ((string)emulator["status"]!, Count(emulator, "numberOfCanceledThings"), Count(emulator, "numberOfQueuedThings")));
        Assert.NotNull(emulator["completedAt"]);
        Assert.Equal(("QUEUED", 0, 1), ((string)moto["status"]!, Count(moto, "numberOfCanceledThings"), Count(moto, "numberOfQueuedThings")));
        Assert.Null(moto["completedAt"]);
    }

    [Fact]
    public void Moto_leaves_a_canceled_jobs_queued_executions_QUEUED_where_the_emulator_cancels_them()
    {
        Assert.Equal("CANCELED", (string)both.Emulator["describeJob2Execution"]!["execution"]!["status"]!);
        Assert.Equal("QUEUED", (string)both.Moto["describeJob2Execution"]!["execution"]!["status"]!);
    }

    private static long Version(JsonNode side, string step) => (long)side[step]!["execution"]!["versionNumber"]!;

    private static int Count(JsonNode job, string counter) => (int)job["jobProcessDetails"]![counter]!;

    /// <summary>The scenario's answers from both servers, run side by side once.</summary>
    public sealed class BothAnswers : IAsyncLifetime
    {
        private readonly RunningEmulator _emulator = new();
        private readonly MotoServer _moto = new();

        public JsonNode Emulator { get; private set; } = null!;

        public JsonNode Moto { get; private set; } = null!;

        public async ValueTask InitializeAsync()
        {
            await Task.WhenAll(_emulator.InitializeAsync().AsTask(), _moto.InitializeAsync().AsTask());
            var suffix = Guid.NewGuid().ToString("N")[..10];
            var results = await Task.WhenAll(RunAsync(_emulator.Endpoint, suffix), RunAsync(_moto.Endpoint, suffix));
            (Emulator, Moto) = (results[0], results[1]);
        }

        public async ValueTask DisposeAsync()
        {
            await _emulator.DisposeAsync();
            await _moto.DisposeAsync();
        }

        private static async Task<JsonNode> RunAsync(Uri endpoint, string suffix)
        {
            var script = Path.Combine(AppContext.BaseDirectory, "Scenarios", "control_plane_scenario.py");
            var (exit, output, errors) = await ExternalProcess.RunAsync("python3", [script, endpoint.ToString(), suffix], TimeSpan.FromMinutes(2));
            Assert.True(exit == 0, $"control_plane_scenario.py against {endpoint} failed (exit {exit}): {errors}");
            return JsonNode.Parse(output)!;
        }
    }
}
