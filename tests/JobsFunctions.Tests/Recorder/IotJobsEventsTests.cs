using System.Text;
using JobsFunctions.Domain.Executions;
using JobsFunctions.Domain.Jobs;
using JobsFunctions.Recorder;

namespace JobsFunctions.Tests.Recorder;

public sealed class IotJobsEventsTests
{
    private static ParsedEvent ParseSample(string name) =>
        IotJobsEvents.Parse(File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "events", name)));

    private static ParsedEvent Parse(string json) => IotJobsEvents.Parse(Encoding.UTF8.GetBytes(json));

    [Fact]
    public void A_succeeded_execution_event_becomes_an_execution_observation_without_version()
    {
        var parsed = Assert.IsType<ParsedEvent.Execution>(ParseSample("job-execution-succeeded.json"));

        var observation = parsed.Observation;
        Assert.Equal("fw-2026-11", observation.JobId);
        Assert.Equal("sensor-42", observation.ThingName);
        Assert.Equal(ExecutionStatus.Succeeded, observation.Status);
        Assert.Equal("4.2.0", observation.StatusDetails["firmware"]);
        Assert.Equal(ObservationSource.Event, observation.Source);
        Assert.Equal("1a2b3c4d-0001-4e5f-8a9b-000000000001", observation.ObservationId);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1795341600), observation.OccurredAt);
        Assert.Null(observation.VersionNumber);
        Assert.Null(observation.ExecutionNumber);
    }

    [Fact]
    public void A_thing_name_with_colons_is_everything_after_thing_slash_in_the_arn()
    {
        var parsed = Assert.IsType<ParsedEvent.Execution>(ParseSample("job-execution-failed.json"));

        Assert.Equal("plant:7:pump-3", parsed.Observation.ThingName);
    }

    [Fact]
    public void Millisecond_and_second_timestamps_give_the_same_instant()
    {
        var milliseconds = Assert.IsType<ParsedEvent.Execution>(ParseSample("job-execution-timed-out.json"));
        var seconds = Assert.IsType<ParsedEvent.Execution>(Parse(
            """{"eventType":"JOB_EXECUTION","eventId":"x","timestamp":1795341720,"jobId":"fw-2026-11","thingArn":"arn:aws:iot:eu-west-1:1:thing/sensor-43","status":"TIMED_OUT"}"""));

        Assert.Equal(seconds.Observation.OccurredAt, milliseconds.Observation.OccurredAt);
    }

    [Fact]
    public void An_event_without_status_details_has_empty_details()
    {
        var parsed = Assert.IsType<ParsedEvent.Execution>(ParseSample("job-execution-canceled.json"));

        Assert.Empty(parsed.Observation.StatusDetails);
        Assert.Equal(ExecutionStatus.Canceled, parsed.Observation.Status);
    }

    [Fact]
    public void A_completed_job_event_keeps_the_counts_aws_reported()
    {
        var parsed = Assert.IsType<ParsedEvent.Job>(ParseSample("job-completed.json"));

        Assert.Equal(JobStatus.Completed, parsed.Observation.Status);
        Assert.Equal(1, parsed.Observation.ReportedProcessDetails!["numberOfSucceededThings"]);
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1795345200000), parsed.Observation.CompletedAt);
        Assert.Equal("arn:aws:iot:eu-west-1:111122223333:thing/sensor-42", Assert.Single(parsed.Observation.Targets!));
    }

    [Fact]
    public void A_cancellation_in_progress_event_carries_its_comment_and_event_only_status()
    {
        var parsed = Assert.IsType<ParsedEvent.Job>(ParseSample("job-cancellation-in-progress.json"));

        Assert.Equal(JobStatus.CancellationInProgress, parsed.Observation.Status);
        Assert.Equal("Halting rollout: checksum failures on pumps", parsed.Observation.Comment);
    }

    [Fact]
    public void The_docs_malformed_thing_arn_is_reported_not_guessed()
    {
        var parsed = Assert.IsType<ParsedEvent.Malformed>(ParseSample("job-execution-malformed-thing-arn.json"));

        Assert.Contains("thingArn", parsed.Reason);
        Assert.Equal("1a2b3c4d-0901-4e5f-8a9b-000000000901", parsed.EventId);
    }

    [Theory]
    [InlineData("not json", "JSON")]
    [InlineData("[]", "JSON")]
    [InlineData("""{"eventType":"JOB_EXECUTION","timestamp":1,"jobId":"j","thingArn":"arn:aws:iot:r:1:thing/t","status":"FAILED"}""", "eventId")]
    [InlineData("""{"eventType":"JOB_EXECUTION","eventId":"e","jobId":"j","thingArn":"arn:aws:iot:r:1:thing/t","status":"FAILED"}""", "timestamp")]
    [InlineData("""{"eventType":"JOB_EXECUTION","eventId":"e","timestamp":1,"jobId":"j/x","thingArn":"arn:aws:iot:r:1:thing/t","status":"FAILED"}""", "jobId")]
    [InlineData("""{"eventType":"JOB_EXECUTION","eventId":"e","timestamp":1,"jobId":"j","thingArn":"arn:aws:iot:r:1:thing/t","status":"DONE"}""", "status 'DONE'")]
    [InlineData("""{"eventType":"JOB_EXECUTION","eventId":"e","timestamp":1,"jobId":"j","thingArn":"arn:aws:iot:r:1:thing/t","status":"FAILED","statusDetails":{"n":5}}""", "statusDetails.n")]
    [InlineData("""{"eventType":"THING","eventId":"e","timestamp":1,"jobId":"j"}""", "eventType")]
    [InlineData("""{"eventType":"JOB","eventId":"e","timestamp":1,"jobId":"j","status":"FAILED"}""", "job status")]
    public void A_malformed_event_names_its_reason(string json, string reasonMentions)
    {
        var parsed = Assert.IsType<ParsedEvent.Malformed>(Parse(json));

        Assert.Contains(reasonMentions, parsed.Reason);
    }
}
