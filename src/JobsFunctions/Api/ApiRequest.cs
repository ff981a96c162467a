using System.Globalization;
using System.Text;
using System.Text.Json.Serialization.Metadata;
using JobsFunctions.Domain.Errors;
using JobsFunctions.Domain.Operations;
using JobsFunctions.Domain.Policies;

namespace JobsFunctions.Api;

/// <summary>
/// One HTTP API request, read the way the operator routes need it: path parameters (already decoded by API
/// Gateway), query values checked against the route's own list, the two operator headers, the body, and the IAM
/// caller. Header names arrive lower-cased in payload 2.0.
/// </summary>
internal sealed class ApiRequest(HttpApiRequest request, string fallbackRequestId)
{
    public const string ReasonHeader = "x-jobs-reason";
    public const string IdempotencyKeyHeader = "idempotency-key";
    public const string IfMatchHeader = "if-match";

    public string Route => request.RouteKey ?? "";

    /// <summary>API Gateway's id (the one the client sees as <c>apigw-requestid</c>), else the invocation's.</summary>
    public string RequestId => request.RequestContext?.RequestId ?? fallbackRequestId;

    public string JobId => Path("jobId");

    public string? ThingName => request.PathParameters?.GetValueOrDefault("thingName");

    public string Path(string name) => request.PathParameters?.GetValueOrDefault(name) ?? "";

    public string? Query(string name) => request.QueryStringParameters?.GetValueOrDefault(name);

    public string? Header(string name) =>
        request.Headers?.FirstOrDefault(header => string.Equals(header.Key, name, StringComparison.OrdinalIgnoreCase)).Value;

    public Caller Caller => request.RequestContext?.Authorizer?.Iam is { } iam
        ? new Caller(iam.UserArn, iam.AccountId, iam.CallerId, iam.AccessKey, iam.UserId, iam.PrincipalOrgId)
        : Caller.Anonymous;

    public OperatorContext Context => new(RequestId, Route, Caller, Header(ReasonHeader), Header(IdempotencyKeyHeader));

    /// <summary>Whether the request carries a body at all (an empty or blank one counts as none).</summary>
    public bool HasBody => !string.IsNullOrWhiteSpace(request.Body);

    /// <summary>
    /// The <c>If-Match</c> condition (RFC 9110 §13.1.1), null when the header is absent: <c>*</c>, or a list of entity
    /// tags compared strongly. A tag that is not one of ours (a weak <c>W/"1"</c>, an unquoted <c>1</c>) is kept
    /// out of the list, so it matches nothing and the request fails its precondition, as the RFC has it.
    /// </summary>
    public RevisionMatch? IfMatch()
    {
        if (Header(IfMatchHeader) is not { } header)
        {
            return null;
        }

        if (header.Trim() == "*")
        {
            return RevisionMatch.Any;
        }

        var revisions = new HashSet<long>();
        foreach (var tag in header.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (tag is ['"', .. var inner, '"']
                && long.TryParse(inner, NumberStyles.None, CultureInfo.InvariantCulture, out var revision))
            {
                revisions.Add(revision);
            }
        }

        return new RevisionMatch(false, revisions);
    }

    /// <summary>
    /// The body as text, for the record of a refused request: base64 is decoded, and bytes that are not UTF-8 become
    /// U+FFFD (the record shows what arrived; nothing is sent on). Null when there is none.
    /// </summary>
    public string? BodyText
    {
        get
        {
            if (!request.IsBase64Encoded || request.Body is null)
            {
                return request.Body;
            }

            var bytes = new byte[request.Body.Length];
            return Convert.TryFromBase64String(request.Body, bytes, out var written) ? Encoding.UTF8.GetString(bytes, 0, written) : request.Body;
        }
    }

    /// <summary>The body read into <typeparamref name="T"/>; an absent body reads as <c>{}</c>.</summary>
    public Result<T> Body<T>(JsonTypeInfo<T> typeInfo)
    {
        if (!request.IsBase64Encoded || request.Body is null)
        {
            return JsonBody.Read(request.Body, typeInfo);
        }

        var bytes = new byte[request.Body.Length];
        if (!Convert.TryFromBase64String(request.Body, bytes, out var written))
        {
            return new Error(ErrorKind.Validation, "validation.body.malformed", "The request body is marked base64 but is not valid base64.");
        }

        // Decoded leniently, bytes that are not UTF-8 would become U+FFFD and reach AWS as text the caller never sent.
        try
        {
            return JsonBody.Read(StrictUtf8.GetString(bytes, 0, written), typeInfo);
        }
        catch (DecoderFallbackException)
        {
            return new Error(ErrorKind.Validation, "validation.body.malformed", "The request body is not valid UTF-8.");
        }
    }

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>The first query parameter the route does not take, as an error naming it.</summary>
    public Error? UnknownQuery(params string[] allowed)
    {
        var unknown = request.QueryStringParameters?.Keys.FirstOrDefault(name => !allowed.Contains(name, StringComparer.Ordinal));
        return unknown is null
            ? null
            : new Error(ErrorKind.Validation, "validation.query.unknown",
                $"{unknown} is not a query parameter of this route{(allowed.Length == 0 ? "" : $" (it takes {string.Join(", ", allowed)})")}.", unknown);
    }

    /// <summary>A boolean query value, written as AWS writes them: <c>true</c> or <c>false</c>.</summary>
    public Result<bool?> BooleanQuery(string name) => Query(name) switch
    {
        null => (bool?)null,
        "true" => true,
        "false" => false,
        _ => Error.Validation(name, "type", $"{name} must be true or false."),
    };

    public Result<int?> IntegerQuery(string name)
    {
        if (Query(name) is not { } text)
        {
            return (int?)null;
        }

        return int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value)
            ? value
            : Error.Validation(name, "type", $"{name} must be a whole number.");
    }
}
