using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace JobsFunctions.Aws.Logging;

/// <summary>
/// One JSON line per outcome on stdout, with stable keys, in the shape Lambda's JSON log format passes through.
/// An outcome may carry CloudWatch Embedded Metric Format metrics: CloudWatch turns the same line into metrics, so
/// counting costs no API call.
/// </summary>
public static class JsonLog
{
    public const string MetricNamespace = "JobsFunctions";

    private static readonly object Gate = new();

    // Log lines are read as text, never embedded in HTML: keep quotes and non-ASCII readable.
    private static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static TextWriter Output { get; set; } = Console.Out;

    public static void Info(string message, params (string Key, object? Value)[] fields) => Write(Output, "INFO", message, fields);

    public static void Warn(string message, params (string Key, object? Value)[] fields) => Write(Output, "WARN", message, fields);

    public static void Error(string message, params (string Key, object? Value)[] fields) => Write(Output, "ERROR", message, fields);

    /// <summary>A log line that is also a metric datum: <paramref name="metrics"/> values under the given dimensions.</summary>
    public static void Metric(
        string level,
        string message,
        (string Key, object? Value)[] fields,
        (string[] Dimensions, (string Name, string Unit, double Value)[] Values) metrics) =>
        Write(Output, level, message, fields, metrics);

    /// <summary>Writes one line to <paramref name="output"/>; fields with a null value are left out.</summary>
    public static void Write(
        TextWriter output,
        string level,
        string message,
        (string Key, object? Value)[] fields,
        (string[] Dimensions, (string Name, string Unit, double Value)[] Values)? metrics = null)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(fields);
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, Options))
        {
            json.WriteStartObject();
            json.WriteString("timestamp", DateTimeOffset.UtcNow.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
            json.WriteString("level", level);
            json.WriteString("message", message);
            foreach (var (key, value) in fields)
            {
                WriteValue(json, key, value);
            }

            if (metrics is { } emf)
            {
                WriteMetrics(json, emf.Dimensions, emf.Values);
            }

            json.WriteEndObject();
        }

        var line = Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
        lock (Gate)
        {
            output.WriteLine(line);
            output.Flush();
        }
    }

    private static void WriteMetrics(Utf8JsonWriter json, string[] dimensions, (string Name, string Unit, double Value)[] values)
    {
        json.WriteStartObject("_aws");
        json.WriteNumber("Timestamp", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        json.WriteStartArray("CloudWatchMetrics");
        json.WriteStartObject();
        json.WriteString("Namespace", MetricNamespace);
        json.WriteStartArray("Dimensions");
        json.WriteStartArray();
        foreach (var dimension in dimensions)
        {
            json.WriteStringValue(dimension);
        }

        json.WriteEndArray();
        json.WriteEndArray();
        json.WriteStartArray("Metrics");
        foreach (var (name, unit, _) in values)
        {
            json.WriteStartObject();
            json.WriteString("Name", name);
            json.WriteString("Unit", unit);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
        json.WriteEndArray();
        json.WriteEndObject();
        foreach (var (name, _, value) in values)
        {
            json.WriteNumber(name, value);
        }
    }

    private static void WriteValue(Utf8JsonWriter json, string key, object? value)
    {
        switch (value)
        {
            case null:
                return;
            case string text:
                json.WriteString(key, text);
                break;
            case bool flag:
                json.WriteBoolean(key, flag);
                break;
            case int number:
                json.WriteNumber(key, number);
                break;
            case long number:
                json.WriteNumber(key, number);
                break;
            case double number:
                json.WriteNumber(key, number);
                break;
            default:
                json.WriteString(key, Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture));
                break;
        }
    }
}
