using System.Net.Sockets;
using System.Runtime.InteropServices;
using NetIpc.Native;

namespace NetIpc.Sockets;

/// <summary>
/// A socket filter (SO_ATTACH_FILTER, classic BPF) that makes a socket deaf: every packet addressed to it is
/// dropped before TCP sees it. tcp_v4_rcv runs the filter (tcp_filter → sk_filter_trim_cap) ahead of the
/// state machine; a program that keeps 0 bytes makes that return -EPERM, and the segment is discarded. Any
/// user may attach one to their own socket. Experiments use it to hold back one side of a handshake.
/// </summary>
public static class SocketFilter
{
    /// <summary>struct sock_filter (include/uapi/linux/filter.h): one classic BPF instruction.</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct Instruction
    {
        public ushort Code;
        public byte JumpTrue;
        public byte JumpFalse;
        public uint K;
    }

    /// <summary>BPF_RET | BPF_K: return the constant K, the number of bytes of the packet to keep.</summary>
    private const ushort ReturnConstant = 0x06;

    /// <summary>Attaches the one-instruction program "keep 0 bytes": from now on the socket receives nothing.</summary>
    public static void DropEverything(Socket socket)
    {
        ArgumentNullException.ThrowIfNull(socket);
        var program = new[] { new Instruction { Code = ReturnConstant, K = 0 } };
        var pinned = GCHandle.Alloc(program, GCHandleType.Pinned);
        try
        {
            // struct sock_fprog { unsigned short len; struct sock_filter *filter; }: the pointer is aligned to its size.
            Span<byte> fprog = stackalloc byte[2 * IntPtr.Size];
            fprog.Clear();
            MemoryMarshal.Write(fprog, (ushort)program.Length);
            MemoryMarshal.Write(fprog[IntPtr.Size..], pinned.AddrOfPinnedObject());
            // The kernel copies the program during the call, so it need stay pinned only until the call returns.
            socket.SetRawSocketOption(SocketOptions.SolSocket, SocketOptions.SoAttachFilter, fprog);
        }
        finally
        {
            pinned.Free();
        }
    }

    /// <summary>Removes the filter: the socket receives again.</summary>
    public static void Remove(Socket socket)
    {
        ArgumentNullException.ThrowIfNull(socket);
        socket.SetRawSocketOption(SocketOptions.SolSocket, SocketOptions.SoDetachFilter, BitConverter.GetBytes(0));
    }
}
