using NetIpc.Experiments;
using NetIpc.Tools;

namespace NetIpc.Notebooks.Tests;

/// <summary>Each check passes the kernel's answer and stops a chapter on a wrong one, naming what disagreed.</summary>
public class ClaimsTests
{
    private static AcceptQueueResult Accept(int backlog, int peak, int stuck) =>
        new(backlog, null, backlog, 8, peak, peak, stuck, stuck, "test", []);

    [Fact]
    public void Accept_queue_ceiling_is_backlog_plus_one()
    {
        Assert.Contains("stopped at 4 = backlog + 1", Claims.AcceptQueueCeiling(Accept(3, 4, 4)));
        var e = Assert.Throws<ClaimFailedException>(() => Claims.AcceptQueueCeiling(Accept(3, 3, 5)));
        Assert.Contains("backlog 3, peak 3", e.Message);
        Assert.Throws<ClaimFailedException>(() => Claims.AcceptQueueCeiling(Accept(3, 4, 2)));
    }

    private static AcceptOverflowResult Overflow(bool abort) =>
        Recordings.Load<AcceptOverflowResult>(abort ? "experiments/accept-overflow-abort.json" : "experiments/accept-overflow.json").Result;

    [Fact]
    public void A_late_syn_is_dropped_without_a_request_or_an_answer()
    {
        foreach (var run in new[] { Overflow(false), Overflow(true) })
        {
            Assert.Contains("its SYN was dropped", Claims.LateSynDropped(run));
        }
        var r = Overflow(false);
        Assert.Throws<ClaimFailedException>(() => Claims.LateSynDropped(r with { LateClientHasRequest = true }));
        Assert.Throws<ClaimFailedException>(() => Claims.LateSynDropped(r with { LateClientState = "ESTABLISHED" }));
        var e = Assert.Throws<ClaimFailedException>(() => Claims.LateSynDropped(r with { LateSyn = r.LateSyn with { OutRsts = 1 } }));
        Assert.Contains("Tcp.OutRsts +1", e.Message);
        Assert.Throws<ClaimFailedException>(() => Claims.LateSynDropped(r with { QueuedWhenFull = 1 }));
        Assert.Throws<ClaimFailedException>(() => Claims.LateSynDropped(r with { LateSyn = r.LateSyn with { ListenDrops = 0 } }));
    }

    [Fact]
    public void The_final_ack_is_dropped_while_the_client_believes_it_is_connected()
    {
        var r = Overflow(false);
        Assert.Contains("held client ESTABLISHED, server SYN_RECV", Claims.FinalAckDropped(r));
        Assert.Contains("read() returned \"hello\"", Claims.FirstDataWaits(r));
        Assert.Throws<ClaimFailedException>(() => Claims.FinalAckDropped(r with { ServerHoldsRequest = false }));
        Assert.Throws<ClaimFailedException>(() => Claims.FinalAckDropped(r with { ThirdAck = r.ThirdAck with { ListenDrops = r.ThirdAck.ListenOverflows + 1 } }));
        Assert.Throws<ClaimFailedException>(() => Claims.FinalAckDropped(r with { Dropped = r.Dropped! with { SynAckResends = 0 } }));
        Assert.Throws<ClaimFailedException>(() => Claims.FirstDataWaits(r with { Dropped = r.Dropped! with { UnacknowledgedBytes = 0 } }));
        Assert.Throws<ClaimFailedException>(() => Claims.FirstDataWaits(r with { Dropped = r.Dropped! with { ServerRead = "" } }));
        Assert.Throws<ClaimFailedException>(() => Claims.FinalAckDropped(Overflow(true)));
    }

    [Fact]
    public void With_abort_on_overflow_the_final_ack_is_reset_and_the_client_reads_econnreset()
    {
        var r = Overflow(true);
        Assert.Contains("read() = -1 ECONNRESET (104)", Claims.OverflowResets(r));
        Assert.Throws<ClaimFailedException>(() => Claims.OverflowResets(r with { ThirdAck = r.ThirdAck with { EmbryonicRsts = 0 } }));
        Assert.Throws<ClaimFailedException>(() => Claims.OverflowResets(r with { ThirdAck = r.ThirdAck with { EstabResets = 0 } }));
        Assert.Throws<ClaimFailedException>(() => Claims.OverflowResets(r with { Reset = r.Reset! with { ReadErrno = 0, ReadResult = "read() = 0" } }));
        Assert.Throws<ClaimFailedException>(() => Claims.OverflowResets(Overflow(false)));
    }

    private static AbortiveCloseResult Abortive() => Recordings.Load<AbortiveCloseResult>("experiments/abortive-close.json").Result;

    [Fact]
    public void Abortive_closes_send_rst_and_count_it_where_the_kernel_does()
    {
        var r = Abortive();
        Assert.Contains("the closer is in TIME_WAIT", Claims.OrderlyCloseSendsFin(r));
        Assert.Contains("TCPAbortOnData +1", Claims.ZeroLingerSendsRst(r));
        Assert.Contains("TCPAbortOnClose +1", Claims.UnreadDataSendsRst(r));
        // A zero linger counted as TCPAbortOnLinger would be the wrong counter.
        var wrong = r with { ZeroLinger = r.ZeroLinger with { AbortOnData = 0, AbortOnLinger = 1 } };
        Assert.Throws<ClaimFailedException>(() => Claims.ZeroLingerSendsRst(wrong));
        Assert.Throws<ClaimFailedException>(() => Claims.ZeroLingerSendsRst(r with { ZeroLinger = r.ZeroLinger with { TimeWaitLeft = true } }));
        Assert.Throws<ClaimFailedException>(() => Claims.UnreadDataSendsRst(r with { UnreadData = r.UnreadData with { PeerReadErrno = 0, PeerRead = "read() = 0 (end of file)" } }));
        Assert.Throws<ClaimFailedException>(() => Claims.UnreadDataSendsRst(r with { UnreadData = r.UnreadData with { EstabResets = 1 } }));
        Assert.Throws<ClaimFailedException>(() => Claims.OrderlyCloseSendsFin(r with { Orderly = r.Orderly with { OutRsts = 1 } }));
        Assert.Throws<ClaimFailedException>(() => Claims.OrderlyCloseSendsFin(r with { Orderly = r.Orderly with { CloserAfter = "gone", TimeWaitLeft = false } }));
    }

    private static List<SynQueueSample> Samples(params (double Ms, int SynRecv, int Retransmits)[] points) =>
        points.Select(p => new SynQueueSample(p.Ms, p.SynRecv, p.Retransmits, 0)).ToList();

    private static SynQueueResult Syn(bool cookies, int peak, long fullDrops, long cookiesSent, List<SynQueueSample>? samples = null) =>
        new(4, 20, cookies, peak, cookiesSent, 0, fullDrops, samples ?? Samples((0, peak, 0)), 5);

    [Fact]
    public void Syn_queue_limit_names_the_comparison_this_kernel_uses()
    {
        string strict = Claims.SynQueueLimit([Syn(false, 5, 15, 0), Syn(true, 5, 0, 15)], "test kernel");
        Assert.Contains("qlen > backlog", strict);
        string old = Claims.SynQueueLimit([Syn(false, 4, 16, 0)], "old kernel");
        Assert.Contains("qlen >= backlog", old);
        Assert.Throws<ClaimFailedException>(() => Claims.SynQueueLimit([Syn(false, 7, 13, 0)], "k"));
        Assert.Throws<ClaimFailedException>(() => Claims.SynQueueLimit([Syn(false, 5, 3, 0)], "k"));
        Assert.Throws<ClaimFailedException>(() => Claims.SynQueueLimit([Syn(false, 5, 15, 0), Syn(true, 5, 0, 2)], "k"));
    }

    [Fact]
    public void Syn_ack_retries_are_reported_and_bounded()
    {
        // The recorded shape: five requests, backlog 4; the oldest goes at about 7 s (limit lowered to 2), four stay.
        var dropped = Syn(false, 5, 15, 0, Samples((0, 5, 0), (1000, 5, 1), (3000, 5, 2), (7350, 4, 3), (8500, 4, 3)));
        string line = Claims.SynAckRetries(dropped);
        Assert.Contains("lowers the limit from tcp_synack_retries (5; a request left alone is kept 63 s) to 2", line);
        Assert.Contains("the oldest request was dropped at 7350 ms (expected after 7 s)", line);
        Assert.Contains("with 4 left the queue is no longer more than half of max(8, 4) full, the limit is 5 again", line);
        // Long enough to see the lowered limit run out, and nothing dropped: the formula did not hold.
        var stillQueued = Syn(false, 5, 15, 0, Samples((0, 5, 0), (1000, 5, 1), (3000, 5, 2), (7100, 5, 3), (8500, 5, 3)));
        Assert.Throws<ClaimFailedException>(() => Claims.SynAckRetries(stillQueued));
        // Dropped far from when the lowered limit says.
        var early = Syn(false, 5, 15, 0, Samples((0, 5, 0), (1000, 5, 1), (2000, 4, 1), (8500, 4, 3)));
        Assert.Throws<ClaimFailedException>(() => Claims.SynAckRetries(early));
        // Too short a run to see a drop: reported, not failed.
        var shortRun = Syn(false, 5, 15, 0, Samples((0, 5, 0), (1000, 5, 1), (3000, 5, 2)));
        Assert.Contains("no request had been dropped yet (the first would go after 7 s)", Claims.SynAckRetries(shortRun));
        var tooMany = Syn(false, 5, 15, 0, Samples((0, 5, 0), (1000, 5, 6)));
        Assert.Throws<ClaimFailedException>(() => Claims.SynAckRetries(tooMany));
    }

    private static BuffersResult Buffers(long tx, long notSent, long rx, int rcvbuf = 131072, params BufferSample[] extra)
    {
        List<BufferSample> samples = [new(1, tx + rx, rx, tx, "Retransmit", notSent), .. extra];
        if (extra.Length == 0)
        {
            samples.Add(new(50, tx + rx, rx, tx, "ZeroWindowProbe", notSent));
        }
        return new(null, rcvbuf, null, 4194304, false, tx + rx, true, null, samples.Max(s => s.ReceiverRxQueue), samples.Max(s => s.SenderTxQueue), true, samples);
    }

    [Fact]
    public void Tx_queue_includes_bytes_never_sent()
    {
        Assert.Contains("never sent", Claims.TxQueueIncludesUnsent(Buffers(4_000_000, 3_950_000, 90_000)));
        // tx_queue within one window: nothing shows it held unsent bytes.
        Assert.Throws<ClaimFailedException>(() => Claims.TxQueueIncludesUnsent(Buffers(100_000, 10, 90_000)));
        // "sent" part larger than the receiver could ever have taken.
        Assert.Throws<ClaimFailedException>(() => Claims.TxQueueIncludesUnsent(Buffers(4_000_000, 1_000_000, 90_000)));
    }

    [Fact]
    public void Window_probe_step_moves_bytes_from_sender_to_receiver()
    {
        var step = Buffers(0, 0, 0, 131072,
            new BufferSample(60, 4_000_000, 87_040, 4_070_400, "ZeroWindowProbe", 4_000_000),
            new BufferSample(278, 4_000_000, 124_928, 4_032_512, "ZeroWindowProbe", 3_960_000));
        Assert.Contains("rx_queue +37,888 bytes, tx_queue −37,888 bytes", Claims.WindowProbeStep(step));
        var mismatch = Buffers(0, 0, 0, 131072,
            new BufferSample(60, 4_000_000, 87_040, 4_070_400, "ZeroWindowProbe", 4_000_000),
            new BufferSample(278, 4_000_000, 124_928, 4_070_400, "ZeroWindowProbe", 3_960_000));
        Assert.Throws<ClaimFailedException>(() => Claims.WindowProbeStep(mismatch));
    }

    [Fact]
    public void Time_wait_counts_down_from_sixty_seconds()
    {
        Assert.Contains("59.98 s left", Claims.TimeWaitLength(new CloseResult(1, [], TimeSpan.FromSeconds(59.98))));
        Assert.Throws<ClaimFailedException>(() => Claims.TimeWaitLength(new CloseResult(1, [], TimeSpan.FromSeconds(30))));
        Assert.Throws<ClaimFailedException>(() => Claims.TimeWaitLength(new CloseResult(1, [], TimeSpan.FromSeconds(61))));
    }

    [Fact]
    public void Udp_drops_are_the_missing_datagrams()
    {
        Assert.StartsWith("✓", Claims.DropsAreTheMissing(new UdpDropsResult(512, [new UdpBurst(8192, 400, 6, 394, 394)])));
        Assert.Throws<ClaimFailedException>(() => Claims.DropsAreTheMissing(new UdpDropsResult(512, [new UdpBurst(8192, 400, 6, 390, 394)])));
        Assert.Throws<ClaimFailedException>(() => Claims.DropsAreTheMissing(new UdpDropsResult(512, [new UdpBurst(8192, 400, 6, 394, 10)])));
    }

    [Fact]
    public void Segments_for_three_sends_are_counted_not_assumed()
    {
        var reads = new List<ReadResult> { new("TCP", 1, "onetwothree", 11, false) };
        Assert.Contains("2 data segments", Claims.SegmentsForThreeSends(new BoundariesResult(["one", "two", "three"], reads, 2)));
        Assert.Throws<ClaimFailedException>(() => Claims.SegmentsForThreeSends(new BoundariesResult(["one", "two", "three"], reads, 0)));
    }

    private static LossyPathResult Lossy(bool intact, long retrnsmt, long timeouts, double reorder = 0, int udpReceived = 272, bool inOrder = true) =>
        new(10, 471, 48, 300, udpReceived, inOrder, 200_000, intact ? 200_000 : 199_000, intact, 13, retrnsmt, reorder, 0, inOrder ? 0 : 3,
            new Dictionary<string, long> { ["TcpExt.TCPTimeouts"] = timeouts, ["TcpExt.TCPLossProbes"] = 4, ["TcpExt.TCPFastRetrans"] = 9 });

    [Fact]
    public void Tcp_recovery_names_each_kind_of_retransmission()
    {
        string line = Claims.TcpRecovery(Lossy(true, 0, 0));
        Assert.Contains("tail-loss probes (TCPLossProbes) +4", line);
        Assert.Contains("fast retransmits (TCPFastRetrans) +9", line);
        Assert.Throws<ClaimFailedException>(() => Claims.TcpRecovery(Lossy(false, 0, 0)));
        Assert.Throws<ClaimFailedException>(() => Claims.TcpRecovery(Lossy(true, retrnsmt: 5, timeouts: 0)));
    }

    [Fact]
    public void Udp_across_the_relay_matches_what_the_relay_did()
    {
        Assert.Contains("28 lost", Claims.UdpAcrossRelay(Lossy(true, 0, 0)));
        Assert.Throws<ClaimFailedException>(() => Claims.UdpAcrossRelay(Lossy(true, 0, 0, inOrder: false)));
        Assert.Throws<ClaimFailedException>(() => Claims.UdpAcrossRelay(Lossy(true, 0, 0, reorder: 10, udpReceived: 299)));
    }

    [Fact]
    public void Loopback_order_states_the_count_it_was_given()
    {
        Assert.Contains("none out of order", Claims.LoopbackOrder(0, 1000));
        Assert.Contains("2 of 1,000", Claims.LoopbackOrder(2, 1000));
    }

    [Fact]
    public void Unix_datagram_limits_name_the_buffer_and_the_queue()
    {
        var right = new UnixReliabilityResult(400, 167, 400, true, 160, 240, 212992, 10, 11, 212992);
        Assert.Contains("= net.unix.max_dgram_qlen (10) + 1", Claims.UnixDatagramLimits(right));
        Assert.Throws<ClaimFailedException>(() => Claims.UnixDatagramLimits(right with { NamedReceiverQueuedBeforeEagain = 10 }));
        Assert.Throws<ClaimFailedException>(() => Claims.UnixDatagramLimits(right with { UnixReceived = 399 }));
        Assert.Throws<ClaimFailedException>(() => Claims.UnixDatagramLimits(right with { UnixSentBeforeEagain = 400 }));
    }

    [Fact]
    public void Iperf3_agreement_is_within_twenty_percent()
    {
        var close = new Iperf3Comparison("tcp", 131072, 1, [0.99], [0.85]);
        Assert.Contains("1.16", Claims.AgreesWithIperf3(close));
        Assert.Throws<ClaimFailedException>(() => Claims.AgreesWithIperf3(close with { OursGigabytesPerSecond = [1.5] }));
    }

    [LinuxFact]
    public void A_unix_stream_socket_is_sock_stream_without_tcp_and_a_wrong_reading_is_refused()
    {
        var live = UnixSockets.StreamTypes();
        Assert.StartsWith("✓ both SO_TYPE = 1", Claims.StreamIsNotTcp(live));
        var asIfTcp = new StreamTypesResult([live.Tcp, live.Unix with { Protocol = 6 }]);
        Assert.Throws<ClaimFailedException>(() => Claims.StreamIsNotTcp(asIfTcp));
        var listedAsTcp = new StreamTypesResult([live.Tcp, live.Unix with { ListedIn = "/proc/net/tcp" }]);
        Assert.Throws<ClaimFailedException>(() => Claims.StreamIsNotTcp(listedAsTcp));
    }

    [LinuxFact]
    public void A_stream_reads_and_writes_short_and_framing_restores_the_messages()
    {
        var live = Experiments.Experiments.Framing();
        Assert.StartsWith("✓ one write() of 200,000 bytes", Claims.MessagesOverAStream(live));
        Assert.Throws<ClaimFailedException>(() => Claims.MessagesOverAStream(live with { FirstRead = live.Written }));
        Assert.Throws<ClaimFailedException>(() => Claims.MessagesOverAStream(live with { Accepted = live.AskedToWrite }));
        Assert.Throws<ClaimFailedException>(() => Claims.MessagesOverAStream(live with { FramedReceived = [5, 70_000] }));
    }

    [LinuxFact]
    public void Accept_takes_a_connection_that_was_complete_before_the_call()
    {
        var live = Experiments.Experiments.AcceptLater(delayMs: 50);
        Assert.StartsWith("✓ connect() returned after", Claims.AcceptTakesAFinishedConnection(live));
        Assert.Throws<ClaimFailedException>(() => Claims.AcceptTakesAFinishedConnection(live with { ServerLineBeforeAccept = "TCP_SYN_RECV" }));
        Assert.Throws<ClaimFailedException>(() => Claims.AcceptTakesAFinishedConnection(live with { AcceptTookMicroseconds = 40_000 }));
    }

    [LinuxFact]
    public void A_descriptor_passed_to_another_process_is_the_same_file_and_peercred_names_that_process()
    {
        var live = UnixSockets.PassDescriptor();
        Assert.StartsWith($"✓ process {Environment.ProcessId} sent its fd", Claims.DescriptorPassed(live));
        Assert.Throws<ClaimFailedException>(() => Claims.DescriptorPassed(live with { ReceiverTarget = "/tmp/elsewhere" }));
        Assert.Throws<ClaimFailedException>(() => Claims.DescriptorPassed(live with { FileContents = "" }));
        Assert.Throws<ClaimFailedException>(() => Claims.DescriptorPassed(live with { PeerCredPid = live.SenderPid }));
    }

    [LinuxFact]
    public void The_seeds_flow_traced_runs_in_the_order_the_chapter_draws_and_a_reordered_trace_is_refused()
    {
        var trace = Experiments.Experiments.SeedFlow();
        Assert.StartsWith("✓ ", Claims.SeedFlowOrder(trace));
        var s = trace.Segments.ToList();
        Assert.Throws<ClaimFailedException>(() => Claims.SeedFlowOrder(trace with { Segments = [s[1], s[0], .. s.Skip(2)] }));
        var serverFinFirst = s.Select(x => x.Flags.Contains("FIN") ? x with { From = x.From == "client" ? "server" : "client" } : x).ToList();
        Assert.Throws<ClaimFailedException>(() => Claims.SeedFlowOrder(trace with { Segments = serverFinFirst }));
        Assert.NotNull(trace.Chart());
    }
}
