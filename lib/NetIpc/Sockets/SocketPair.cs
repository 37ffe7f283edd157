using System.Net.Sockets;
using System.Runtime.InteropServices;
using NetIpc.Native;

namespace NetIpc.Sockets;

/// <summary>
/// socketpair(2): two connected UNIX sockets with no name, the way a parent and child process share a
/// channel. .NET has no managed call for it, so it is one P/Invoke; each fd is then an ordinary Socket.
/// </summary>
public static class SocketPair
{
    private const int AfUnix = 1;

    // .NET opens its own sockets close-on-exec; a P/Invoke'd pair must ask for it, or every process
    // started meanwhile (ip, unshare, a test's sleep) inherits both ends.
    private const int SockCloexec = 0x80000;

    public static (Socket First, Socket Second) Create(SocketType type = SocketType.Stream)
    {
        Span<int> fds = stackalloc int[2];
        int sockType = type switch
        {
            SocketType.Stream => 1,
            SocketType.Dgram => 2,
            SocketType.Seqpacket => 5,
            _ => throw new ArgumentException($"socketpair supports stream, dgram and seqpacket, not {type}", nameof(type)),
        };
        if (LibC.SocketPair(AfUnix, sockType | SockCloexec, 0, fds) != 0)
        {
            throw new SocketException(Marshal.GetLastPInvokeError());
        }
        // Each handle owns its fd from here on, so whichever Socket fails to build, neither fd is lost.
        var first = new SafeSocketHandle(fds[0], ownsHandle: true);
        var second = new SafeSocketHandle(fds[1], ownsHandle: true);
        try
        {
            return (new Socket(first), new Socket(second));
        }
        catch
        {
            first.Dispose();
            second.Dispose();
            throw;
        }
    }
}
