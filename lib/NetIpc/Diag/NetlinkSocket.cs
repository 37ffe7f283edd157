using System.Buffers;
using System.Diagnostics;
using System.Runtime.InteropServices;
using NetIpc.Native;
using NetIpc.Proc;

namespace NetIpc.Diag;

/// <summary>The kernel answered a netlink request with an error (NLMSG_ERROR, or NLMSG_DONE carrying one).</summary>
public sealed class NetlinkErrorException(string source, int errno)
    : IOException($"{source}: the kernel answered {Native.Errno.Describe(errno)}")
{
    /// <summary>The positive errno the kernel put (negated) in the message.</summary>
    public int Errno { get; } = errno;
}

/// <summary>
/// A netlink message walker: the <c>struct nlmsghdr</c> framing (include/uapi/linux/netlink.h) — nlmsg_len,
/// nlmsg_type, nlmsg_flags, nlmsg_seq, nlmsg_pid, 16 bytes in host order — around each payload, messages
/// aligned to 4 bytes, several to a datagram, a dump ended by NLMSG_DONE. Kept apart from the socket so crafted
/// byte buffers can be fed to it.
/// </summary>
internal static class Netlink
{
    public const int HeaderLength = 16;
    public const ushort NlmsgError = 2;
    public const ushort NlmsgDone = 3;
    public const ushort NlmFRequest = 0x1;
    public const ushort NlmFDump = 0x300; // NLM_F_ROOT | NLM_F_MATCH

    /// <summary>Handles one message's payload; <paramref name="index"/> counts messages from 1 across the dump.</summary>
    public delegate void PayloadVisitor(ReadOnlySpan<byte> payload, int index);

    public static int Align(int length) => (length + 3) & ~3;

    /// <summary>Writes a request header for a payload of <paramref name="payloadLength"/> bytes.</summary>
    public static void WriteHeader(Span<byte> destination, ushort type, ushort flags, uint sequence, int payloadLength)
    {
        MemoryMarshal.Write(destination[0..], (uint)(HeaderLength + payloadLength));
        MemoryMarshal.Write(destination[4..], type);
        MemoryMarshal.Write(destination[6..], flags);
        MemoryMarshal.Write(destination[8..], sequence);
        MemoryMarshal.Write(destination[12..], 0u); // nlmsg_pid 0: the kernel
    }

    /// <summary>
    /// Walks the messages of one datagram (or of a crafted buffer): each message of <paramref name="expectedType"/>
    /// goes to <paramref name="visit"/>; NLMSG_DONE ends the dump (returns true); NLMSG_ERROR throws
    /// <see cref="NetlinkErrorException"/>; anything malformed throws <see cref="ProcFormatException"/> naming the
    /// message and the field. <paramref name="sequence"/>, when given, must be every message's nlmsg_seq.
    /// </summary>
    public static bool Walk(ReadOnlySpan<byte> buffer, ushort expectedType, uint? sequence, string source, string messageKind,
        ref int index, PayloadVisitor visit)
    {
        while (!buffer.IsEmpty)
        {
            index++;
            if (buffer.Length < HeaderLength)
            {
                throw ProcFormatException.Netlink(source, index, "nlmsghdr", "nlmsg_len", $"{buffer.Length} bytes left, a netlink header needs {HeaderLength}");
            }
            uint length = MemoryMarshal.Read<uint>(buffer);
            ushort type = MemoryMarshal.Read<ushort>(buffer[4..]);
            uint seq = MemoryMarshal.Read<uint>(buffer[8..]);
            if (length < HeaderLength || length > buffer.Length)
            {
                throw ProcFormatException.Netlink(source, index, Name(type, expectedType, messageKind), "nlmsg_len",
                    $"{length} bytes, but {buffer.Length} remain in the datagram and a header alone is {HeaderLength} (truncated?)");
            }
            if (sequence is { } expected && seq != expected)
            {
                throw ProcFormatException.Netlink(source, index, Name(type, expectedType, messageKind), "nlmsg_seq", $"{seq}, the request was {expected}");
            }
            var payload = buffer[HeaderLength..(int)length];
            switch (type)
            {
                case NlmsgDone:
                    // A dump that failed half-way ends with NLMSG_DONE carrying the negative errno.
                    if (payload.Length >= 4 && MemoryMarshal.Read<int>(payload) is < 0 and var doneError)
                    {
                        throw new NetlinkErrorException(source, -doneError);
                    }
                    return true;
                case NlmsgError:
                    if (payload.Length < 4)
                    {
                        throw ProcFormatException.Netlink(source, index, "NLMSG_ERROR", "error", $"{payload.Length} bytes, the errno needs 4");
                    }
                    int error = MemoryMarshal.Read<int>(payload);
                    if (error != 0)
                    {
                        throw new NetlinkErrorException(source, -error);
                    }
                    break; // an acknowledgement
                default:
                    if (type != expectedType)
                    {
                        throw ProcFormatException.Netlink(source, index, $"type {type}", "nlmsg_type", $"expected {expectedType} ({messageKind}), NLMSG_DONE or NLMSG_ERROR");
                    }
                    visit(payload, index);
                    break;
            }
            int advance = Align((int)length);
            buffer = advance >= buffer.Length ? [] : buffer[advance..];
        }
        return false;
    }

    /// <summary>A whole reply, e.g. recorded or crafted: its messages walked, and it must end with NLMSG_DONE.</summary>
    public static void WalkReply(ReadOnlySpan<byte> reply, ushort expectedType, string source, string messageKind, PayloadVisitor visit)
    {
        int index = 0;
        if (!Walk(reply, expectedType, null, source, messageKind, ref index, visit))
        {
            throw ProcFormatException.Netlink(source, index + 1, "NLMSG_DONE", "nlmsg_type", "the reply ended without NLMSG_DONE (truncated)");
        }
    }

    private static string Name(ushort type, ushort expectedType, string messageKind) => type switch
    {
        NlmsgDone => "NLMSG_DONE",
        NlmsgError => "NLMSG_ERROR",
        _ when type == expectedType => messageKind,
        _ => $"type {type}",
    };
}

/// <summary>
/// socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_SOCK_DIAG): one dump request at a time, its reply read
/// datagram by datagram until NLMSG_DONE. Every recv() is bounded (SO_RCVTIMEO), so is the whole dump, and a
/// datagram larger than the buffer is reported rather than silently cut (recv with MSG_TRUNC returns its real size).
/// The socket answers about the network namespace of the thread that opened it.
/// </summary>
internal sealed class NetlinkSocket : IDisposable
{
    private const int AfNetlink = 16;
    private const int NetlinkSockDiag = 4;
    private const int SockRaw = 3;
    private const int SockCloexec = 0x80000;
    private const int SoRcvTimeo = 20;
    private const int MsgTrunc = 0x20;
    private const int Eintr = 4;
    private const int Eagain = 11;

    /// <summary>The kernel fills a dump datagram up to about 32 KiB (netlink_dump caps max_recvmsg_len there); twice that is room to spare.</summary>
    public const int BufferLength = 64 * 1024;

    public static readonly TimeSpan ReadTimeout = TimeSpan.FromSeconds(5);
    public static readonly TimeSpan DumpTimeout = TimeSpan.FromSeconds(30);

    private static int nextSequence;
    private int fd;

    public NetlinkSocket()
    {
        fd = LibC.Socket(AfNetlink, SockRaw | SockCloexec, NetlinkSockDiag);
        if (fd < 0)
        {
            throw new NetlinkErrorException("socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_SOCK_DIAG)", Marshal.GetLastPInvokeError());
        }
        var timeout = new Timeval { Seconds = (long)ReadTimeout.TotalSeconds };
        if (LibC.SetSockOpt(fd, SocketOptions.SolSocket, SoRcvTimeo, in timeout, (uint)Marshal.SizeOf<Timeval>()) != 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            Dispose();
            throw new NetlinkErrorException("setsockopt(SO_RCVTIMEO) on the sock_diag socket", errno);
        }
    }

    /// <summary>
    /// Sends one SOCK_DIAG_BY_FAMILY dump request (<paramref name="request"/> is the payload after the header)
    /// and hands every reply message's payload to <paramref name="visit"/> until NLMSG_DONE.
    /// </summary>
    public void Dump(ushort type, ReadOnlySpan<byte> request, string source, string messageKind, Netlink.PayloadVisitor visit)
    {
        ObjectDisposedException.ThrowIf(fd < 0, this);
        uint sequence = (uint)Interlocked.Increment(ref nextSequence);
        Span<byte> message = stackalloc byte[Netlink.HeaderLength + request.Length];
        Netlink.WriteHeader(message, type, Netlink.NlmFRequest | Netlink.NlmFDump, sequence, request.Length);
        request.CopyTo(message[Netlink.HeaderLength..]);
        if (LibC.Send(fd, message, (nuint)message.Length, 0) != message.Length)
        {
            throw new NetlinkErrorException($"{source}: send()", Marshal.GetLastPInvokeError());
        }
        byte[] buffer = ArrayPool<byte>.Shared.Rent(BufferLength);
        try
        {
            var clock = Stopwatch.StartNew();
            int index = 0;
            while (true)
            {
                long received = LibC.Recv(fd, buffer, (nuint)buffer.Length, MsgTrunc);
                if (received < 0)
                {
                    int errno = Marshal.GetLastPInvokeError();
                    if (errno == Eintr)
                    {
                        continue;
                    }
                    if (errno == Eagain)
                    {
                        throw new TimeoutException($"{source}: no reply within {ReadTimeout.TotalSeconds} s (message {index + 1})");
                    }
                    throw new NetlinkErrorException($"{source}: recv()", errno);
                }
                if (received > buffer.Length)
                {
                    throw ProcFormatException.Netlink(source, index + 1, messageKind, "datagram", $"{received} bytes, more than the {buffer.Length}-byte buffer: the rest was cut");
                }
                if (received == 0)
                {
                    throw ProcFormatException.Netlink(source, index + 1, "NLMSG_DONE", "datagram", "an empty datagram before NLMSG_DONE");
                }
                if (Netlink.Walk(buffer.AsSpan(0, (int)received), type, sequence, source, messageKind, ref index, visit))
                {
                    return;
                }
                if (clock.Elapsed > DumpTimeout)
                {
                    throw new TimeoutException($"{source}: the dump was not done after {DumpTimeout.TotalSeconds} s ({index} messages)");
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    public void Dispose()
    {
        if (fd >= 0)
        {
            LibC.Close(fd);
            fd = -1;
        }
    }
}
