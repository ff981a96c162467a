using System.Net;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Amazon.Runtime;
using JobsFunctions.Aws.Dynamo;
using JobsFunctions.Domain.Recording;
using Microsoft.Extensions.Time.Testing;

namespace JobsFunctions.Aws.Tests.Dynamo;

public sealed class TransientRetryTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 7, 8, 0, 0, TimeSpan.Zero);

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public static TheoryData<string, Exception> Transient => new()
    {
        { "throttled", new ThrottlingException("Rate of requests exceeds the allowed throughput.") },
        { "over provisioned throughput", new ProvisionedThroughputExceededException("The level of configured provisioned throughput for the table was exceeded.") },
        { "over the account's request limit", new RequestLimitExceededException("Throughput exceeds the current throughput limit for your account.") },
        { "an item in another transaction", new TransactionInProgressException("The transaction with the given request token is already in progress.") },
        { "500", new InternalServerErrorException("Internal server error") { StatusCode = HttpStatusCode.InternalServerError } },
        { "503", new AmazonDynamoDBException("Service unavailable") { ErrorCode = "ServiceUnavailable", StatusCode = HttpStatusCode.ServiceUnavailable } },
        { "a transaction cancelled for throttling", Cancelled("None", "ThrottlingError") },
        { "no answer", new HttpRequestException("An error occurred while sending the request.") },
        { "connection reset", new IOException("Unable to read data from the transport connection.") },
        { "the SDK's own timeout", new TaskCanceledException("The request was canceled due to the configured HttpClient.Timeout.") },
    };

    public static TheoryData<string, Exception> NotTransient => new()
    {
        { "a refused condition", new ConditionalCheckFailedException("The conditional request failed") { StatusCode = HttpStatusCode.BadRequest } },
        { "a malformed request", new AmazonDynamoDBException("One or more parameter values were invalid") { ErrorCode = "ValidationException", StatusCode = HttpStatusCode.BadRequest } },
        { "no such table", new ResourceNotFoundException("Requested resource not found") { StatusCode = HttpStatusCode.BadRequest } },
        { "no permission", new AmazonDynamoDBException("not authorized to perform: dynamodb:PutItem") { ErrorCode = "AccessDeniedException", StatusCode = HttpStatusCode.BadRequest } },
        { "a transaction cancelled by a condition", Cancelled("ConditionalCheckFailed", "None") },
        { "an item past 400 KB", new RecordTooLargeException("execution fw-1/a", 400_001, 400_000) },
    };

    [Theory]
    [MemberData(nameof(Transient))]
    public void What_DynamoDB_documents_as_worth_retrying_is_transient(string _, Exception failure) =>
        Assert.True(TransientRetry.IsTransient(failure, CancellationToken.None));

    [Theory]
    [MemberData(nameof(NotTransient))]
    public void A_failure_another_round_cannot_fix_is_not(string _, Exception failure) =>
        Assert.False(TransientRetry.IsTransient(failure, CancellationToken.None));

    [Fact]
    public void The_callers_own_cancellation_is_never_retried()
    {
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();

        Assert.False(TransientRetry.IsTransient(new OperationCanceledException(cancelled.Token), cancelled.Token));
    }

    [Fact]
    public async Task Work_failing_transiently_runs_again_until_it_succeeds_and_each_retry_is_heard()
    {
        var (retry, clock, waits) = Retry();
        var rounds = 0;
        var heard = new List<Exception>();

        var answer = await retry.RunAsync(
            _ => ++rounds < 4 ? throw new ThrottlingException("slow down") : Task.FromResult("recorded"),
            Start.AddSeconds(30), heard.Add, Cancel);

        Assert.Equal("recorded", answer);
        Assert.Equal(4, rounds);
        Assert.Equal(3, heard.Count);
        Assert.All(heard, failure => Assert.IsType<ThrottlingException>(failure));
        Assert.Equal(3, waits.Count);
        Assert.Equal(Start + waits.Aggregate(TimeSpan.Zero, (sum, wait) => sum + wait), clock.GetUtcNow());
    }

    [Fact]
    public async Task A_failure_that_is_not_transient_is_thrown_at_once()
    {
        var (retry, _, waits) = Retry();
        var rounds = 0;

        await Assert.ThrowsAsync<ConditionalCheckFailedException>(() => retry.RunAsync<string>(
            _ =>
            {
                rounds++;
                throw new ConditionalCheckFailedException("The conditional request failed");
            },
            Start.AddSeconds(30), null, Cancel));

        Assert.Equal(1, rounds);
        Assert.Empty(waits);
    }

    [Fact]
    public async Task When_no_round_could_start_before_the_stop_the_last_failure_is_thrown_as_it_came()
    {
        var (retry, clock, waits) = Retry();
        var last = new InternalServerErrorException("Internal server error") { StatusCode = HttpStatusCode.InternalServerError };
        var rounds = 0;

        var thrown = await Assert.ThrowsAsync<InternalServerErrorException>(() => retry.RunAsync<string>(
            _ =>
            {
                rounds++;
                throw last;
            },
            Start.AddSeconds(10), null, Cancel));

        Assert.Same(last, thrown);
        Assert.InRange(rounds, 10, 30);
        Assert.True(clock.GetUtcNow() < Start.AddSeconds(10));
        Assert.Equal(rounds - 1, waits.Count);
    }

    [Fact]
    public void The_wait_ceiling_doubles_from_50_ms_to_a_second_and_stays_there() =>
        Assert.Equal(
            [50, 100, 200, 400, 800, 1000, 1000],
            new[] { 1, 2, 3, 4, 5, 6, 60 }.Select(failures => TransientRetry.Rounds.Ceiling(failures).TotalMilliseconds));

    private static (TransientRetry Retry, FakeTimeProvider Clock, List<TimeSpan> Waits) Retry()
    {
        var clock = new FakeTimeProvider(Start);
        var waits = new List<TimeSpan>();
        var retry = new TransientRetry(clock, (delay, _) =>
        {
            waits.Add(delay);
            clock.Advance(delay);
            return Task.CompletedTask;
        }, jitter: () => 0.5);
        return (retry, clock, waits);
    }

    private static TransactionCanceledException Cancelled(params string[] codes) =>
        new("Transaction cancelled")
        {
            StatusCode = HttpStatusCode.BadRequest,
            CancellationReasons = [.. codes.Select(code => new CancellationReason { Code = code })],
        };
}
