using System.Collections.Frozen;
using JobsFunctions.Hosting;

namespace JobsFunctions;

/// <summary>
/// The one place that knows which functions this bootstrap hosts and how each is built. A handler is built once per
/// execution environment, at cold start; a factory that cannot find its configuration throws, which fails the cold
/// start with that message instead of failing the first invocation.
/// </summary>
internal static class CompositionRoot
{
    // One line per function: the _HANDLER value the template gives it, and how to build it. The known names and the
    // factories come from this single table so the two can never disagree.
    private static readonly FrozenDictionary<string, Func<IFunctionHandler>> Factories =
        new Dictionary<string, Func<IFunctionHandler>>(StringComparer.Ordinal)
        {
        }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>Every <c>_HANDLER</c> value this bootstrap answers to.</summary>
    public static IReadOnlyCollection<string> KnownHandlerNames => Factories.Keys;

    /// <summary>Builds the handler named by <c>_HANDLER</c>, or null when there is no such function.</summary>
    public static IFunctionHandler? CreateHandler(string handlerName) =>
        Factories.TryGetValue(handlerName, out var create) ? create() : null;
}
