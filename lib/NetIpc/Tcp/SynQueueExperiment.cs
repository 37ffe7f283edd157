using System.Net;
using System.Net.Sockets;
using NetIpc.Isolation;
using NetIpc.Namespaces;
using NetIpc.Packets;
using NetIpc.Proc;

namespace NetIpc.Tcp;

/// <summary>One sample of the SYN queue: how many SYN_RECV lines, and the most SYN-ACK retransmissions among them.</summary>
public sealed record SynQueueSample(double TimeMs, int SynRecv, int Retransmits, long SyncookiesSent);

/// <summary>What <see cref="Experiments.SynQueue"/> measured: the SYN_RECV lines over time and the counters that moved.</summary>
/// <param name="MaxSynBacklog">net.ipv4.tcp_max_syn_backlog in the experiment's namespace (0: not recorded).</param>
public sealed record SynQueueResult(
    int Backlog, int Syns, bool Syncookies, int PeakSynRecv, long SyncookiesSent, long ListenDrops, long RequestQueueFullDrops, IReadOnlyList<SynQueueSample> Samples,
    int SynackRetries = 5, int MaxSynBacklog = 0)
{
    /// <summary>
    /// Without cookies, tcp_conn_request drops a SYN while max_syn_backlog − qlen &lt; max_syn_backlog &gt;&gt; 2 (unless
    /// the peer is proven), qlen counted before the new request is added: the most requests a listener can hold
    /// under that rule, max_syn_backlog − max_syn_backlog / 4 + 1, or null when it was not recorded.
    /// </summary>
    public int? QuarterRuleCeiling => MaxSynBacklog > 0 ? MaxSynBacklog - (MaxSynBacklog >> 2) + 1 : null;

    /// <summary>The most SYN-ACKs any request had resent (the retrnsmt column), over the whole run.</summary>
    public int MaxRetransmits => Samples.Count == 0 ? 0 : Samples.Max(s => s.Retransmits);

    /// <summary>When the SYN_RECV lines were all gone again after the peak — the kernel gave up on them — or null if they outlived the run.</summary>
    public double? QueueEmptiedAtMs
    {
        get
        {
            int peakAt = Samples.ToList().FindIndex(s => s.SynRecv == PeakSynRecv && PeakSynRecv > 0);
            return peakAt < 0 ? null : Samples.Skip(peakAt).FirstOrDefault(s => s.SynRecv == 0)?.TimeMs;
        }
    }
}

/// <summary>A SYN queue filled with SYNs from addresses nobody has, with and without syncookies.</summary>
internal static class SynQueueExperiment
{
    /// <summary>
    /// Fills a listener's SYN queue for real: in a network namespace of its own, SYNs built with
    /// <see cref="PacketBuilder.TcpSyn"/> arrive from 192.0.2.x — addresses nobody has — so the SYN-ACKs,
    /// routed into loopback, reach no one and every request stays half-open. tcp_syncookies is set inside
    /// the namespace only. Samples the SYN_RECV lines for <paramref name="duration"/> (default 2.5 s: the
    /// first SYN-ACK retransmission comes after 1 s, the second after 3 s).
    /// </summary>
    public static SynQueueResult Run(int backlog, int syns, bool syncookies, TimeSpan? duration)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(backlog);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(syns);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(syns, 1000);
        return SynQueueRun.Run((backlog, syns, syncookies, duration ?? TimeSpan.FromSeconds(2.5)));
    }

    /// <summary>
    /// Both settings of tcp_syncookies, one run each: what chapter 07 compares. The run without cookies lasts
    /// 8.5 s, long enough to see the kernel give up on its requests (after 7 s when reqsk_timer_handler has
    /// lowered their retry limit to 2); the run with cookies only needs to show where the queue stops.
    /// </summary>
    public static IReadOnlyList<SynQueueResult> WithAndWithoutCookies(int backlog, int syns) =>
        [Run(backlog, syns, syncookies: false, duration: TimeSpan.FromSeconds(8.5)), Run(backlog, syns, syncookies: true, duration: null)];

    public static readonly IsolatedExperiment<(int Backlog, int Syns, bool Syncookies, TimeSpan Duration), SynQueueResult> SynQueueRun = new(
        "syn-queue", "07", [Capability.NetworkNamespace, Capability.LoopbackUp, Capability.RawSocket, Capability.NetSysctl],
        a => FillInOwnNamespace(a.Backlog, a.Syns, a.Syncookies, a.Duration));

    private static SynQueueResult FillInOwnNamespace(int backlog, int syns, bool syncookies, TimeSpan? duration)
    {
        return NetworkNamespace.Run((net, cancel) =>
        {
            NetworkNamespace.BringLoopbackUp();
            NetworkNamespace.Ip("route add 192.0.2.0/24 dev lo");
            Sysctl.Write("net.ipv4.tcp_syncookies", syncookies ? 1 : 0);
            int synackRetries = Sysctl.ReadRequiredInt("net.ipv4.tcp_synack_retries");
            int maxSynBacklog = Sysctl.ReadRequiredInt("net.ipv4.tcp_max_syn_backlog");
            using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            listener.Listen(backlog);
            var destination = (IPEndPoint)listener.LocalEndPoint!;
            using var raw = new Socket(AddressFamily.InterNetwork, SocketType.Raw, ProtocolType.Raw);
            var before = net.Counters();
            Probe[] probes =
            [
                new("SYN_RECV", s => s.Tcp.Count(e => e.State == KernelTcpState.SynRecv && e.Local.Port == destination.Port)),
                new("SYN-ACK retransmissions (max retrnsmt)", s => s.Tcp.Where(e => e.State == KernelTcpState.SynRecv).Select(e => (double)e.Retransmits).DefaultIfEmpty(0).Max()),
                Probe.Counter("TcpExt.SyncookiesSent"),
            ];
            using var sampler = Sampler.Start(TimeSpan.FromMilliseconds(50), duration ?? TimeSpan.FromSeconds(2.5), probes, net);
            for (int i = 0; i < syns; i++)
            {
                var source = new IPEndPoint(new IPAddress([192, 0, 2, (byte)(1 + i % 250)]), 40000 + i);
                raw.SendTo(PacketBuilder.TcpSyn(source, destination, sequenceNumber: (uint)(1000 * (i + 1))).Packet, new IPEndPoint(IPAddress.Loopback, 0));
            }
            cancel.WaitHandle.WaitOne(duration ?? TimeSpan.FromSeconds(2.5));
            cancel.ThrowIfCancellationRequested();
            var series = sampler.Stop();
            var samples = Enumerable.Range(0, series.Count).Select(i => new SynQueueSample(
                series[SampledSeries.Time][i], (int)series["SYN_RECV"][i], (int)series["SYN-ACK retransmissions (max retrnsmt)"][i],
                (long)(series["TcpExt.SyncookiesSent"][i] - before["TcpExt.SyncookiesSent"]))).ToList();
            var delta = before.DeltaTo(net.Counters());
            return new SynQueueResult(backlog, syns, syncookies, samples.Max(s => s.SynRecv),
                delta["TcpExt.SyncookiesSent"], delta["TcpExt.ListenDrops"], delta["TcpExt.TCPReqQFullDrop"], samples, synackRetries, maxSynBacklog);
        }, TimeSpan.FromSeconds(60));
    }
}
