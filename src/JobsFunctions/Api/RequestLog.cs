using JobsFunctions.Aws.Logging;

namespace JobsFunctions.Api;

/// <summary>
/// One JSON line per request with stable keys: level, route, jobId, thingName, status (HTTP), outcome (success or
/// the error code) and requestId, plus a request count by route and status class as an embedded metric. Bodies are
/// never logged: they may carry whatever a device put in statusDetails.
/// </summary>
internal static class RequestLog
{
    public static void Write(TextWriter log, ApiRequest request, int status, string outcome)
    {
        ArgumentNullException.ThrowIfNull(request);
        var level = status >= 500 ? "ERROR" : status >= 400 ? "WARN" : "INFO";
        JsonLog.Write(log, level, $"{request.Route} answered {status}",
            [
                ("route", request.Route), ("jobId", request.Path("jobId")), ("thingName", request.ThingName), ("status", status),
                ("outcome", outcome), ("requestId", request.RequestId), ("Function", "api"), ("StatusClass", $"{status / 100}xx"),
            ],
            (["Function", "StatusClass"], [("Requests", "Count", 1)]));
    }
}
