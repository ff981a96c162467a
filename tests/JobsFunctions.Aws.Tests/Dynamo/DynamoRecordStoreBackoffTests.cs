using JobsFunctions.Aws.Dynamo;

namespace JobsFunctions.Aws.Tests.Dynamo;

public sealed class DynamoRecordStoreBackoffTests
{
    [Fact]
    public void The_wait_before_re_reading_unprocessed_keys_grows_to_a_second_and_stays_there_however_many_rounds()
    {
        var delays = Enumerable.Range(1, 64).Select(TableReader.UnprocessedKeysDelay).ToList();

        Assert.Equal(TimeSpan.FromMilliseconds(50), delays[0]);
        Assert.All(delays, delay => Assert.InRange(delay, TimeSpan.FromMilliseconds(50), TimeSpan.FromSeconds(1)));
        Assert.Equal(delays.Order(), delays);
        Assert.Equal(TimeSpan.FromSeconds(1), delays[^1]);
    }
}
