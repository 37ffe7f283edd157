using NetIpc.Packets;

namespace NetIpc.Tests.Packets;

/// <summary>The chapter's two proofs, run against this machine's kernel in namespaces of their own.</summary>
public class KernelProofTests
{
    [ExperimentFact("receive-path")]
    public void Captured_frames_pulled_apart_match_what_the_sockets_did()
    {
        var result = SkBuffProofs.ReceivePath(); // throws, naming the claim, when the kernel disagrees
        Assert.Equal(8, result.Checks.Count); // a live capture also checks loopback's device MTU against its route's
        Assert.Contains(result.Checks, c => c.Claim.StartsWith("loopback's device MTU here is", StringComparison.Ordinal));
    }

    [ExperimentFact("send-udp")]
    public void A_udp_datagram_built_in_an_skbuff_is_delivered_and_a_corrupted_one_is_counted()
    {
        var result = SkBuffProofs.SendUdp(); // throws, naming the claim, when the kernel disagrees
        Assert.Equal(4, result.Checks.Count);
    }

    [ExperimentFact("send-syn")]
    public void A_syn_built_in_an_skbuff_leaves_a_half_open_connection()
    {
        var result = SkBuffProofs.SendSyn(); // throws, naming the claim, when the kernel disagrees
        Assert.Equal(2, result.Checks.Count);
    }

    [ExperimentFact("send-syn")]
    public void Nothing_is_left_behind_in_this_namespace()
    {
        var before = NetIpc.Proc.ProcNet.Self.TcpAll().Count(e => e.Remote.Address.ToString() == "192.0.2.7");
        SkBuffProofs.SendSyn();
        Assert.Equal(before, NetIpc.Proc.ProcNet.Self.TcpAll().Count(e => e.Remote.Address.ToString() == "192.0.2.7"));
    }

    [UserNamespaceFact]
    public void In_a_child_in_a_user_namespace_the_capture_and_the_sends_hold_too()
    {
        var capture = SkBuffProofs.FromCapture(SkBuffProofs.ReceivePathCapture.InChild("hello"));
        Assert.Equal(8, capture.Checks.Count);
        Assert.NotNull(capture.LoopbackDeviceMtu);
        Assert.Equal(4, SkBuffProofs.SendUdpRun.InChild("hello from an sk_buff").Checks.Count);
        var syn = SkBuffProofs.SendSynRun.InChild(1000);
        Assert.Equal(System.Net.Sockets.ProtocolType.Tcp, syn.Ip.Protocol);
    }

    [Fact]
    public void A_capture_without_its_header_line_is_refused_naming_where()
    {
        var error = Assert.Throws<FormatException>(() => SkBuffProofs.FromCapture("00\n", "a test capture"));
        Assert.Contains("a test capture, line 1", error.Message);
    }

    [Fact]
    public void Recorded_capture_is_taken_apart_by_the_same_code_and_says_so()
    {
        var result = SkBuffProofs.RecordedReceivePath();
        Assert.StartsWith("RECORDED", result.Source);
        Assert.Equal(7, result.Checks.Count);
        Assert.Equal(6, result.Frames.Count);
        Assert.Equal(["frame as captured", "Ethernet header", "IPv4 header", "TCP header"],
            result.Frames[0].Skb.History.SelectMany(h => h.Regions).Select(r => r.What).Distinct());
    }

    [ExperimentFact("receive-path")]
    public void Live_capture_round_trips_through_its_recording()
    {
        var live = SkBuffProofs.ReceivePath();
        var lines = live.ToRecording().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(live.Frames.Count + 1, lines.Length);
        Assert.Equal(live.Frames[0].Summary, SkBuffProofs.TakeApart(1, Convert.FromHexString(lines[1]))!.Summary);
    }
}
