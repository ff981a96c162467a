using System.Text.Json;
using JobsFunctions.Domain.Errors;
using JobsFunctions.Domain.Operations;
using JobsFunctions.Domain.Policies;
using JobsFunctions.Domain.Recording;
using JobsFunctions.Hosting;

namespace JobsFunctions.Api;

/// <summary>
/// The operator API behind API Gateway (HTTP API, payload 2.0, AWS_IAM routes). Each route binds its command,
/// makes one call to the domain, and maps the outcome; every request leaves one JSON log line. An unexpected
/// failure is logged and rethrown, so the invocation fails and API Gateway answers a bare 500.
/// </summary>
internal sealed class OperatorApiHandler(
    OperatorService operations, OperatorQueries queries, JobListing jobListing, IotJobView iotJobs, PolicyService policies, PolicyListing policyListing, TextWriter log) : IFunctionHandler
{
    public async Task<byte[]> HandleAsync(ReadOnlyMemory<byte> payload, InvocationContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var request = new ApiRequest(
            JsonSerializer.Deserialize(payload.Span, ApiJsonContext.Default.HttpApiRequest)
                ?? throw new JsonException("The invocation payload is not an API Gateway HTTP API event."),
            context.RequestId);

        Reply reply;
        try
        {
            reply = await DispatchAsync(request, cancellationToken);
        }
        catch
        {
            RequestLog.Write(log, request, status: 500, AuditEntry.Unknown);
            throw;
        }

        RequestLog.Write(log, request, reply.Response.StatusCode, reply.Outcome);
        return JsonSerializer.SerializeToUtf8Bytes(reply.Response, ApiJsonContext.Default.HttpApiResponse);
    }

    private Task<Reply> DispatchAsync(ApiRequest request, CancellationToken cancellationToken) => request.Route switch
    {
        "PATCH /jobs/{jobId}" => Answer(
            RequestBinding.UpdateJob(request),
            command => operations.UpdateJobAsync(command, request.Context, cancellationToken),
            _ => ApiResponses.Success(new EmptyBody(), ApiJsonContext.Default.EmptyBody)),
        "PUT /things/{thingName}/jobs/{jobId}/cancel" => Answer(
            RequestBinding.CancelJobExecution(request),
            command => operations.CancelJobExecutionAsync(command, request.Context, cancellationToken),
            _ => ApiResponses.Success(new EmptyBody(), ApiJsonContext.Default.EmptyBody)),
        "POST /things/{thingName}/jobs/{jobId}" => Answer(
            RequestBinding.UpdateJobExecution(request),
            command => operations.UpdateJobExecutionAsync(command, request.Context, cancellationToken),
            update => ApiResponses.Success(UpdateJobExecutionResponse.Of(update), ApiJsonContext.Default.UpdateJobExecutionResponse)),
        "GET /jobs" => Answer(
            RequestBinding.Paging(request, "status"),
            paging => jobListing.ListAsync(request.Query("status"), paging.Limit, paging.NextToken, cancellationToken),
            page => ApiResponses.Success(JobListResponse.Of(page), ApiJsonContext.Default.JobListResponse)),
        "GET /jobs/{jobId}" => Answer(
            RequestBinding.NoQuery(request),
            _ => queries.GetJobAsync(request.JobId, cancellationToken),
            view => ApiResponses.Success(JobResponse.Of(view), ApiJsonContext.Default.JobResponse)),
        "GET /jobs/{jobId}/iot" => Answer(
            RequestBinding.NoQuery(request),
            _ => iotJobs.DescribeAsync(request.JobId, cancellationToken),
            description => ApiResponses.Success(JobIotResponse.Of(description), ApiJsonContext.Default.JobIotResponse)),
        "GET /jobs/{jobId}/executions" => Answer(
            RequestBinding.Paging(request, "status"),
            paging => queries.ListExecutionsOfJobAsync(request.JobId, request.Query("status"), paging.Limit, paging.NextToken, cancellationToken),
            page => ApiResponses.Success(ExecutionListResponse.Of(page), ApiJsonContext.Default.ExecutionListResponse)),
        "GET /things/{thingName}/jobs/{jobId}/ledger" => Answer(
            RequestBinding.NoQuery(request),
            _ => queries.GetExecutionAsync(request.JobId, request.Path("thingName"), cancellationToken),
            record => ApiResponses.Success(ExecutionLedgerResponse.Of(record), ApiJsonContext.Default.ExecutionLedgerResponse)),
        "GET /things/{thingName}/executions" => Answer(
            RequestBinding.Paging(request),
            paging => queries.ListExecutionsOfThingAsync(request.Path("thingName"), paging.Limit, paging.NextToken, cancellationToken),
            page => ApiResponses.Success(ExecutionListResponse.Of(page, withLatestFailure: true), ApiJsonContext.Default.ExecutionListResponse)),
        "GET /jobs/{jobId}/audit" => Answer(
            RequestBinding.Paging(request),
            paging => queries.ListAuditAsync(request.JobId, paging.Limit, paging.NextToken, cancellationToken),
            page => ApiResponses.Success(AuditListResponse.Of(page), ApiJsonContext.Default.AuditListResponse)),
        "GET /jobs/{jobId}/policy" => Answer(
            RequestBinding.NoQuery(request),
            _ => policies.GetAsync(request.JobId, cancellationToken),
            PolicyReply),
        "PUT /jobs/{jobId}/policy" => Answer(
            RequestBinding.PutPolicy(request),
            write => policies.PutAsync(request.JobId, write.Document!, write.IfMatch, request.Context, cancellationToken),
            PolicyReply,
            refusal => policies.RecordRefusedPutAsync(request.JobId, request.IfMatch(), refusal, request.BodyText, request.Context, cancellationToken)),
        "DELETE /jobs/{jobId}/policy" => Answer(
            RequestBinding.DeletePolicy(request),
            write => policies.DeleteAsync(request.JobId, write.IfMatch, request.Context, cancellationToken),
            _ => ApiResponses.Success(new EmptyBody(), ApiJsonContext.Default.EmptyBody)),
        "GET /policies" => Answer(
            RequestBinding.Paging(request),
            paging => policyListing.ListAsync(paging.Limit, paging.NextToken, cancellationToken),
            list => ApiResponses.Success(PolicyListResponse.Of(list), ApiJsonContext.Default.PolicyListResponse)),
        "POST /jobs/{jobId}/policy/preview" => Answer(
            RequestBinding.PreviewPolicy(request),
            preview => policies.PreviewAsync(request.JobId, preview.Document, preview.Page.Limit, preview.Page.NextToken, cancellationToken),
            preview => ApiResponses.Success(PolicyPreviewResponse.Of(preview), ApiJsonContext.Default.PolicyPreviewResponse)),
        _ => Task.FromResult(Reply.Of(Error.NotFound("notFound.route", $"This API has no route {request.Route}."))),
    };

    private static HttpApiResponse PolicyReply(StoredPolicy stored) =>
        ApiResponses.Success(PolicyResponse.Of(stored), ApiJsonContext.Default.PolicyResponse, PolicyService.ETagOf(stored.Revision));

    /// <summary>
    /// Runs a bound request and maps its outcome. <paramref name="recordRefusal"/>, where a route has one, puts a
    /// request refused at binding on the audit trail, since the domain call that would have audited it never runs.
    /// </summary>
    private static async Task<Reply> Answer<TIn, TOut>(
        Result<TIn> bound, Func<TIn, Task<Result<TOut>>> call, Func<TOut, HttpApiResponse> success, Func<Error, Task>? recordRefusal = null)
    {
        if (!bound.IsSuccess)
        {
            if (recordRefusal is not null)
            {
                await recordRefusal(bound.Error);
            }

            return Reply.Of(bound.Error);
        }

        Result<TOut> result;
        try
        {
            result = await call(bound.Value);
        }
        catch (InvalidPageTokenException)
        {
            // Only the store can tell its own tokens from a truncated one or one issued for another job or route.
            return Reply.Of(Error.Validation("nextToken", "invalid", "nextToken is not a token this API issued for this listing; start again without it."));
        }

        return result.IsSuccess ? new Reply(success(result.Value), AuditEntry.Succeeded) : Reply.Of(result.Error);
    }

    private sealed record Reply(HttpApiResponse Response, string Outcome)
    {
        public static Reply Of(Error error) => new(ApiResponses.Failure(error), error.Code);
    }
}
