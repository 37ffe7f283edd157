using System.Net.Sockets;

namespace NetIpc.Sockets;

/// <summary>The file descriptor behind a .NET socket: the integer the seed's C code holds.</summary>
public static class Descriptor
{
    /// <summary>On Linux a socket's handle is its fd in this process's descriptor table.</summary>
    public static int Of(Socket socket) => checked((int)socket.SafeHandle.DangerousGetHandle());
}
