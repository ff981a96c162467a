using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using JobsFunctions.Domain.Errors;

namespace JobsFunctions.Api;

/// <summary>The one place where outcomes become HTTP: each error kind has exactly one status.</summary>
internal static class ApiResponses
{
    /// <summary>When the service asked for a pause without saying how long, the shortest honest wait.</summary>
    public static readonly TimeSpan DefaultRetryAfter = TimeSpan.FromSeconds(1);

    public static int StatusOf(ErrorKind kind) => kind switch
    {
        ErrorKind.Validation => 400,
        ErrorKind.NotFound => 404,
        ErrorKind.Conflict => 409,
        ErrorKind.Throttled => 429,
        ErrorKind.Unavailable => 503,
        ErrorKind.PreconditionFailed => 412,
        ErrorKind.Dependency => 502,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    public static HttpApiResponse Failure(Error error)
    {
        ArgumentNullException.ThrowIfNull(error);
        var headers = JsonHeaders();
        if (error.Kind == ErrorKind.Throttled)
        {
            var seconds = Math.Max(1, (int)Math.Ceiling((error.RetryAfter ?? DefaultRetryAfter).TotalSeconds));
            headers["retry-after"] = seconds.ToString(CultureInfo.InvariantCulture);
        }

        var body = new ErrorBody(error.Code, error.Message, error.Field, ExecutionStateBody.Of(error.CurrentState));
        return new HttpApiResponse(StatusOf(error.Kind), headers, JsonSerializer.Serialize(body, ApiJsonContext.Default.ErrorBody));
    }

    /// <summary>A 200 with <paramref name="body"/>, and the entity tag of what it shows when it has one.</summary>
    public static HttpApiResponse Success<T>(T body, JsonTypeInfo<T> typeInfo, string? etag = null)
    {
        var headers = JsonHeaders();
        if (etag is not null)
        {
            headers["etag"] = etag;
        }

        return new HttpApiResponse(200, headers, JsonSerializer.Serialize(body, typeInfo));
    }

    private static Dictionary<string, string> JsonHeaders() => new(StringComparer.Ordinal) { ["content-type"] = "application/json" };
}
