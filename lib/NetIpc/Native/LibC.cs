using System.Runtime.InteropServices;

namespace NetIpc.Native;

/// <summary>The few libc calls .NET does not expose. Linux only; callers check the OS first.</summary>
internal static partial class LibC
{
    public const int CloneNewNet = 0x40000000;

    [LibraryImport("libc", EntryPoint = "unshare", SetLastError = true)]
    public static partial int Unshare(int flags);

    [LibraryImport("libc", EntryPoint = "gettid")]
    public static partial int GetThreadId();

    [LibraryImport("libc", EntryPoint = "geteuid")]
    public static partial uint GetEffectiveUserId();
}
