using System.Text;
using System.Text.Json.Nodes;
using JobsFunctions.Api;
using JobsFunctions.Domain.Operations;
using JobsFunctions.Domain.Policies;
using JobsFunctions.Domain.Recording;
using JobsFunctions.Hosting;
using JobsFunctions.TestSupport;
using static JobsFunctions.Tests.Api.ApiHarness;

namespace JobsFunctions.Tests.Api;

/// <summary>A nextToken the store did not issue (truncated, from another route, from another job) is the caller's mistake.</summary>
public sealed class OperatorApiPageTokenTests
{
    public static TheoryData<string> PagedRoutes => new() { "api-list-job-audit.json", "api-list-job-executions.json", "api-list-thing-executions.json", "api-list-policies.json", "api-list-jobs.json" };

    [Theory]
    [MemberData(nameof(PagedRoutes))]
    public async Task A_page_token_the_store_refuses_is_a_400_naming_nextToken(string eventName)
    {
        var refusing = new RefusingTokens();
        var jobs = new TestSupport.Operations.FakeJobsControl();
        var handler = new OperatorApiHandler(
            new OperatorService(jobs, new ExecutionActions(jobs, refusing, refusing, TimeProvider.System), new TestSupport.Operations.InMemoryIdempotencyStore(), TimeProvider.System),
            new OperatorQueries(refusing, refusing, refusing),
            new JobListing(refusing, refusing, new TestSupport.InMemoryRecordStore(), new TestSupport.InMemoryPolicyStore(), null, TimeProvider.System),
            new IotJobView(jobs),
            new PolicyService(new TestSupport.InMemoryPolicyStore(), refusing, TestSupport.Sweepers.Planner(refusing, new TestSupport.InMemoryRecordStore()),
                TimeProvider.System),
            new PolicyListing(new TestSupport.InMemoryPolicyStore(), null),
            TextWriter.Null);
        var @event = WithQuery(Event(eventName), ("nextToken", "eyJLZXkiOnsiUEsiOiJKT0IjYW5vdGhlciJ9fQ"));
        var context = new InvocationContext("lambda-request-1", DateTimeOffset.UtcNow.AddSeconds(29), "arn:aws:lambda:eu-west-1:111122223333:function:jobs-api", null);

        var bytes = await handler.HandleAsync(Encoding.UTF8.GetBytes(@event.ToJsonString()), context, TestContext.Current.CancellationToken);

        var response = JsonNode.Parse(bytes)!.AsObject();
        var body = JsonNode.Parse(response["body"]!.GetValue<string>())!.AsObject();
        Assert.Equal(400, response["statusCode"]!.GetValue<int>());
        Assert.Equal(("validation.nextToken.invalid", "nextToken"), (body["code"]?.GetValue<string>(), body["field"]?.GetValue<string>()));
        Assert.DoesNotContain("exception", body["message"]!.GetValue<string>(), StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Stores that, like the DynamoDB ones, refuse every page token they are given.</summary>
    private sealed class RefusingTokens : IRecordStore, IRecordQueries, IAuditLog
    {
        private readonly InMemoryRecordStore _records = new();

        public Task<Page<AuditEntry>> ListForJobAsync(string jobId, int limit, string? pageToken, CancellationToken cancellationToken) =>
            throw new InvalidPageTokenException();

        public Task<Page<Domain.Executions.ExecutionRecord>> ListExecutionsOfJobAsync(
            string jobId, Domain.Executions.ExecutionStatus? status, int limit, string? pageToken, CancellationToken cancellationToken) =>
            throw new InvalidPageTokenException();

        public Task<Page<Domain.Executions.ExecutionRecord>> ListExecutionsOfThingAsync(string thingName, int limit, string? pageToken, CancellationToken cancellationToken) =>
            throw new InvalidPageTokenException();

        public Task<Page<KnownJob>> ListJobsAsync(int limit, string? pageToken, CancellationToken cancellationToken) =>
            throw new InvalidPageTokenException();

        public Task AppendAsync(AuditEntry entry, CancellationToken cancellationToken) => Task.CompletedTask;

        public Task<Domain.Executions.StatusCounts> GetCountsAsync(string jobId, CancellationToken cancellationToken) => _records.GetCountsAsync(jobId, cancellationToken);

        public Task<Domain.Executions.ExecutionRecord?> FindExecutionAsync(string jobId, string thingName, CancellationToken cancellationToken) =>
            _records.FindExecutionAsync(jobId, thingName, cancellationToken);

        public Task<bool> TrySaveExecutionAsync(Domain.Executions.ExecutionRecord next, Domain.Executions.CounterChange? counterChange, CancellationToken cancellationToken) =>
            _records.TrySaveExecutionAsync(next, counterChange, cancellationToken);

        public Task<Domain.Jobs.JobRecord?> FindJobAsync(string jobId, CancellationToken cancellationToken) => _records.FindJobAsync(jobId, cancellationToken);

        public Task<bool> TrySaveJobAsync(Domain.Jobs.JobRecord next, CancellationToken cancellationToken) => _records.TrySaveJobAsync(next, cancellationToken);
    }
}
