using CsCheck;
using JobsFunctions.Domain.Jobs;
using JobsFunctions.Domain.Recording;
using JobsFunctions.Domain.Tests.Generators;
using JobsFunctions.TestSupport;
using Microsoft.Extensions.Time.Testing;

namespace JobsFunctions.Domain.Tests.Recording;

public sealed class JobRecordingProperties
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public Task Any_order_and_duplication_of_the_same_job_events_ends_in_the_same_job_records() =>
        Deliveries.Of(JobHistories.Observations).SampleAsync(
            async sample =>
            {
                var (expected, _) = await RecordInTurnAsync(sample.Distinct);
                var (actual, store) = await RecordInTurnAsync(sample.Delivered);

                Assert.Equal(expected, actual);
                Assert.Equal(sample.Distinct.Count, store.JobWrites);
            },
            iter: 400,
            print: sample => "delivered in this order:\n" + string.Join("\n", sample.Delivered.Select(seen => $"  {seen.ObservationId} {seen.Status} at {seen.OccurredAt:HH:mm:ss}")));

    [Fact]
    public Task A_job_ends_at_the_furthest_status_observed_with_the_comment_of_the_furthest_event_that_has_one() =>
        Deliveries.Of(JobHistories.Observations).SampleAsync(
            async sample =>
            {
                var (_, store) = await RecordInTurnAsync(sample.Delivered);

                foreach (var record in store.Jobs)
                {
                    var seen = sample.Distinct.Where(observation => observation.JobId == record.JobId).ToList();
                    Assert.Equal(seen.Max(observation => observation.Status.Stage()), record.Status.Stage());
                    Assert.Equal(seen.Where(observation => observation.Comment is not null).MaxBy(observation => observation.Status.Stage())?.Comment, record.Comment);
                }
            },
            iter: 200);

    private static async Task<(List<string> Records, InMemoryRecordStore Store)> RecordInTurnAsync(IEnumerable<JobObservation> observations)
    {
        var store = new InMemoryRecordStore();
        var recorder = new StatusRecorder(store, new FakeTimeProvider());
        foreach (var observation in observations)
        {
            await recorder.RecordAsync(observation, Cancel);
        }

        return ([.. store.Jobs.Select(Canonical.Of)], store);
    }
}
