using NetIpc.Harness;
using NetIpc.Hosts;
using NetIpc.SocketTables;
using NetIpc.Tcp;

namespace NetIpc.Notebooks.Sentences;

public static partial class Claims
{
    /// <summary>05: the seed's flow in the order the kernel ran it: handshake, data both ways, the client's FIN first.</summary>
    public static string SeedFlowOrder(SeedFlowTrace t)
    {
        t.Checks().RequireAll();
        return $"✓ {t.Segments.Count} segments: {t.Seen()}; connect() returned {t.CallAt("client", "connect()") - t.Segments[1].Microseconds:0} µs after the SYN-ACK arrived";
    }

    /// <summary>05: accept() does not wait for a handshake: the connection was complete, queued, before the call.</summary>
    public static string AcceptTakesAFinishedConnection(AcceptTimingResult r)
    {
        r.Checks().RequireAll();
        return $"✓ connect() returned after {r.ConnectReturnedMs:0.00} ms; the server's end was then {r.ServerLineBeforeAccept} with inode 0 " +
               $"(LISTEN rx_queue {r.ListenRxQueueBeforeAccept}); accept() was called {r.AcceptCalledMs - r.ConnectReturnedMs:0} ms later and " +
               $"took {r.AcceptTookMicroseconds:0} µs — no packet was exchanged for it; the socket got inode {r.InodeAfterAccept}";
    }

    /// <summary>05: SOCK_STREAM/SOCK_DGRAM pick TCP/UDP, SOCK_RAW hands over whole packets, SOCK_NONBLOCK is a flag and not a type.</summary>
    public static string SocketTypes(SocketTypesResult r)
    {
        r.Checks().RequireAll();
        var n = r.Rows[3];
        return $"✓ STREAM → TCP and DGRAM → UDP. RAW + IPPROTO_UDP received {r.RawReceived} bytes for a {r.Payload}-byte payload " +
               $"({SocketTypesChecks.Ipv4HeaderBytes} of IPv4 header starting 0x{r.RawFirstByte:x2}, {SocketTypesChecks.UdpHeaderBytes} of UDP header). SOCK_NONBLOCK came back as SO_TYPE {n.SoType} " +
               $"with O_NONBLOCK set, and accept() answered EAGAIN in {r.NonBlockingAcceptMicroseconds:0.#} µs instead of waiting";
    }
}
