using System.Net.Sockets;
using NetIpc.Native;

namespace NetIpc.Sockets;

/// <summary>
/// The socket calls the seed's C programs make, spelled the same way, over System.Net.Sockets: an fd is
/// the real descriptor number, a failed call returns -1 and sets <see cref="errno"/>. With tracing on,
/// each call prints itself like strace: <c>bind(193, 0.0.0.0:9501) = -1 EADDRINUSE (98)</c>.
/// Meant for notebook cells that read like the seed (<c>using static NetIpc.Sockets.Sys;</c>);
/// <see cref="CloseAll"/> closes whatever a chapter left open.
/// This file holds the constants and errno; the calls are in Sys.Calls.cs, the table of open descriptors
/// in Sys.Descriptors.cs, and how a call fails and prints itself in Sys.Trace.cs.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Style", "IDE1006", Justification = "C names, on purpose")]
public static partial class Sys
{
    public const AddressFamily AF_INET = AddressFamily.InterNetwork;
    public const AddressFamily AF_INET6 = AddressFamily.InterNetworkV6;
    public const AddressFamily AF_UNIX = AddressFamily.Unix;
    public const SocketType SOCK_STREAM = SocketType.Stream;
    public const SocketType SOCK_DGRAM = SocketType.Dgram;
    /// <summary>OR it into the type, as in C: <c>socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK)</c>.</summary>
    public const SocketType SOCK_NONBLOCK = (SocketType)0x800;
    public const int SOL_SOCKET = Native.SocketOptions.SolSocket;
    public const int SO_REUSEADDR = Native.SocketOptions.SoReuseAddr;
    public const int SO_SNDBUF = Native.SocketOptions.SoSndBuf;
    public const int SO_RCVBUF = Native.SocketOptions.SoRcvBuf;
    public const int SO_REUSEPORT = Native.SocketOptions.SoReusePort;
    public const int EAGAIN = Errno.EAGAIN;
    public const int EINPROGRESS = Errno.EINPROGRESS;
    public const int EBADF = Errno.EBADF;
    public const int EINVAL = Errno.EINVAL;
    public const int EADDRINUSE = Errno.EADDRINUSE;

    /// <summary>The error of the last call that returned -1, as in C. Thread-local, like C's errno.</summary>
    [ThreadStatic]
    private static int lastErrno;

    public static int errno => lastErrno;

    /// <summary>
    /// The chapter's sentence about a call, checked: <paramref name="result"/> is what the call returned, and
    /// <paramref name="expectedErrno"/> 0 means it must have succeeded, anything else that it failed with that
    /// errno. Throws <see cref="NetIpc.Harness.ProofFailedException"/> naming what the kernel did instead.
    /// </summary>
    public static void expect(int result, int expectedErrno)
    {
        bool holds = expectedErrno == 0 ? result != -1 : result == -1 && lastErrno == expectedErrno;
        if (!holds)
        {
            string wanted = expectedErrno == 0 ? "the call succeeds" : $"the call fails with {Errno.Describe(expectedErrno)}";
            string seen = result == -1 ? $"-1 {Errno.Describe(lastErrno)}" : $"it returned {result}";
            throw new NetIpc.Harness.ProofFailedException([new NetIpc.Harness.ProofCheck(wanted, false, seen)]);
        }
    }

    /// <summary>The chapter's sentence about a call's return value, checked: e.g. read() at end of file returns 0.</summary>
    public static void expect_returns(int result, int expected)
    {
        if (result != expected)
        {
            string seen = result == -1 ? $"-1 {Errno.Describe(lastErrno)}" : $"it returned {result}";
            throw new NetIpc.Harness.ProofFailedException([new NetIpc.Harness.ProofCheck($"the call returns {expected}", false, seen)]);
        }
    }

    /// <summary>"EADDRINUSE (98)": the name and number of <see cref="errno"/>.</summary>
    public static string strerror(int error) => Errno.Describe(error);
}
