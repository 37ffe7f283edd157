using System.Net.Sockets;
using System.Runtime.InteropServices;
using NetIpc.Native;

namespace NetIpc.Sockets;

/// <summary>
/// A TCP socket's send queue as two ioctls read back to back (tcp_ioctl): <see cref="Unacknowledged"/> is
/// SIOCOUTQ, write_seq − snd_una — the number /proc/net/tcp prints as tx_queue — and <see cref="NotSent"/> is
/// SIOCOUTQNSD, write_seq − snd_nxt, the part never sent. Two system calls a few microseconds apart, where
/// a /proc read and a TCP_INFO call are a millisecond apart: a writer can move them by at most one write in between.
/// </summary>
public sealed record SendQueue(long Unacknowledged, long NotSent)
{
    /// <summary>SIOCOUTQ (= TIOCOUTQ, include/uapi/asm-generic/ioctls.h).</summary>
    public const uint SiocOutQ = 0x5411;

    /// <summary>SIOCOUTQNSD (include/uapi/linux/sockios.h).</summary>
    public const uint SiocOutQNsd = 0x894B;

    /// <summary>Both queues of a connected TCP socket; not-sent first, so that what is written in between can only add to the total.</summary>
    public static SendQueue Of(Socket socket)
    {
        int fd = Descriptor.Of(socket);
        int notSent = Read(fd, SiocOutQNsd, "SIOCOUTQNSD");
        int unacknowledged = Read(fd, SiocOutQ, "SIOCOUTQ");
        return new SendQueue(unacknowledged, notSent);
    }

    private static int Read(int fd, uint request, string name) =>
        LibC.Ioctl(fd, request, out int value) == 0 ? value
            : throw new InvalidOperationException($"ioctl({fd}, {name}) failed: {Errno.Describe(Marshal.GetLastPInvokeError())}");
}
