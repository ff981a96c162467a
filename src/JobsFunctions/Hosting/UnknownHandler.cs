using JobsFunctions.Aws.Lambda;

namespace JobsFunctions.Hosting;

/// <summary>
/// The cold-start failure for a <c>_HANDLER</c> this bootstrap does not host: a template/code mismatch that must be
/// visible on the first invoke, naming the values that would have worked.
/// </summary>
internal static class UnknownHandler
{
    public static LambdaError Error(string? handlerName, IReadOnlyCollection<string> knownHandlerNames)
    {
        var known = knownHandlerNames.Count == 0
            ? "(none)"
            : string.Join(", ", knownHandlerNames.Order(StringComparer.Ordinal));
        var message = string.IsNullOrWhiteSpace(handlerName)
            ? $"_HANDLER is not set; it must be one of: {known}."
            : $"_HANDLER '{handlerName}' is not one of: {known}.";
        return LambdaError.ForRuntime("HandlerNotFound", message);
    }
}
