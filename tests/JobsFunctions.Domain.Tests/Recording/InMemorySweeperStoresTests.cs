using JobsFunctions.TestSupport;

namespace JobsFunctions.Domain.Tests.Recording;

/// <summary>The in-memory policy store is held to the contract the DynamoDB one is.</summary>
public sealed class InMemoryPolicyStoreTests : PolicyStoreContract<InMemoryPolicyStore>
{
    protected override ValueTask<InMemoryPolicyStore> NewStoreAsync() => ValueTask.FromResult(new InMemoryPolicyStore());
}

/// <summary>The in-memory sweep state is held to the contract the DynamoDB one is.</summary>
public sealed class InMemorySweepStateTests : SweepStateContract<InMemorySweepState>
{
    protected override ValueTask<InMemorySweepState> NewStateAsync() => ValueTask.FromResult(new InMemorySweepState());
}
