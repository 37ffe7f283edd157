using System.Net.Sockets;

namespace NetIpc.Sockets;

/// <summary>The file descriptor behind a .NET socket: the integer the seed's C code holds.</summary>
public static class Descriptor
{
    /// <summary>On Linux a socket's handle is its fd in this process's descriptor table.</summary>
    public static int Of(Socket socket) => checked((int)socket.SafeHandle.DangerousGetHandle());

    /// <summary>The socket's inode: the N of /proc/self/fd/&lt;fd&gt; → socket:[N], the inode column of the /proc/net tables.</summary>
    public static ulong InodeOf(Socket socket) =>
        new Proc.FileDescriptor(Of(socket), Proc.ProcessFds.TargetOf(Of(socket))).SocketInode
        ?? throw new InvalidOperationException("the descriptor is not a socket");
}
