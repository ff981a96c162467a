using System.Runtime.InteropServices;
using JobsFunctions.Local.Runtime;

namespace JobsFunctions.Local.Tests.Runtime;

/// <summary>Native AOT for Lambda builds only for linux-x64: elsewhere, and when asked, the functions run JIT-compiled.</summary>
public sealed class BootstrapChoiceTests
{
    [Fact]
    public void A_linux_x64_host_runs_the_Native_AOT_bootstrap()
    {
        Assert.Equal(BootstrapChoice.NativeAot, BootstrapChoice.For(jitAsked: false, OSPlatform.Linux, Architecture.X64));
    }

    [Fact]
    public void Asking_for_jit_runs_the_functions_under_dotnet_even_where_Native_AOT_builds()
    {
        Assert.Equal(new BootstrapChoice(true, "--jit"), BootstrapChoice.For(jitAsked: true, OSPlatform.Linux, Architecture.X64));
    }

    [Theory]
    [InlineData("OSX", Architecture.Arm64, "this host is macOS on arm64")]
    [InlineData("OSX", Architecture.X64, "this host is macOS on x64")]
    [InlineData("WINDOWS", Architecture.X64, "this host is Windows on x64")]
    [InlineData("LINUX", Architecture.Arm64, "this host is linux on arm64")]
    public void Any_other_host_runs_the_functions_under_dotnet_and_says_why(string system, Architecture processor, string reason)
    {
        var choice = BootstrapChoice.For(jitAsked: false, OSPlatform.Create(system), processor);

        Assert.True(choice.Jit);
        Assert.StartsWith(reason, choice.Reason, StringComparison.Ordinal);
        Assert.EndsWith("the Native AOT bootstrap builds for linux-x64 only", choice.Reason, StringComparison.Ordinal);
    }
}
