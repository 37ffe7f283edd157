using NetIpc.Harness;
using NetIpc.Hosts;
using NetIpc.Servers;
using NetIpc.Tcp;
using NetIpc.Udp;

namespace NetIpc.Notebooks.Sentences;

public static partial class Claims
{
    /// <summary>10: UDP's losses are the receive buffer's: drops column = sent − received, and the namespace counter moved at least as much.</summary>
    public static string DropsAreTheMissing(UdpDropsResult r)
    {
        r.Checks().RequireAll();
        return $"✓ in all {r.Bursts.Count} bursts: drops column = sent − received";
    }

    /// <summary>10: the three writes as segments on the wire — counted, since autocorking may merge them.</summary>
    public static string SegmentsForThreeSends(BoundariesResult r)
    {
        r.Checks().RequireAll();
        var tcp = r.Reads.Where(x => x.Protocol == "TCP").ToList();
        return $"the three write() calls left as {r.TcpDataSegments} data segment{(r.TcpDataSegments == 1 ? "" : "s")} (tcpi_data_segs_out) " +
               $"and were read by {tcp.Count} read() call{(tcp.Count == 1 ? "" : "s")}";
    }

    /// <summary>
    /// 10: how TCP repaired the lossy or reordering wire, from the sender's own namespace counters: RACK-TLP's
    /// probes and fast retransmits, timer expiries (the only kind the retrnsmt column counts), and the
    /// receiver's D-SACK reports of segments it got twice — retransmissions that were not needed.
    /// </summary>
    public static string TcpRecovery(LossyPathResult r)
    {
        r.DeliveryChecks().RequireAll();
        r.RecoveryChecks().RequireAll();
        // A kernel whose netstat has no TCPSlowStartRetrans: say so rather than print a zero nobody measured.
        string slowStart = r.TcpRecovery.ContainsKey("TcpExt.TCPSlowStartRetrans") ? $"+{r.Recovery("TcpExt.TCPSlowStartRetrans")}" : "not counted by this kernel";
        return $"Tcp.RetransSegs +{r.TcpRetransSegs}; counted apart: tail-loss probes (TCPLossProbes) +{r.Recovery("TcpExt.TCPLossProbes")}, " +
               $"fast retransmits (TCPFastRetrans) +{r.Recovery("TcpExt.TCPFastRetrans")}, after a timeout (TCPSlowStartRetrans) {slowStart}, timer expiries (TCPTimeouts) +{r.Recovery("TcpExt.TCPTimeouts")}. " +
               $"The receiver reported {r.Recovery("TcpExt.TCPDSACKRecv")} segment(s) received twice (TCPDSACKRecv), " +
               $"reordering counted (TCPSACKReorder) +{r.Recovery("TcpExt.TCPSACKReorder")}; the relay dropped {r.AcksDropped} of the receiver's frames on their way back (its ACKs)";
    }

    /// <summary>10: what the relay did to UDP is what the receiver saw: loss without reordering, or reordering without loss.</summary>
    public static string UdpAcrossRelay(LossyPathResult r)
    {
        r.UdpChecks().RequireAll();
        return r.ReorderPercent == 0
            ? $"✓ UDP: {r.UdpReceived} of {r.UdpSent} datagrams arrived ({r.UdpSent - r.UdpReceived} lost, {100.0 * (r.UdpSent - r.UdpReceived) / r.UdpSent:0.0}%), in order; " +
              $"the relay dropped {100.0 * r.DroppedFrames / Math.Max(1, r.RelayedFrames + r.DroppedFrames):0.0}% of all frames"
            : $"✓ UDP: all {r.UdpSent} datagrams arrived, {r.UdpOutOfOrder} after a later one";
    }

    /// <summary>10: loopback's reordering, stated as measured — the count is not assumed to be zero. Nothing to check.</summary>
    public static string LoopbackOrder(int outOfOrder, int sent) =>
        outOfOrder == 0
            ? $"{sent:N0} datagrams, none out of order over loopback in this run"
            : $"{outOfOrder} of {sent:N0} datagrams arrived after a later one over loopback in this run";

    /// <summary>10: a stream keeps no message boundaries: short reads, short non-blocking writes, and framing that restores them.</summary>
    public static string MessagesOverAStream(FramingResult r)
    {
        r.Checks().RequireAll();
        return $"✓ one write() of {N(r.Written)} bytes, first read() {N(r.FirstRead)} bytes, {r.ReadsForAll} reads in all. " +
               $"A non-blocking write() of {N(r.AskedToWrite)} bytes took {N(r.Accepted)} (SO_SNDBUF granted: {N(r.SendBuffer)}), the next one EAGAIN. " +
               $"Messages of {string.Join(", ", r.FramedSent.Select(n => N(n)))} bytes, each behind a 4-byte length, came back whole in {r.FramedReads} reads";
    }

    /// <summary>10: a TCP server holds a listening descriptor and one per client; a UDP server one descriptor, and no listen() or accept().</summary>
    public static string ServerDescriptors(ServerDescriptorsResult r)
    {
        r.Checks().RequireAll();
        return $"✓ {r.Clients} clients: the TCP server needed {r.Tcp.Descriptors.Count} descriptors (1 listening + {r.Clients} from accept()), " +
               $"the UDP server 1 — recvfrom() named each sender ({string.Join(", ", r.Udp.Peers)}) and sendto() answered it";
    }
}
