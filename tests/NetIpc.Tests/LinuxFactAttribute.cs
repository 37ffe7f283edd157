namespace NetIpc.Tests;

/// <summary>A fact about the live kernel: reported as skipped, with the reason, where there is no /proc/net.</summary>
public sealed class LinuxFactAttribute : FactAttribute
{
    public LinuxFactAttribute()
    {
        if (!OperatingSystem.IsLinux() || !File.Exists("/proc/self/net/tcp"))
        {
            Skip = "needs Linux with /proc/net: these tests read the live kernel's tables";
        }
    }
}
