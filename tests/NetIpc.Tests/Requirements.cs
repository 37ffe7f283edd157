namespace NetIpc.Tests;

/// <summary>Why a test about the live kernel cannot run here, or null when it can.</summary>
internal static class Requirements
{
    public static string? Linux => OperatingSystem.IsLinux() && File.Exists("/proc/self/net/tcp")
        ? null : "needs Linux with /proc/net: these tests read the live kernel's tables";

    public static string? NetworkNamespace => Namespaces.NetworkNamespace.Unavailable;
}

/// <summary>A fact about the live kernel: reported as skipped, with the reason, where there is no /proc/net.</summary>
public sealed class LinuxFactAttribute : FactAttribute
{
    public LinuxFactAttribute() => Skip = Requirements.Linux;
}

/// <summary>A theory about the live kernel: skipped, with the reason, where there is no /proc/net.</summary>
public sealed class LinuxTheoryAttribute : TheoryAttribute
{
    public LinuxTheoryAttribute() => Skip = Requirements.Linux;
}

/// <summary>A fact that needs a network namespace of its own (Linux, root): skipped, with the reason, elsewhere.</summary>
public sealed class RootFactAttribute : FactAttribute
{
    public RootFactAttribute() => Skip = Requirements.NetworkNamespace;
}

/// <summary>A theory that needs a network namespace of its own (Linux, root): skipped, with the reason, elsewhere.</summary>
public sealed class RootTheoryAttribute : TheoryAttribute
{
    public RootTheoryAttribute() => Skip = Requirements.NetworkNamespace;
}
