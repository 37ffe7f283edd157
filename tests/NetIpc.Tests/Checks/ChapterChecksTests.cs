using NetIpc.Commands;
using NetIpc.Harness;
using NetIpc.Hosts;
using NetIpc.SocketTables;
using NetIpc.Tcp;
using NetIpc.Udp;
using NetIpc.Unix;
using static NetIpc.Tests.Checks.ChapterResults;

namespace NetIpc.Tests.Checks;

/// <summary>Each chapter's checks pass the kernel's answer and fail on a wrong one, naming what disagreed.</summary>
public class ChapterChecksTests
{
    [Fact]
    public void Accept_queue_ceiling_is_backlog_plus_one()
    {
        var e = Assert.Throws<ProofFailedException>(() => Require.AcceptQueueCeiling(Accept(3, 3, 5)));
        Assert.Contains("backlog 3, peak 3", e.Message);
        Assert.Throws<ProofFailedException>(() => Require.AcceptQueueCeiling(Accept(3, 4, 2)));
    }

    [Fact]
    public void Syn_resends_follow_the_rule_of_the_runs_sysctls()
    {
        var linear = Resends(4, (1001, 1000), (2024, 1000), (3049, 1000), (4072, 1000), (5097, 2000));
        // The old schedule on a kernel that says it has linear timeouts: a resend missing, and a gap of 2 s.
        var e = Assert.Throws<ProofFailedException>(() => Require.SynResendSchedule(Resends(4, (1010, 2000), (3030, 4000))));
        Assert.Contains("2 resends", e.Message);
        Assert.Throws<ProofFailedException>(() => Require.SynResendSchedule(Resends(0, (1010, 2000), (2020, 4000))));
        // Right times, wrong timeout after one of them.
        Assert.Throws<ProofFailedException>(() => Require.SynResendSchedule(Resends(4, (1001, 1000), (2024, 2000), (3049, 1000), (4072, 1000), (5097, 2000))));
        Assert.Throws<ProofFailedException>(() => Require.SynResendSchedule(linear with { Resends = linear.Resends.Take(4).ToList() }));
        Assert.Throws<ProofFailedException>(() => Require.SynResendSchedule(linear with { StillSynSent = false }));
        Assert.Throws<ProofFailedException>(() => Require.SynResendSchedule(linear with { InitialRtoMs = 3000 }));
    }

    [Fact]
    public void A_descheduled_sampler_widens_a_resends_bracket_but_a_late_resend_still_fails()
    {
        var linear = Resends(4, (1001, 1000), (2024, 1000), (3049, 1000), (4072, 1000), (5097, 2000));
        Require.SynResendSchedule(linear);
        // The sampler slept from 990 to 1329 ms: the first resend lies somewhere in between, the second 1 s after it.
        var descheduled = linear with { Resends = [new SynResendSeen(1, 990, 1329, 1000, 0), .. linear.Resends.Skip(1)] };
        Require.SynResendSchedule(descheduled);
        // Read every 2 ms and seen at 1329 ms: the resend itself came late, which the rule does not allow.
        var late = linear with { Resends = [new SynResendSeen(1, 1327, 1329, 1000, 0), .. linear.Resends.Skip(1)] };
        var e = Assert.Throws<ProofFailedException>(() => Require.SynResendSchedule(late));
        Assert.Contains("resend 1 comes 1 s after", e.Message);
    }

    [Fact]
    public void A_late_syn_is_dropped_without_a_request_or_an_answer()
    {
        var r = Overflow(false);
        Assert.Throws<ProofFailedException>(() => Require.LateSynDropped(r with { LateClientHasRequest = true }));
        Assert.Throws<ProofFailedException>(() => Require.LateSynDropped(r with { LateClientState = "ESTABLISHED" }));
        var e = Assert.Throws<ProofFailedException>(() => Require.LateSynDropped(r with { LateSyn = r.LateSyn with { OutRsts = 1 } }));
        Assert.Contains("Tcp.OutRsts +1", e.Message);
        Assert.Throws<ProofFailedException>(() => Require.LateSynDropped(r with { QueuedWhenFull = 1 }));
        Assert.Throws<ProofFailedException>(() => Require.LateSynDropped(r with { LateSyn = r.LateSyn with { ListenDrops = 0 } }));
    }

    [Fact]
    public void The_final_ack_is_dropped_while_the_client_believes_it_is_connected()
    {
        var r = Overflow(false);
        Assert.Throws<ProofFailedException>(() => Require.FinalAckDropped(r with { ServerHoldsRequest = false }));
        Assert.Throws<ProofFailedException>(() => Require.FinalAckDropped(r with { ThirdAck = r.ThirdAck with { ListenDrops = r.ThirdAck.ListenOverflows + 1 } }));
        Assert.Throws<ProofFailedException>(() => Require.FinalAckDropped(r with { Dropped = r.Dropped! with { SynAckResends = 0 } }));
        Assert.Throws<ProofFailedException>(() => Require.FirstDataWaits(r with { Dropped = r.Dropped! with { UnacknowledgedBytes = 0 } }));
        Assert.Throws<ProofFailedException>(() => Require.FirstDataWaits(r with { Dropped = r.Dropped! with { ServerRead = "" } }));
        Assert.Throws<ProofFailedException>(() => Require.FinalAckDropped(Overflow(true)));
    }

    [Fact]
    public void With_abort_on_overflow_the_final_ack_is_reset_and_the_client_reads_econnreset()
    {
        var r = Overflow(true);
        Assert.Throws<ProofFailedException>(() => Require.OverflowResets(r with { ThirdAck = r.ThirdAck with { EmbryonicRsts = 0 } }));
        Assert.Throws<ProofFailedException>(() => Require.OverflowResets(r with { ThirdAck = r.ThirdAck with { EstabResets = 0 } }));
        Assert.Throws<ProofFailedException>(() => Require.OverflowResets(r with { Reset = r.Reset! with { ReadErrno = 0, ReadResult = "read() = 0" } }));
        Assert.Throws<ProofFailedException>(() => Require.OverflowResets(Overflow(false)));
    }

    [Fact]
    public void Abortive_closes_send_rst_and_count_it_where_the_kernel_does()
    {
        var r = Abortive();
        // A zero linger counted as TCPAbortOnLinger would be the wrong counter.
        var wrong = r with { ZeroLinger = r.ZeroLinger with { AbortOnData = 0, AbortOnLinger = 1 } };
        Assert.Throws<ProofFailedException>(() => Require.ZeroLingerSendsRst(wrong));
        Assert.Throws<ProofFailedException>(() => Require.ZeroLingerSendsRst(r with { ZeroLinger = r.ZeroLinger with { TimeWaitLeft = true } }));
        Assert.Throws<ProofFailedException>(() => Require.UnreadDataSendsRst(r with { UnreadData = r.UnreadData with { PeerReadErrno = 0, PeerRead = "read() = 0 (end of file)" } }));
        Assert.Throws<ProofFailedException>(() => Require.UnreadDataSendsRst(r with { UnreadData = r.UnreadData with { EstabResets = 1 } }));
        Assert.Throws<ProofFailedException>(() => Require.OrderlyCloseSendsFin(r with { Orderly = r.Orderly with { OutRsts = 1 } }));
        Assert.Throws<ProofFailedException>(() => Require.OrderlyCloseSendsFin(r with { Orderly = r.Orderly with { CloserAfter = "gone", TimeWaitLeft = false } }));
    }

    [Fact]
    public void Syn_queue_limit_names_the_comparison_this_kernel_uses()
    {
        Assert.Throws<ProofFailedException>(() => Require.SynQueueLimit([Syn(false, 7, 13, 0)], "k"));
        Assert.Throws<ProofFailedException>(() => Require.SynQueueLimit([Syn(false, 5, 3, 0)], "k"));
        Assert.Throws<ProofFailedException>(() => Require.SynQueueLimit([Syn(false, 5, 15, 0), Syn(true, 5, 0, 2)], "k"));
        Assert.Throws<ProofFailedException>(() => Require.SynQueueLimit([Syn(false, 5, 15, 0) with { MaxSynBacklog = 4 }], "k"));
    }

    [Fact]
    public void Syn_ack_retries_are_reported_and_bounded()
    {
        // The recorded shape: five requests, backlog 4; the oldest goes at about 7 s (limit lowered to 2), four stay.
        var dropped = Syn(false, 5, 15, 0, Samples((0, 5, 0), (1000, 5, 1), (3000, 5, 2), (7350, 4, 3), (8500, 4, 3)));
        // Long enough to see the lowered limit run out, and nothing dropped: the formula did not hold.
        var stillQueued = Syn(false, 5, 15, 0, Samples((0, 5, 0), (1000, 5, 1), (3000, 5, 2), (7100, 5, 3), (8500, 5, 3)));
        Assert.Throws<ProofFailedException>(() => Require.SynAckRetries(stillQueued));
        // Dropped far from when the lowered limit says.
        var early = Syn(false, 5, 15, 0, Samples((0, 5, 0), (1000, 5, 1), (2000, 4, 1), (8500, 4, 3)));
        Assert.Throws<ProofFailedException>(() => Require.SynAckRetries(early));
        var tooMany = Syn(false, 5, 15, 0, Samples((0, 5, 0), (1000, 5, 6)));
        Assert.Throws<ProofFailedException>(() => Require.SynAckRetries(tooMany));
    }

    [Fact]
    public void Tx_queue_includes_bytes_never_sent()
    {
        // tx_queue within one window: nothing shows it held unsent bytes.
        Assert.Throws<ProofFailedException>(() => Require.TxQueueIncludesUnsent(Buffers(100_000, 10, 90_000)));
        // "sent" part larger than the receiver could ever have taken.
        Assert.Throws<ProofFailedException>(() => Require.TxQueueIncludesUnsent(Buffers(4_000_000, 1_000_000, 90_000)));
    }

    [Fact]
    public void Window_probe_step_moves_bytes_from_sender_to_receiver()
    {
        var mismatch = Buffers(0, 0, 0, 131072,
            new BufferSample(60, 4_000_000, 87_040, 4_070_400, "ZeroWindowProbe", 4_000_000),
            new BufferSample(278, 4_000_000, 124_928, 4_070_400, "ZeroWindowProbe", 3_960_000));
        Assert.Throws<ProofFailedException>(() => Require.WindowProbeStep(mismatch));
    }

    [Fact]
    public void Window_probe_step_comes_when_the_timer_armed_for_one_rto_is_due()
    {
        // A timer whose time left does not match the RTO: armed for far less, or far more.
        Assert.Throws<ProofFailedException>(() => Require.WindowProbeStep(Probed(1000)));
        Assert.Throws<ProofFailedException>(() => Require.WindowProbeStep(Probed(200, left: 90)));
        Assert.Throws<ProofFailedException>(() => Require.WindowProbeStep(Probed(100, left: 90)));
        // A step long before the timer was due is not the probe; one long after it, not this probe either.
        Assert.Throws<ProofFailedException>(() => Require.WindowProbeStep(Probed(200, stepAt: 170, stepReadDone: 170.4)));
        Assert.Throws<ProofFailedException>(() => Require.WindowProbeStep(Probed(200, stepAt: 330, stepReadDone: 330.4)));
    }

    [Fact]
    public void Tx_queue_from_the_ioctl_is_what_proc_prints()
    {
        var differs = Probed(200, procAtEnd: 4_000_000) with { PeakTxQueue = 4_141_056 };
        Assert.Throws<ProofFailedException>(() => Require.TxQueueIncludesUnsent(differs));
    }

    [Fact]
    public void Time_wait_counts_down_from_sixty_seconds()
    {
        Assert.Throws<ProofFailedException>(() => Require.TimeWaitLength(new CloseResult(1, [], TimeSpan.FromSeconds(30), ShutdownAtMs: 11, FinAckedAtMs: 12)));
        Assert.Throws<ProofFailedException>(() => Require.TimeWaitLength(new CloseResult(1, [], TimeSpan.FromSeconds(61), ShutdownAtMs: 11, FinAckedAtMs: 12)));
    }

    [Fact]
    public void A_fin_is_acknowledged_at_the_next_tick_without_data_and_after_ato_with_it()
    {
        Assert.Throws<ProofFailedException>(() => Require.FinAcknowledged(Closing(61, 0)));
        Assert.Throws<ProofFailedException>(() => Require.FinAcknowledged(Closing(14, 40)));
        Assert.Throws<ProofFailedException>(() => Require.FinAcknowledged(Closing(61, 0) with { FinAckedAtMs = 55 }));
        Assert.Throws<ProofFailedException>(() => Require.FinAcknowledged(Closing(61, 0) with { FinAckedAtMs = -50 }));
    }

    [Fact]
    public void A_fin_is_one_sequence_number_in_the_receive_queue()
    {
        var steps = new List<CloseStep> { new(12, "server: read() returns 0", "FIN-WAIT-2", "CLOSE-WAIT", "", "", true) };
        var closing = new CloseResult(1, steps, TimeSpan.FromSeconds(59.9), ShutdownAtMs: 11, FinAckedAtMs: 12, ServerRxQueueAfterFin: 1, ServerRxQueueAfterEof: 0);
        Assert.Throws<ProofFailedException>(() => Require.FinInTheReceiveQueue(closing with { ServerRxQueueAfterFin = 0 }));
        Assert.Throws<ProofFailedException>(() => Require.FinInTheReceiveQueue(closing with { ServerRxQueueAfterEof = 1 }));
        Assert.Throws<ProofFailedException>(() => Require.FinInTheReceiveQueue(closing with { Steps = [steps[0] with { ReadReturnedEof = false }] }));
    }

    [Fact]
    public void The_weak_host_model_is_checked_attempt_by_attempt()
    {
        var hosts = Recordings.Load<TwoHostsResult>("experiments/two-hosts.json").Result;
        BindingAttempt[] seen =
        [
            new("10.12.9.2:9502", null, "10.12.9.2:9502", "connected"),
            new("0.0.0.0:9503", "lo", "10.12.0.2:9503", "ECONNREFUSED"),
            new("0.0.0.0:9504", "veth-server", "10.12.0.2:9504", "connected"),
        ];
        Assert.Throws<ProofFailedException>(() => Require.WeakHost(hosts with { Binding = [seen[0] with { Outcome = "ECONNREFUSED" }, seen[1], seen[2]] }));
        Assert.Throws<ProofFailedException>(() => Require.WeakHost(hosts with { Binding = [seen[0], seen[1] with { Outcome = "connected" }, seen[2]] }));
        Assert.Throws<ProofFailedException>(() => Require.WeakHost(hosts with { Binding = [seen[0], seen[1], seen[2] with { Outcome = "no answer within 5 s" }] }));
    }

    [Fact]
    public void Udp_drops_are_the_missing_datagrams()
    {
        Assert.Throws<ProofFailedException>(() => Require.DropsAreTheMissing(new UdpDropsResult(512, [new UdpBurst(8192, 400, 6, 390, 394)])));
        Assert.Throws<ProofFailedException>(() => Require.DropsAreTheMissing(new UdpDropsResult(512, [new UdpBurst(8192, 400, 6, 394, 10)])));
    }

    [Fact]
    public void Segments_for_three_sends_are_counted_not_assumed()
    {
        var reads = new List<ReadResult> { new("TCP", 1, "onetwothree", 11, false) };
        Assert.Throws<ProofFailedException>(() => Require.SegmentsForThreeSends(new BoundariesResult(["one", "two", "three"], reads, 0)));
    }

    [Fact]
    public void Tcp_recovery_names_each_kind_of_retransmission()
    {
        Assert.Throws<ProofFailedException>(() => Require.TcpRecovery(Lossy(false, 0, 0)));
        Assert.Throws<ProofFailedException>(() => Require.TcpRecovery(Lossy(true, retrnsmt: 5, timeouts: 0)));
    }

    [Fact]
    public void Udp_across_the_relay_matches_what_the_relay_did()
    {
        Assert.Throws<ProofFailedException>(() => Require.UdpAcrossRelay(Lossy(true, 0, 0, inOrder: false)));
        Assert.Throws<ProofFailedException>(() => Require.UdpAcrossRelay(Lossy(true, 0, 0, reorder: 10, udpReceived: 299)));
    }

    [Fact]
    public void Unix_datagram_limits_name_the_buffer_and_the_queue()
    {
        var right = new UnixReliabilityResult(400, 167, 400, true, 160, 240, 212992, 10, 11, 212992);
        Assert.Throws<ProofFailedException>(() => Require.UnixDatagramLimits(right with { NamedReceiverQueuedBeforeEagain = 10 }));
        Assert.Throws<ProofFailedException>(() => Require.UnixDatagramLimits(right with { UnixReceived = 399 }));
        Assert.Throws<ProofFailedException>(() => Require.UnixDatagramLimits(right with { UnixSentBeforeEagain = 400 }));
    }

    [Fact]
    public void A_veth_round_trip_is_set_against_loopback_and_must_be_of_its_order()
    {
        Assert.Throws<ProofFailedException>(() => Require.VethAgainstLoopback(HostsMeasured(150), Loopback(10)));
    }

    [Fact]
    public void Throughput_growth_is_stated_per_transport_and_checked_end_to_end()
    {
        Assert.Throws<ProofFailedException>(() => Require.ThroughputGrowth(Sweep(udpLarge: 5)));
    }

    [Fact]
    public void The_udp_comparison_has_a_verdict_from_its_loss_column()
    {
        var udp = new Iperf3Comparison("UDP", 16384, 2, [1.07], [0.64], [45.1], [60.0]);
        Assert.Throws<ProofFailedException>(() => Require.UdpAgainstIperf3(udp with { OursLostPercent = [0.0] }));
    }

    [Fact]
    public void Iperf3_agreement_is_within_twenty_percent()
    {
        var close = new Iperf3Comparison("tcp", 131072, 1, [0.99], [0.85]);
        Assert.Throws<ProofFailedException>(() => Require.AgreesWithIperf3(close with { OursGigabytesPerSecond = [1.7] }));
        // Rounds 1.3× apart do not cover medians 1.9× apart: a measuring error shows even on a busy machine.
        var busy = new Iperf3Comparison("tcp", 131072, 1, [1.9, 2.0, 2.1], [0.9, 1.0, 1.2]);
        Assert.Throws<ProofFailedException>(() => Require.AgreesWithIperf3(busy));
        Require.AgreesWithIperf3(busy with { Iperf3GigabytesPerSecond = [0.6, 1.0, 2.0] });
        Require.AgreesWithIperf3(close with { OursGigabytesPerSecond = [1.14] }); // 1.34: the same order
    }

    [LinuxFact]
    public void A_unix_stream_socket_is_sock_stream_without_tcp_and_a_wrong_reading_is_refused()
    {
        var live = UnixSockets.StreamTypes();
        var asIfTcp = new StreamTypesResult([live.Tcp, live.Unix with { Protocol = 6 }]);
        Assert.Throws<ProofFailedException>(() => Require.StreamIsNotTcp(asIfTcp));
        var listedAsTcp = new StreamTypesResult([live.Tcp, live.Unix with { ListedIn = "/proc/net/tcp" }]);
        Assert.Throws<ProofFailedException>(() => Require.StreamIsNotTcp(listedAsTcp));
    }

    [LinuxFact]
    public void A_stream_reads_and_writes_short_and_framing_restores_the_messages()
    {
        var live = NetIpc.Experiments.Framing();
        Assert.Throws<ProofFailedException>(() => Require.MessagesOverAStream(live with { FirstRead = live.Written }));
        Assert.Throws<ProofFailedException>(() => Require.MessagesOverAStream(live with { Accepted = live.AskedToWrite }));
        Assert.Throws<ProofFailedException>(() => Require.MessagesOverAStream(live with { FramedReceived = [5, 70_000] }));
    }

    [LinuxFact]
    public void Accept_takes_a_connection_that_was_complete_before_the_call()
    {
        var live = NetIpc.Experiments.AcceptLater(delayMs: 50);
        Assert.Throws<ProofFailedException>(() => Require.AcceptTakesAFinishedConnection(live with { ServerLineBeforeAccept = "TCP_SYN_RECV" }));
        Assert.Throws<ProofFailedException>(() => Require.AcceptTakesAFinishedConnection(live with { AcceptTookMicroseconds = 40_000 }));
    }

    [LinuxFact]
    public void A_udp_server_needs_one_descriptor_and_a_wrong_reading_is_refused()
    {
        var live = NetIpc.Experiments.ServerDescriptors(3);
        Assert.Throws<ProofFailedException>(() => Require.ServerDescriptors(live with { Udp = live.Udp with { Descriptors = [.. live.Udp.Descriptors, "fd 99 → socket:[1]: bound"] } }));
        Assert.Throws<ProofFailedException>(() => Require.ServerDescriptors(live with { Udp = live.Udp with { Calls = [.. live.Udp.Calls, "accept()"] } }));
        Assert.Throws<ProofFailedException>(() => Require.ServerDescriptors(live with { Tcp = live.Tcp with { Descriptors = live.Tcp.Descriptors.Skip(1).ToList() } }));
        Assert.Throws<ProofFailedException>(() => Require.ServerDescriptors(live with { Udp = live.Udp with { Peers = [live.Udp.Peers[0], live.Udp.Peers[0], live.Udp.Peers[0]] } }));
    }

    [Fact]
    public void Socket_types_are_checked_against_the_recording_and_a_wrong_reading_is_refused()
    {
        var recorded = Recordings.Load<SocketTypesResult>("experiments/socket-types.json").Result;
        var rows = recorded.Rows;
        Assert.Throws<ProofFailedException>(() => Require.SocketTypes(recorded with { RawReceived = recorded.Payload }));
        Assert.Throws<ProofFailedException>(() => Require.SocketTypes(recorded with { Rows = [rows[0], rows[1], rows[2], rows[3] with { SoType = 0x801 }] }));
        Assert.Throws<ProofFailedException>(() => Require.SocketTypes(recorded with { Rows = [rows[0], rows[1], rows[2], rows[3] with { NonBlocking = false }] }));
        Assert.Throws<ProofFailedException>(() => Require.SocketTypes(recorded with { Rows = [rows[0], rows[1] with { ListedIn = "/proc/net/raw" }, rows[2], rows[3]] }));
    }

    [LinuxFact]
    public void Socket_file_permissions_are_checked_and_a_wrong_reading_is_refused()
    {
        var live = UnixSockets.Permissions();
        var c = live.Cases;
        Assert.Throws<ProofFailedException>(() => Require.SocketPermissions(live with { Cases = [c[0], c[1] with { Errno = 0 }, c[2], c[3]] }));
        Assert.Throws<ProofFailedException>(() => Require.SocketPermissions(live with { Cases = [c[0], c[1], c[2] with { Errno = 13 }, c[3]] }));
        Assert.Throws<ProofFailedException>(() => Require.SocketPermissions(live with { CapabilitiesBefore = live.DacOverride ? "0x0" : "0x2" }));
        Assert.Throws<ProofFailedException>(() => Require.SocketPermissions(live with { AbstractPeerUid = live.ConnectingUid + 1 }));
    }

    [LinuxFact]
    public void A_descriptor_passed_to_another_process_is_the_same_file_and_peercred_names_that_process()
    {
        var live = UnixSockets.PassDescriptor();
        Assert.Throws<ProofFailedException>(() => Require.DescriptorPassed(live with { ReceiverTarget = "/tmp/elsewhere" }));
        Assert.Throws<ProofFailedException>(() => Require.DescriptorPassed(live with { FileContents = "" }));
        Assert.Throws<ProofFailedException>(() => Require.DescriptorPassed(live with { PeerCredPid = live.SenderPid }));
    }

    [LinuxFact]
    public void The_seeds_flow_traced_runs_in_the_order_the_chapter_draws_and_a_reordered_trace_is_refused()
    {
        var trace = NetIpc.Experiments.SeedFlow();
        var s = trace.Segments.ToList();
        Assert.Throws<ProofFailedException>(() => Require.SeedFlowOrder(trace with { Segments = [s[1], s[0], .. s.Skip(2)] }));
        var serverFinFirst = s.Select(x => x.Flags.Contains("FIN") ? x with { From = x.From == "client" ? "server" : "client" } : x).ToList();
        Assert.Throws<ProofFailedException>(() => Require.SeedFlowOrder(trace with { Segments = serverFinFirst }));
    }
}

/// <summary>Chapter 03's sock_diag checks: each passes what the kernel said, and fails on anything else.</summary>
public class SockDiagChecksTests
{
    [Fact]
    public void A_listeners_tcp_info_is_its_accept_queue_and_backlog()
    {
        Assert.Throws<ProofFailedException>(() => Require.ListenerTcpInfo(Listener(unacked: 1)));
        Assert.Throws<ProofFailedException>(() => Require.ListenerTcpInfo(Listener(sacked: 5)));
        Assert.Throws<ProofFailedException>(() => Require.ListenerTcpInfo(Listener(rtt: 0)));
        Assert.Throws<ProofFailedException>(() => Require.ListenerTcpInfo(Listener(procRx: 1)));
        Assert.Throws<ProofFailedException>(() => Require.ListenerTcpInfo(Listener(listening: 12)));
        Assert.Throws<ProofFailedException>(() => Require.ListenerTcpInfo(Listener(listenerCwnd: 0)));
    }

    [Fact]
    public void The_rto_floor_is_the_sysctl_where_the_kernel_has_one_and_TCP_RTO_MIN_before_it()
    {
        Assert.Throws<ProofFailedException>(() => Require.ListenerTcpInfo(Listener(rto: 199_000)));
        Assert.Throws<ProofFailedException>(() => Require.ListenerTcpInfo(Listener(rto: 201_000, rtoMinSysctlUs: 300_000)));
    }

    [Fact]
    public void The_netlink_reader_must_be_twice_as_fast_as_ss_and_beat_the_bare_proc_read()
    {
        Assert.Throws<ProofFailedException>(() => Require.SockDiagFaster(Benchmark(43))); // 2× ss, but slower than /proc's bytes
        Assert.Throws<ProofFailedException>(() => Require.SockDiagFaster(Benchmark(30, ssMs: 50))); // faster than /proc's bytes, not 2× ss
    }

    [Fact]
    public void The_accept_queue_read_over_netlink_must_match_rx_queue_and_the_effective_backlog()
    {
        AcceptQueueResult Run(int? diagQueued, int? diagBacklog) =>
            new(3, null, 3, 5, 4, 4, 1, 1, "test", [new(5, 4, 4, 1, diagQueued, diagBacklog)]);
        Assert.Throws<ProofFailedException>(() => Require.AcceptQueueCeiling(Run(3, 3)));
        Assert.Throws<ProofFailedException>(() => Require.AcceptQueueCeiling(Run(4, 4)));
    }

    [Fact]
    public void The_two_views_agree_but_for_what_the_kernel_explains()
    {
        var e = Assert.Throws<ProofFailedException>(() => Require.ViewsAgree(ZooViews(0, null)));
        Assert.Contains("TxQueue: /proc 0, sock_diag 8", e.Message);
        Assert.Throws<ProofFailedException>(() => Require.ViewsAgree(ZooViews(3, NetIpc.Diag.ViewAgreement.ListenerTxQueue)));
    }
}
