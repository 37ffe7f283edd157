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
        if (LibC.SocketPair(AfUnix, sockType, 0, fds) != 0)
        {
            throw new SocketException(Marshal.GetLastPInvokeError());
        }
        return (new Socket(new SafeSocketHandle(fds[0], ownsHandle: true)), new Socket(new SafeSocketHandle(fds[1], ownsHandle: true)));
    }
}
