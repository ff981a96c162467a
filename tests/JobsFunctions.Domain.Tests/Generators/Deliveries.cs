using CsCheck;

namespace JobsFunctions.Domain.Tests.Generators;

/// <summary>At-least-once, unordered delivery: every item arrives, some more than once, in any order.</summary>
internal static class Deliveries
{
    public static Gen<(IReadOnlyList<T> Distinct, T[] Delivered)> Of<T>(Gen<IReadOnlyList<T>> items) =>
        from distinct in items
        from repeats in Gen.Int[0, distinct.Count - 1].Array[0, distinct.Count]
        from delivered in Gen.Shuffle(distinct.Concat(repeats.Select(index => distinct[index])).ToArray())
        select (distinct, delivered);
}
