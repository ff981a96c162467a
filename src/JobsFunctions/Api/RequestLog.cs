using System.Buffers;
using System.Text;
using System.Text.Json;

namespace JobsFunctions.Api;

/// <summary>
/// One JSON line per request with stable keys: level, route, jobId, thingName, status (HTTP), outcome (success or
/// the error code) and requestId. Bodies are never logged: they may carry whatever a device put in statusDetails.
/// </summary>
internal static class RequestLog
{
    public static void Write(TextWriter log, ApiRequest request, int status, string outcome)
    {
        ArgumentNullException.ThrowIfNull(log);
        ArgumentNullException.ThrowIfNull(request);
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("level", status >= 500 ? "ERROR" : status >= 400 ? "WARN" : "INFO");
            json.WriteString("route", request.Route);
            WriteOptional(json, "jobId", request.Path("jobId"));
            WriteOptional(json, "thingName", request.ThingName);
            json.WriteNumber("status", status);
            json.WriteString("outcome", outcome);
            json.WriteString("requestId", request.RequestId);
            json.WriteEndObject();
        }

        log.WriteLine(Encoding.UTF8.GetString(buffer.WrittenSpan));
    }

    private static void WriteOptional(Utf8JsonWriter json, string name, string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            json.WriteNull(name);
        }
        else
        {
            json.WriteString(name, value);
        }
    }
}
