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

    /// <summary>glibc's malloc_trim(3): hands the free memory of every malloc arena back to the system. Not in musl.</summary>
    [LibraryImport("libc", EntryPoint = "malloc_trim")]
    public static partial int MallocTrim(nuint pad);

    [LibraryImport("libc", EntryPoint = "socketpair", SetLastError = true)]
    public static partial int SocketPair(int domain, int type, int protocol, Span<int> fds);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    public static partial int Close(int fd);

    [LibraryImport("libc", EntryPoint = "socket", SetLastError = true)]
    public static partial int Socket(int domain, int type, int protocol);

    [LibraryImport("libc", EntryPoint = "bind", SetLastError = true)]
    public static partial int Bind(int fd, ReadOnlySpan<byte> address, int length);

    [LibraryImport("libc", EntryPoint = "listen", SetLastError = true)]
    public static partial int Listen(int fd, int backlog);

    [LibraryImport("libc", EntryPoint = "unlink", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Unlink(string path);

    [LibraryImport("libc", EntryPoint = "sendmsg", SetLastError = true)]
    public static partial nint SendMsg(int fd, ref MsgHdr message, int flags);

    [LibraryImport("libc", EntryPoint = "recvmsg", SetLastError = true)]
    public static partial nint RecvMsg(int fd, ref MsgHdr message, int flags);

    /// <summary>SIOCGSTAMPNS (include/uapi/asm-generic/sockios.h): when the last packet read from a socket arrived, CLOCK_REALTIME.</summary>
    public const nuint SiocGStampNs = 0x8907;

    [LibraryImport("libc", EntryPoint = "ioctl", SetLastError = true)]
    public static partial int IoctlTimespec(int fd, nuint request, out Timespec value);

    [LibraryImport("libc", EntryPoint = "geteuid")]
    public static partial uint GetEffectiveUserId();

    [LibraryImport("libc", EntryPoint = "getegid")]
    public static partial uint GetEffectiveGroupId();

    /// <summary>getppid(): a system call that does next to nothing, to time entering and leaving the kernel.</summary>
    [LibraryImport("libc", EntryPoint = "getppid")]
    public static partial int GetParentProcessId();

    public const int FGetFl = 3, ONonBlock = 0x800;

    [LibraryImport("libc", EntryPoint = "fcntl", SetLastError = true)]
    public static partial int Fcntl(int fd, int command);

    [LibraryImport("libc", EntryPoint = "getsockopt", SetLastError = true)]
    public static partial int GetSockOpt(int fd, int level, int name, out int value, ref int length);

    /// <summary>accept(fd, NULL, NULL).</summary>
    [LibraryImport("libc", EntryPoint = "accept", SetLastError = true)]
    public static partial int Accept(int fd, nint address, nint length);

    /// <summary>_LINUX_CAPABILITY_VERSION_3 (include/uapi/linux/capability.h): two 32-bit words per set.</summary>
    public const uint CapabilityVersion3 = 0x20080522;

    /// <summary>capget(2) for the thread <paramref name="header"/> names (pid 0: the calling thread).</summary>
    [LibraryImport("libc", EntryPoint = "capget", SetLastError = true)]
    public static partial int CapGet(ref CapHeader header, Span<CapData> data);

    /// <summary>capset(2): changes the calling thread's sets only — capabilities are per thread in the kernel.</summary>
    [LibraryImport("libc", EntryPoint = "capset", SetLastError = true)]
    public static partial int CapSet(ref CapHeader header, ReadOnlySpan<CapData> data);

    [LibraryImport("libc", EntryPoint = "send", SetLastError = true)]
    public static partial nint Send(int fd, ReadOnlySpan<byte> buffer, nuint length, int flags);

    [LibraryImport("libc", EntryPoint = "recv", SetLastError = true)]
    public static partial nint Recv(int fd, Span<byte> buffer, nuint length, int flags);

    [LibraryImport("libc", EntryPoint = "setsockopt", SetLastError = true)]
    public static partial int SetSockOpt(int fd, int level, int name, in Timeval value, uint length);

    /// <summary>ioctl(fd, request, &amp;value) for the requests that answer one int (SIOCOUTQ, SIOCOUTQNSD).</summary>
    [LibraryImport("libc", EntryPoint = "ioctl", SetLastError = true)]
    public static partial int Ioctl(int fd, nuint request, out int value);
}

/// <summary>struct iovec (include/uapi/linux/uio.h).</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct IoVec
{
    public nint Base;
    public nuint Length;
}

/// <summary>struct msghdr as glibc lays it out on 64-bit Linux (sequential layout adds the same padding).</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct MsgHdr
{
    public nint Name;
    public uint NameLength;
    public nint Iov;
    public nuint IovLength;
    public nint Control;
    public nuint ControlLength;
    public int Flags;
}

/// <summary>struct timespec on 64-bit Linux.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct Timespec
{
    public long Seconds;
    public long Nanoseconds;
}

/// <summary>struct __user_cap_header_struct.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct CapHeader
{
    public uint Version;
    public int Pid;
}

/// <summary>struct __user_cap_data_struct: one 32-bit word of each set (version 3 passes two).</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct CapData
{
    public uint Effective;
    public uint Permitted;
    public uint Inheritable;
}

/// <summary>struct timeval on 64-bit Linux (SO_RCVTIMEO).</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct Timeval
{
    public long Seconds;
    public long Microseconds;
}
