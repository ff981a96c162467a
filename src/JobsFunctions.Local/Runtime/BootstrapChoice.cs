using System.Runtime.InteropServices;

namespace JobsFunctions.Local.Runtime;

/// <summary>
/// How the local stack runs the functions: the Native AOT <c>bootstrap</c> a deploy ships (built for linux-x64, so only
/// on a linux-x64 host), or, where that cannot be built or when <c>--jit</c> asks for it, the same code as a
/// framework-dependent build of src/JobsFunctions run under <c>dotnet</c>.
/// </summary>
/// <param name="Jit">Whether the functions run JIT-compiled under <c>dotnet</c>.</param>
/// <param name="Reason">Why they run JIT-compiled (null for Native AOT).</param>
public sealed record BootstrapChoice(bool Jit, string? Reason)
{
    public static BootstrapChoice NativeAot { get; } = new(false, null);

    /// <summary>The choice on a host with this operating system and processor.</summary>
    public static BootstrapChoice For(bool jitAsked, OSPlatform system, Architecture processor)
    {
        if (jitAsked)
        {
            return new BootstrapChoice(true, "--jit");
        }

        if (system != OSPlatform.Linux || processor != Architecture.X64)
        {
            var name = system == OSPlatform.Linux ? "linux" : system == OSPlatform.OSX ? "macOS" : system == OSPlatform.Windows ? "Windows" : system.ToString();
            return new BootstrapChoice(true, $"this host is {name} on {processor.ToString().ToLowerInvariant()}, and the Native AOT bootstrap builds for linux-x64 only");
        }

        return NativeAot;
    }

    /// <summary>The choice on the machine this runs on.</summary>
    public static BootstrapChoice ForThisHost(bool jitAsked) =>
        For(jitAsked, ThisSystem(), RuntimeInformation.OSArchitecture);

    private static OSPlatform ThisSystem() =>
        OperatingSystem.IsLinux() ? OSPlatform.Linux
        : OperatingSystem.IsMacOS() ? OSPlatform.OSX
        : OperatingSystem.IsWindows() ? OSPlatform.Windows
        : OSPlatform.FreeBSD;
}
