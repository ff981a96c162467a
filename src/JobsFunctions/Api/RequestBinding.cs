using JobsFunctions.Domain.Operations;
using JobsFunctions.Domain.Policies;

namespace JobsFunctions.Api;

/// <summary>
/// Turns a request into the command it carries, mirroring where AWS puts each member (path, query, body).
/// Only the shape is checked here; what the values may be is the domain's to say.
/// </summary>
internal static class RequestBinding
{
    public static Result<UpdateJob> UpdateJob(ApiRequest request)
    {
        if (request.UnknownQuery("namespaceId") is { } unknown)
        {
            return unknown;
        }

        var read = request.Body(ApiJsonContext.Default.UpdateJobBody);
        if (!read.IsSuccess)
        {
            return read.Error;
        }

        var body = read.Value;
        return new UpdateJob(request.JobId, request.Query("namespaceId"), body.Description, body.PresignedUrlConfig,
            body.JobExecutionsRolloutConfig, body.AbortConfig, body.TimeoutConfig, body.JobExecutionsRetryConfig);
    }

    public static Result<CancelJobExecution> CancelJobExecution(ApiRequest request)
    {
        if (request.UnknownQuery("force") is { } unknown)
        {
            return unknown;
        }

        var force = request.BooleanQuery("force");
        if (!force.IsSuccess)
        {
            return force.Error;
        }

        var read = request.Body(ApiJsonContext.Default.CancelJobExecutionBody);
        return read.IsSuccess
            ? new CancelJobExecution(request.JobId, request.Path("thingName"), force.Value, read.Value.ExpectedVersion, read.Value.StatusDetails)
            : read.Error;
    }

    public static Result<UpdateJobExecution> UpdateJobExecution(ApiRequest request)
    {
        if (request.UnknownQuery() is { } unknown)
        {
            return unknown;
        }

        var read = request.Body(ApiJsonContext.Default.UpdateJobExecutionBody);
        if (!read.IsSuccess)
        {
            return read.Error;
        }

        var body = read.Value;
        return new UpdateJobExecution(request.JobId, request.Path("thingName"), body.Status, body.StatusDetails,
            body.StepTimeoutInMinutes, body.ExpectedVersion, body.IncludeJobExecutionState, body.IncludeJobDocument, body.ExecutionNumber);
    }

    /// <summary>A read's <c>limit</c> and <c>nextToken</c>, plus whatever else the route takes.</summary>
    public static Result<Paging> Paging(ApiRequest request, params string[] alsoTaken)
    {
        if (request.UnknownQuery([.. alsoTaken, "limit", "nextToken"]) is { } unknown)
        {
            return unknown;
        }

        var limit = request.IntegerQuery("limit");
        return limit.IsSuccess ? new Paging(limit.Value, request.Query("nextToken")) : limit.Error;
    }

    /// <summary>A replace of a job's policy: the document is the whole body, the condition the <c>If-Match</c> header.</summary>
    public static Result<PolicyWrite> PutPolicy(ApiRequest request)
    {
        if (request.UnknownQuery() is { } unknown)
        {
            return unknown;
        }

        var read = request.Body(ApiJsonContext.Default.PolicyDocument);
        return read.IsSuccess ? new PolicyWrite(read.Value, request.IfMatch()) : read.Error;
    }

    public static Result<PolicyWrite> DeletePolicy(ApiRequest request) =>
        request.UnknownQuery() is { } unknown ? unknown : new PolicyWrite(null, request.IfMatch());

    /// <summary>A preview: the document to try, or none (the stored policy) when the body is absent, and the page asked for.</summary>
    public static Result<PolicyPreviewRequest> PreviewPolicy(ApiRequest request)
    {
        var paging = Paging(request);
        if (!paging.IsSuccess)
        {
            return paging.Error;
        }

        if (!request.HasBody)
        {
            return new PolicyPreviewRequest(null, paging.Value);
        }

        var read = request.Body(ApiJsonContext.Default.PolicyDocument);
        return read.IsSuccess ? new PolicyPreviewRequest(read.Value, paging.Value) : read.Error;
    }

    public static Result<Unit> NoQuery(ApiRequest request) =>
        request.UnknownQuery() is { } unknown ? unknown : Unit.Value;
}

internal sealed record Paging(int? Limit, string? NextToken);

internal sealed record PolicyWrite(PolicyDocument? Document, RevisionMatch? IfMatch);

internal sealed record PolicyPreviewRequest(PolicyDocument? Document, Paging Page);
