namespace NetIpc.Tests;

/// <summary>A theory about the live kernel: skipped, with the reason, where there is no /proc/net.</summary>
public sealed class LinuxTheoryAttribute : TheoryAttribute
{
    public LinuxTheoryAttribute()
    {
        if (!OperatingSystem.IsLinux() || !File.Exists("/proc/self/net/tcp"))
        {
            Skip = "needs Linux with /proc/net: these tests read the live kernel's tables";
        }
    }
}
