using NetIpc.Diag;
using NetIpc.Harness;
using NetIpc.Hosts;
using NetIpc.Performance;
using NetIpc.Servers;
using NetIpc.SocketTables;
using NetIpc.Tcp;
using NetIpc.Udp;
using NetIpc.Unix;

namespace NetIpc.Tests.Checks;

/// <summary>
/// The checks <see cref="ChapterChecksTests"/> does not already see fail: each case starts from a run whose checks
/// all hold, changes one reading, and must fail on that claim and no other.
/// </summary>
public class EachCheckFailsTests
{
    private static T Load<T>(string name) => Recordings.Load<T>($"experiments/{name}.json").Result;

    private static void Holds(IReadOnlyList<ProofCheck> checks) => Assert.All(checks, c => Assert.True(c.Holds, $"{c.Claim}: {c.Evidence}"));

    private static void FailsOn(IReadOnlyList<ProofCheck> checks, string claimStart)
    {
        var failed = checks.Where(c => !c.Holds).ToList();
        Assert.NotEmpty(failed);
        Assert.All(failed, c => Assert.StartsWith(claimStart, c.Claim));
        Assert.Throws<ProofFailedException>(() => checks.RequireAll());
    }

    [Fact]
    public void The_two_views_must_each_have_been_compared()
    {
        ViewAgreement View(string table, int compared) => new(table, compared, 0, [], [], []);
        var listener = new NetIpc.Proc.TcpSocketEntry(0, new(System.Net.IPAddress.Loopback, 9501), new(System.Net.IPAddress.Any, 0),
            NetIpc.Proc.KernelTcpState.Listen, 0, 0, NetIpc.Proc.TcpTimer.None, 0, 0, 0, 0, 7, null);
        TwoViewsOfTheZoo Zoo(int udp) => new(View("tcp", 1), View("udp", udp), View("unix", 1),
            [new TwoViewsRow(listener, new TcpDiagEntry(listener with { TxQueue = 8 }, 0, 1, null))], 3);
        Holds(Zoo(udp: 1).Checks());
        FailsOn(Zoo(udp: 0).Checks(), "the zoo's TCP, UDP and UNIX sockets were all compared");
    }

    [Fact]
    public void The_seeds_flow_fails_on_each_call_out_of_place()
    {
        var t = Load<SeedFlowTrace>("seed-flow-trace");
        Holds(t.Checks());
        var calls = t.Calls.ToList();
        FlowCall Moved(string side, string start, double to) => calls.First(c => c.Side == side && c.Call.StartsWith(start, StringComparison.Ordinal)) with { Microseconds = to };
        FailsOn((t with { Calls = [Moved("client", "connect()", 0), .. calls.Where(c => !(c.Side == "client" && c.Call.StartsWith("connect()", StringComparison.Ordinal)))] }).Checks(),
            "connect() returns only after the SYN-ACK");
        FailsOn((t with { Calls = [Moved("server", "accept()", 0), .. calls.Where(c => !(c.Side == "server" && c.Call.StartsWith("accept()", StringComparison.Ordinal)))] }).Checks(),
            "accept() returns only after the client's ACK");
        FailsOn((t with { Calls = [.. calls.Where(c => c.Call != "read() = 0")] }).Checks(), "the server's read() returns 0 after the client's FIN");
        FailsOn((t with { Segments = [.. t.Segments.Where(s => !(s.From == "server" && s.Payload > 0))] }).Checks(), "one data segment each way");
    }

    [Fact]
    public void Socket_types_fail_on_each_row()
    {
        var r = Load<SocketTypesResult>("socket-types");
        Holds(r.Checks());
        var rows = r.Rows;
        FailsOn((r with { Rows = [rows[0], rows[1], rows[2]] }).Checks(), "four sockets were asked");
        FailsOn((r with { Rows = [rows[0] with { SoProtocol = 17 }, rows[1], rows[2], rows[3]] }).Checks(), "SOCK_STREAM with protocol 0 is TCP");
        FailsOn((r with { Rows = [rows[0], rows[1], rows[2] with { Line = rows[2].Line.Replace(":0011 ", ":0035 ") }, rows[3]] }).Checks(), "SOCK_RAW with IPPROTO_UDP");
        FailsOn((r with { Rows = [rows[0] with { NonBlocking = true }, rows[1], rows[2], rows[3]] }).Checks(), "the sockets made without the flag block");
    }

    [Fact]
    public void A_resend_the_rule_does_not_have_fails()
    {
        var r = new SynResendsResult(0, 1, 1000, 2600, 1, true, [new SynResendSeen(1, 999, 1001, 2000, 1)]);
        Holds(r.Checks());
        // With tcp_syn_retries 1 there is one resend: a second one is counted as too many, and is none the rule has.
        var extra = (r with { Resends = [.. r.Resends, new SynResendSeen(2, 2000, 2500, 4000, 2)] }).Checks();
        Assert.Equal(["the client resends its SYN 1 times in 2.6 s (tcp_syn_linear_timeouts 0)", "every resend seen is one the rule allows"],
            extra.Where(c => !c.Holds).Select(c => c.Claim));
    }

    [Fact]
    public void Overflow_steps_fail_on_the_data_segment_the_counters_and_the_second_call()
    {
        var dropped = Load<AcceptOverflowResult>("accept-overflow");
        var reset = Load<AcceptOverflowResult>("accept-overflow-abort");
        Holds(dropped.FirstDataChecks());
        Holds(reset.ResetChecks());
        FailsOn((dropped with { Dropped = dropped.Dropped! with { FirstData = dropped.Dropped.FirstData with { OutRsts = 1 } } }).FirstDataChecks(), "the data segment is dropped like the ACK");
        FailsOn((reset with { Reset = reset.Reset! with { WriteErrno = 0 } }).ResetChecks(), "a write() after that fails with EPIPE");
        FailsOn((reset with { ThirdAck = reset.ThirdAck with { ListenDrops = reset.ThirdAck.ListenOverflows + 1 } }).ResetChecks(), "the final ACK still meets a full queue");
    }

    [Fact]
    public void Buffers_without_samples_or_without_the_probe_fail()
    {
        var r = Load<List<BuffersResult>>("buffers")[0];
        Holds(r.WindowProbeChecks());
        FailsOn((r with { Samples = [] }).TxQueueChecks(), "the sampler saw the queues");
        FailsOn((r with { Samples = [.. r.Samples.Select(s => s with { SenderTimer = "Retransmit" })] }).WindowProbeChecks(), "the sender's timer column shows the zero-window probe");
    }

    [Fact]
    public void Closes_fail_on_the_peers_calls()
    {
        var r = Load<AbortiveCloseResult>("abortive-close");
        Holds(r.OrderlyChecks());
        Holds(r.ZeroLingerChecks());
        FailsOn((r with { Orderly = r.Orderly with { PeerReadErrno = 104, PeerRead = "read() = -1 ECONNRESET (104)" } }).OrderlyChecks(), "after close() the peer's read() returns 0");
        FailsOn((r with { ZeroLinger = r.ZeroLinger with { PeerWriteErrno = 0 } }).ZeroLingerChecks(), "the peer's next write() fails with EPIPE");
    }

    [Fact]
    public void No_burst_is_no_proof()
    {
        FailsOn(new UdpDropsResult(512, []).Checks(), "there was a burst to count");
    }

    [Fact]
    public void Servers_fail_on_their_calls()
    {
        var r = Load<ServerDescriptorsResult>("server-descriptors");
        Holds(r.Checks());
        FailsOn((r with { Tcp = r.Tcp with { Calls = [.. r.Tcp.Calls.Where(c => !c.StartsWith("listen(", StringComparison.Ordinal))] } }).Checks(), "the TCP server called listen() once");
    }

    [Fact]
    public void Stream_types_fail_on_the_tcp_socket()
    {
        var r = Load<StreamTypesResult>("unix-stream-types");
        Holds(r.Checks());
        FailsOn(new StreamTypesResult([r.Tcp with { Type = 2 }, r.Unix]).Checks(), "both are SOCK_STREAM sockets");
        FailsOn(new StreamTypesResult([r.Tcp with { Domain = 10 }, r.Unix]).Checks(), "the TCP socket is AF_INET");
    }

    [Fact]
    public void Permissions_fail_on_the_file_as_created_and_on_a_missing_case()
    {
        var r = Load<SocketPermissionsResult>("unix-permissions");
        Holds(r.Checks());
        var c = r.Cases;
        FailsOn((r with { Cases = [c[0], c[1], c[2]] }).Checks(), "four connects were made");
        FailsOn((r with { Cases = [c[0] with { Errno = c[0].Errno == 0 ? NetIpc.Native.Errno.EACCES : 0 }, c[1], c[2], c[3]] }).Checks(), "bind() made the file");
    }

    [Fact]
    public void The_weak_host_needs_all_three_attempts()
    {
        var r = Load<TwoHostsResult>("two-hosts");
        BindingAttempt connected = new("10.12.9.2:9502", null, "10.12.9.2:9502", "connected");
        FailsOn((r with { Binding = [connected, connected] }).WeakHostChecks(), "three connections were tried");
    }

    [Fact]
    public void A_rerun_needs_rounds_and_a_tcp_point()
    {
        ThroughputPoint Point(string transport) => new(transport, 64, [new(10, 10, 100, 0)]);
        var sweep = new ThroughputResult([Point(ThroughputChecks.LoopbackTcp), Point("UDP (loopback)")]);
        Holds(sweep.RerunChecks([1600]));
        FailsOn(sweep.RerunChecks([]), "the recording's write size and round length were measured again");
        FailsOn(new ThroughputResult([Point("UDP (loopback)")]).RerunChecks([1600]), "the sweep measured TCP over loopback");
    }

    [Fact]
    public void Shared_port_fails_on_the_listener_and_on_an_accepted_row()
    {
        var r = Load<SharedPortResult>("shared-port");
        Holds(r.Checks());
        FailsOn((r with { Rows = [.. r.Rows.Where(x => x.State != "LISTEN")] }).Checks(), "one LISTEN socket on the port");
        var first = r.RowOf(r.Accepted[0])!;
        FailsOn((r with { Rows = [.. r.Rows.Select(x => x == first ? x with { State = "CLOSE-WAIT" } : x)] }).Checks(), "each accepted socket is ESTABLISHED");
    }
}
