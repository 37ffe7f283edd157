using System.Net.Sockets;
using System.Runtime.InteropServices;
using NetIpc.Native;

namespace NetIpc.Sockets;

/// <summary>
/// Passing an open descriptor over a UNIX socket: sendmsg/recvmsg with one SCM_RIGHTS control message
/// (unix(7), cmsg(3)). Written by hand because .NET has no API for ancillary data on sockets; the layout is
/// 64-bit Linux's: struct cmsghdr { size_t cmsg_len; int cmsg_level; int cmsg_type; } then the fd, padded to 8.
/// </summary>
public static class ScmRights
{
    private const int SolSocket = 1, ScmRightsType = 1;
    private const int MsgCmsgCloexec = 0x40000000; // the received descriptor is close-on-exec, like every other the course opens
    private const int HeaderSize = 16, ControlSpace = 24; // CMSG_LEN(sizeof(int)) = 20, CMSG_SPACE(sizeof(int)) = 24

    /// <summary>Sends <paramref name="payload"/> (at least one byte: a control message needs data to travel with) and <paramref name="fd"/>.</summary>
    public static void Send(Socket unix, int fd, ReadOnlySpan<byte> payload)
    {
        if (payload.IsEmpty) throw new ArgumentException("SCM_RIGHTS travels with at least one byte of data", nameof(payload));
        nint data = Marshal.AllocHGlobal(payload.Length), iov = Marshal.AllocHGlobal(Marshal.SizeOf<IoVec>()), control = Marshal.AllocHGlobal(ControlSpace);
        try
        {
            Marshal.Copy(payload.ToArray(), 0, data, payload.Length);
            Marshal.StructureToPtr(new IoVec { Base = data, Length = (nuint)payload.Length }, iov, false);
            var header = new byte[ControlSpace];
            BitConverter.TryWriteBytes(header.AsSpan(0, 8), (ulong)(HeaderSize + sizeof(int)));
            BitConverter.TryWriteBytes(header.AsSpan(8, 4), SolSocket);
            BitConverter.TryWriteBytes(header.AsSpan(12, 4), ScmRightsType);
            BitConverter.TryWriteBytes(header.AsSpan(16, 4), fd);
            Marshal.Copy(header, 0, control, ControlSpace);
            var message = new MsgHdr { Iov = iov, IovLength = 1, Control = control, ControlLength = ControlSpace };
            if (LibC.SendMsg(Descriptor.Of(unix), ref message, 0) < 0)
                throw new IOException($"sendmsg(SCM_RIGHTS, fd {fd}) failed: {Errno.Describe(Marshal.GetLastPInvokeError())}");
        }
        finally
        {
            Marshal.FreeHGlobal(data);
            Marshal.FreeHGlobal(iov);
            Marshal.FreeHGlobal(control);
        }
    }

    /// <summary>Receives the data and the descriptor sent with it: a new number in this process for the same open file.</summary>
    public static (int Fd, byte[] Payload) Receive(Socket unix, int maxPayload = 256)
    {
        nint data = Marshal.AllocHGlobal(maxPayload), iov = Marshal.AllocHGlobal(Marshal.SizeOf<IoVec>()), control = Marshal.AllocHGlobal(ControlSpace);
        try
        {
            Marshal.StructureToPtr(new IoVec { Base = data, Length = (nuint)maxPayload }, iov, false);
            var message = new MsgHdr { Iov = iov, IovLength = 1, Control = control, ControlLength = ControlSpace };
            nint n = LibC.RecvMsg(Descriptor.Of(unix), ref message, MsgCmsgCloexec);
            if (n < 0) throw new IOException($"recvmsg failed: {Errno.Describe(Marshal.GetLastPInvokeError())}");
            var header = new byte[ControlSpace];
            Marshal.Copy(control, header, 0, ControlSpace);
            if (message.ControlLength < HeaderSize + sizeof(int) || BitConverter.ToInt32(header, 8) != SolSocket || BitConverter.ToInt32(header, 12) != ScmRightsType)
                throw new IOException($"recvmsg returned {n} bytes and no SCM_RIGHTS control message (controllen {message.ControlLength}, flags 0x{message.Flags:x})");
            var payload = new byte[n];
            Marshal.Copy(data, payload, 0, (int)n);
            return (BitConverter.ToInt32(header, 16), payload);
        }
        finally
        {
            Marshal.FreeHGlobal(data);
            Marshal.FreeHGlobal(iov);
            Marshal.FreeHGlobal(control);
        }
    }

    /// <summary>SO_PEERCRED: the pid, uid and gid of the process at the other end, as the kernel recorded them at connect().</summary>
    public static (int Pid, uint Uid, uint Gid) PeerCredentials(Socket unix)
    {
        var value = new byte[12];
        unix.GetRawSocketOption(SolSocket, 17, value); // SO_PEERCRED
        return (BitConverter.ToInt32(value, 0), BitConverter.ToUInt32(value, 4), BitConverter.ToUInt32(value, 8));
    }
}
