namespace JobsFunctions.Aws;

/// <summary>
/// The environment variables every AWS SDK honours for endpoints: <c>AWS_ENDPOINT_URL_&lt;SERVICE&gt;</c> (named from the
/// service id, e.g. DYNAMODB, IOT, IOT_JOBS_DATA_PLANE), then the global <c>AWS_ENDPOINT_URL</c>, both switched off by
/// <c>AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true</c>. This is what lets the same binary run against local servers.
/// </summary>
public static class AwsEnvironment
{
    /// <summary>The endpoint configured for a service, or null for the service's regional default.</summary>
    public static Uri? ConfiguredEndpoint(Func<string, string?> getVariable, string serviceVariable)
    {
        ArgumentNullException.ThrowIfNull(getVariable);
        if (string.Equals(Value(getVariable, "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"), "true", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        return Endpoint(getVariable, serviceVariable) ?? Endpoint(getVariable, "AWS_ENDPOINT_URL");
    }

    public static string? Value(Func<string, string?> getVariable, string name)
    {
        ArgumentNullException.ThrowIfNull(getVariable);
        var value = getVariable(name);
        return string.IsNullOrWhiteSpace(value) ? null : value.Trim();
    }

    private static Uri? Endpoint(Func<string, string?> getVariable, string name)
    {
        var value = Value(getVariable, name);
        if (value is null)
        {
            return null;
        }

        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
        {
            throw new InvalidOperationException($"{name} must be an absolute http(s) URL, got '{value}'.");
        }

        return uri;
    }
}
