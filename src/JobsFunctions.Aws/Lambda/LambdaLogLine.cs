using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace JobsFunctions.Aws.Lambda;

/// <summary>
/// The runtime's own log lines: one JSON object per line on standard error (CloudWatch Logs), with stable keys so a
/// Logs Insights query can filter on them.
/// </summary>
public static class LambdaLogLine
{
    // Log lines are read as text, never embedded in HTML: keep quotes and non-ASCII readable.
    private static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static void Write(TextWriter log, string level, string? requestId, string errorType, string message)
    {
        ArgumentNullException.ThrowIfNull(log);
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var json = new Utf8JsonWriter(buffer, Options))
        {
            json.WriteStartObject();
            json.WriteString("level", level);
            if (requestId is not null)
            {
                json.WriteString("requestId", requestId);
            }

            json.WriteString("errorType", errorType);
            json.WriteString("message", message);
            json.WriteEndObject();
        }

        log.WriteLine(Encoding.UTF8.GetString(buffer.WrittenSpan));
    }
}
