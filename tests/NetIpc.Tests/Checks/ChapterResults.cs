using NetIpc.Benchmarks;
using NetIpc.Hosts;
using NetIpc.Performance;
using NetIpc.SocketTables;
using NetIpc.Tcp;

namespace NetIpc.Tests.Checks;

/// <summary>
/// The results the chapter checks are tried on, shared by the checks' tests here and the sentences' tests in
/// NetIpc.Notebooks.Tests (linked there): a sentence and its checks must be read on the same runs.
/// </summary>
internal static class ChapterResults
{
    internal static AcceptQueueResult Accept(int backlog, int peak, int stuck) =>
        new(backlog, null, backlog, 8, peak, peak, stuck, stuck, "test", []);

    internal static SynResendsResult Resends(int? linear, params (double At, double Rto)[] seen) =>
        new(linear, 6, 1000, 5600, 1, true, seen.Select((s, i) => new SynResendSeen(i + 1, s.At - 2, s.At, s.Rto, s.Rto > 1000 ? 1 : 0)).ToList());

    internal static AcceptOverflowResult Overflow(bool abort) =>
        Recordings.Load<AcceptOverflowResult>(abort ? "experiments/accept-overflow-abort.json" : "experiments/accept-overflow.json").Result;

    internal static AbortiveCloseResult Abortive() => Recordings.Load<AbortiveCloseResult>("experiments/abortive-close.json").Result;

    internal static List<SynQueueSample> Samples(params (double Ms, int SynRecv, int Retransmits)[] points) =>
        points.Select(p => new SynQueueSample(p.Ms, p.SynRecv, p.Retransmits, 0)).ToList();

    internal static SynQueueResult Syn(bool cookies, int peak, long fullDrops, long cookiesSent, List<SynQueueSample>? samples = null) =>
        new(4, 20, cookies, peak, cookiesSent, 0, fullDrops, samples ?? Samples((0, peak, 0)), 5);

    internal static BuffersResult Buffers(long tx, long notSent, long rx, int rcvbuf = 131072, params BufferSample[] extra)
    {
        List<BufferSample> samples = [new(1, tx + rx, rx, tx, "Retransmit", notSent), .. extra];
        if (extra.Length == 0)
        {
            samples.Add(new(50, tx + rx, rx, tx, "ZeroWindowProbe", notSent));
        }
        return new(null, rcvbuf, null, 4194304, false, tx + rx, true, null, samples.Max(s => s.ReceiverRxQueue), samples.Max(s => s.SenderTxQueue), true, samples);
    }

    /// <summary>
    /// A run's samples around the probe: the timer first seen at 49.3 ms (its /proc read done by 49.6) with
    /// <paramref name="left"/> ms left, the receiver's queue grown in the sample taken at <paramref name="stepAt"/>.
    /// </summary>
    internal static BuffersResult Probed(double rto, long procAtEnd = 4_032_512, double left = 190, double stepAt = 280.6, double stepReadDone = 280.9) =>
        Buffers(0, 0, 0, 131072,
            new BufferSample(48.0, 4_145_152, 87_040, 4_141_056, "Retransmit", 4_070_400, 4_141_056, 200, 48.4, 0),
            new BufferSample(49.3, 4_145_152, 87_040, 4_070_400, "ZeroWindowProbe", 4_070_400, 4_070_400, rto, 49.6, left),
            new BufferSample(stepAt - 22.7, 4_145_152, 87_040, 4_070_400, "ZeroWindowProbe", 4_070_400, 4_070_400, rto, stepAt - 22.4, 0),
            new BufferSample(stepAt, 4_145_152, 124_928, 4_032_512, "ZeroWindowProbe", 4_032_512, 4_032_512, rto, stepReadDone, 0),
            new BufferSample(stepReadDone + 20, 4_145_152, 124_928, 4_032_512, "ZeroWindowProbe", 4_032_512, procAtEnd, rto, stepReadDone + 20.3, 0));

    /// <summary>A close whose FIN-WAIT-2 was seen at <paramref name="finWait2At"/>, the kernel's stamp of the ACK saying the same.</summary>
    internal static CloseResult Closing(double finWait2At, double? ato) =>
        new(1, [new(10, "connected", "ESTAB", "ESTAB", "", "", null), new(finWait2At, "client: shutdown(SHUT_WR) sends FIN", "FIN-WAIT-2", "CLOSE-WAIT", "", "", null)],
            TimeSpan.FromSeconds(59.9), ShutdownAtMs: 11, FinAckedAtMs: finWait2At, ServerAtoBeforeFinMs: ato);

    internal static LossyPathResult Lossy(bool intact, long retrnsmt, long timeouts, double reorder = 0, int udpReceived = 272, bool inOrder = true) =>
        new(10, 471, 48, 300, udpReceived, inOrder, 200_000, intact ? 200_000 : 199_000, intact, 13, retrnsmt,
            new Dictionary<string, long> { ["TcpExt.TCPTimeouts"] = timeouts, ["TcpExt.TCPLossProbes"] = 4, ["TcpExt.TCPFastRetrans"] = 9 }, 5,
            reorder, 0, inOrder ? 0 : 3);

    internal static Measured<TwoHostsResult> HostsMeasured(double medianMicroseconds, bool recorded = false)
    {
        var host = new HostView("h", "10.12.0.1", "veth", "00:00:00:00:00:01", [], []);
        return new(new TwoHostsResult(host, host, "a", "b", medianMicroseconds, 0, [], []), recorded ? "RECORDED on 2026-01-01 with Linux 6.18" : "live", recorded);
    }

    internal static LoopbackRoundTripResult Loopback(double microseconds) => new(64, [new(1, microseconds), new(2, microseconds), new(3, microseconds)]);

    internal static ThroughputPoint Point(string transport, int size, double mbps, double rtt, double low = 0, double high = 0) =>
        new(transport, size, [new(low == 0 ? mbps : low, rtt, 100, 0), new(mbps, rtt, 100, 0), new(high == 0 ? mbps : high, rtt, 100, 0)]);

    internal static ThroughputResult Sweep(double udpLarge = 400, double bare = 4) => new(
    [
        Point("TCP (loopback)", 64, 10, 10), Point("TCP (loopback)", 65000, 7000, 17, 6900, 7600),
        Point("UDP (loopback)", 64, 12, 8.7), Point("UDP (loopback)", 16384, 450, 10), Point("UDP (loopback)", 65000, udpLarge, 15),
    ], 0.2, bare);

    internal static readonly System.Net.IPEndPoint Listening = new(System.Net.IPAddress.Loopback, 9501);
    internal static readonly System.Net.IPEndPoint Any = new(System.Net.IPAddress.Any, 0);

    internal static NetIpc.Proc.TcpSocketEntry Entry(NetIpc.Proc.KernelTcpState state, ulong tx, ulong rx) =>
        new(0, Listening, Any, state, tx, rx, NetIpc.Proc.TcpTimer.None, 0, 0, 0, 0, 7, null);

    internal static NetIpc.Sockets.TcpInfo Info(uint unacked, uint sacked, uint rtt, uint cwnd, uint rto) =>
        new(0, 0, 0, 0) { Unacked = unacked, Sacked = sacked, RttMicroseconds = rtt, CongestionWindow = cwnd, RtoMicroseconds = rto };

    internal static ListenerInfoResult Listener(uint unacked = 2, uint sacked = 4, uint rtt = 30, ulong procRx = 2, int listening = 3, uint listenerCwnd = 10,
        uint rto = 201_000, int? rtoMinSysctlUs = null) => new(4, 2,
        new NetIpc.Diag.TcpDiagEntry(Entry(NetIpc.Proc.KernelTcpState.Listen, 4, 2), 0, 1, Info(unacked, sacked, 0, listenerCwnd, 0)),
        new NetIpc.Diag.TcpDiagEntry(Entry(NetIpc.Proc.KernelTcpState.Established, 0, 0), 0, 2, Info(0, 0, rtt, 10, rto)),
        procRx, listening, 12, rtoMinSysctlUs);

    internal static TcpTableBenchmark Benchmark(double sockDiagMs, double ssMs = 85) => new(20_103,
    [
        new("read tcp + tcp6 bytes", 43, 1, 1, 42, "2.88 MB"),
        new("NetIpc: read + parse tcp + tcp6", 39, 1, 1, 38, "3.53 MB"),
        new("NetIpc: sock_diag (netlink) tcp + tcp6", sockDiagMs, 1, 1, sockDiagMs, "4 MB"),
        new("ss -tan (a process, netlink)", ssMs, 1, 1, ssMs, "5 MB"),
    ]);

    internal static TwoViewsOfTheZoo ZooViews(ulong procTx, string? reason)
    {
        var listener = Entry(NetIpc.Proc.KernelTcpState.Listen, 8, 0);
        var diff = new NetIpc.Diag.FieldDifference("tcp 127.0.0.1:9501", "TxQueue", procTx.ToString(), "8", reason);
        NetIpc.Diag.ViewAgreement View(string table, IReadOnlyList<NetIpc.Diag.FieldDifference> d) => new(table, 1, 0, [], d, []);
        return new TwoViewsOfTheZoo(View("tcp + tcp6", [diff]), View("udp + udp6", []), View("unix", []),
            [new TwoViewsRow(listener with { TxQueue = procTx }, new NetIpc.Diag.TcpDiagEntry(listener, 0, 1, null))], 12);
    }
}
