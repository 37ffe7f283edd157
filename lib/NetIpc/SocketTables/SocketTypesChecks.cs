using NetIpc.Harness;
using NetIpc.Native;

namespace NetIpc.SocketTables;

/// <summary>Chapter 05's claims about what socket()'s type and protocol pick.</summary>
public static class SocketTypesChecks
{
    // include/linux/net.h and include/uapi/linux/in.h.
    public const int SockStream = 1, SockDgram = 2, SockRaw = 3, IpprotoTcp = 6, IpprotoUdp = 17;
    public const int Ipv4HeaderBytes = 20, UdpHeaderBytes = 8;

    /// <summary>SOCK_STREAM/SOCK_DGRAM pick TCP/UDP, SOCK_RAW hands over whole packets, SOCK_NONBLOCK is a flag and not a type.</summary>
    public static IReadOnlyList<ProofCheck> Checks(this SocketTypesResult r)
    {
        List<ProofCheck> checks = [new("four sockets were asked", r.Rows.Count == 4, $"{r.Rows.Count}")];
        if (r.Rows.Count != 4)
        {
            return checks;
        }
        var (s, d, w, n) = (r.Rows[0], r.Rows[1], r.Rows[2], r.Rows[3]);
        checks.AddRange(
        [
            new("SOCK_STREAM with protocol 0 is TCP", s.SoType == SockStream && s.SoProtocol == IpprotoTcp && s.ListedIn == "/proc/net/tcp",
                $"SO_TYPE {s.SoType}, SO_PROTOCOL {s.SoProtocol}, in {s.ListedIn}"),
            new("SOCK_DGRAM with protocol 0 is UDP", d.SoType == SockDgram && d.SoProtocol == IpprotoUdp && d.ListedIn == "/proc/net/udp",
                $"SO_TYPE {d.SoType}, SO_PROTOCOL {d.SoProtocol}, in {d.ListedIn}"),
            new("SOCK_RAW with IPPROTO_UDP is listed in /proc/net/raw, its protocol number (17 = 0x11) where a port would be",
                w.SoType == SockRaw && w.SoProtocol == IpprotoUdp && w.ListedIn == "/proc/net/raw" && w.Line.Contains(":0011 ", StringComparison.Ordinal),
                $"SO_TYPE {w.SoType}, SO_PROTOCOL {w.SoProtocol}, in {w.ListedIn}: {w.Line}"),
            new("the raw socket received the whole packet: a 20-byte IPv4 header (0x45), the 8-byte UDP header, the payload",
                r.RawReceived == Ipv4HeaderBytes + UdpHeaderBytes + r.Payload && r.RawFirstByte == 0x45 && r.RawProtocolByte == IpprotoUdp,
                $"{r.RawReceived} bytes for a {r.Payload}-byte payload, first byte 0x{r.RawFirstByte:x2}, protocol byte {r.RawProtocolByte}"),
            new("SOCK_NONBLOCK leaves the type SOCK_STREAM and sets O_NONBLOCK: accept() with nothing queued says EAGAIN",
                n.SoType == SockStream && n.NonBlocking && r.NonBlockingAcceptErrno == Errno.EAGAIN,
                $"SO_TYPE {n.SoType}, O_NONBLOCK {n.NonBlocking}, accept() {Errno.Describe(r.NonBlockingAcceptErrno)}"),
            new("the sockets made without the flag block", !s.NonBlocking && !d.NonBlocking && !w.NonBlocking,
                $"O_NONBLOCK: stream {s.NonBlocking}, datagram {d.NonBlocking}, raw {w.NonBlocking}"),
        ]);
        return checks;
    }
}
