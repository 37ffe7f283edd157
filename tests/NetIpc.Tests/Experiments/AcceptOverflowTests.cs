using NetIpc.Native;
using NetIpc.Tcp;
using static NetIpc.Experiments;

namespace NetIpc.Tests.Experiments;

/// <summary>Chapter 07's full accept queue meeting a handshake: what the kernel drops, counts and (on request) resets.</summary>
public class AcceptOverflowTests
{
    /// <summary>The late client's SYN — and, if the run stalled past a second, its resent SYN — dropped and counted in both counters, unanswered.</summary>
    private static void AssertDroppedInSilence(OverflowCounters late)
    {
        Assert.True(late.ListenOverflows >= 1, $"{late}");
        Assert.Equal(late.ListenOverflows, late.ListenDrops);
        Assert.Equal((0L, 0L, 0L), (late.OutRsts, late.EmbryonicRsts, late.EstabResets));
    }

    private static string? HostAbortOnOverflow() => NetIpc.Proc.Sysctl.Read("net.ipv4.tcp_abort_on_overflow");

    [ExperimentFact("accept-overflow")]
    public void A_full_accept_queue_drops_the_late_syn_and_the_held_clients_final_ack_and_data_until_there_is_room()
    {
        string? host = HostAbortOnOverflow();
        var r = AcceptOverflow(backlog: 1, abortOnOverflow: false);
        Assert.Equal(2, r.QueuedWhenFull);
        // tcp_conn_request: no request for a SYN that meets a full accept queue, counted in both counters, no answer.
        Assert.Equal("SYN_SENT", r.LateClientState);
        Assert.False(r.LateClientHasRequest);
        AssertDroppedInSilence(r.LateSyn);
        // tcp_v4_syn_recv_sock: the final ACK is dropped; the client believes it is connected.
        Assert.Equal("ESTABLISHED", r.HeldClientState);
        Assert.True(r.ServerHoldsRequest);
        Assert.True(r.ThirdAck.ListenOverflows >= 1, $"ListenOverflows +{r.ThirdAck.ListenOverflows}");
        Assert.Equal(r.ThirdAck.ListenOverflows, r.ThirdAck.ListenDrops);
        Assert.Equal((0L, 0L, 0L), (r.ThirdAck.OutRsts, r.ThirdAck.EmbryonicRsts, r.ThirdAck.EstabResets));
        var d = Assert.IsType<DroppedAckOutcome>(r.Dropped);
        Assert.True(d.SynAckResends >= 1, $"SYN-ACK resent {d.SynAckResends} times");
        Assert.Equal((5, 5L), (d.BytesWritten, d.UnacknowledgedBytes));
        Assert.True(d.FirstData.ListenOverflows >= 1 && d.FirstData.OutRsts == 0, $"{d.FirstData}");
        Assert.Equal("hello", d.ServerRead);
        Assert.Null(r.Reset);
        Assert.Contains(r.Steps, s => s.ClientLine == "ESTABLISHED, tx_queue 5" && s.ServerLine.StartsWith("SYN_RECV", StringComparison.Ordinal));
        Assert.Equal(host, HostAbortOnOverflow()); // set inside the experiment's namespace only
    }

    [ExperimentFact("accept-overflow")]
    public void With_tcp_abort_on_overflow_the_final_ack_is_answered_with_a_reset_but_the_late_syn_still_is_not()
    {
        string? host = HostAbortOnOverflow();
        var r = AcceptOverflow(backlog: 2, abortOnOverflow: true);
        Assert.Equal(3, r.QueuedWhenFull);
        AssertDroppedInSilence(r.LateSyn);
        Assert.Equal("gone", r.HeldClientState);
        Assert.False(r.ServerHoldsRequest);
        // tcp_check_req's embryonic_reset: one reset for the request; the client was ESTABLISHED when it came.
        Assert.Equal((1L, 1L), (r.ThirdAck.EmbryonicRsts, r.ThirdAck.EstabResets));
        Assert.True(r.ThirdAck.OutRsts >= 1 && r.ThirdAck.ListenOverflows >= 1, $"{r.ThirdAck}");
        Assert.Equal(r.ThirdAck.ListenOverflows, r.ThirdAck.ListenDrops);
        var reset = Assert.IsType<ResetOutcome>(r.Reset);
        Assert.Equal(("read() = -1 ECONNRESET (104)", Errno.ECONNRESET), (reset.ReadResult, reset.ReadErrno));
        Assert.Equal(("write() = -1 EPIPE (32)", Errno.EPIPE), (reset.WriteResult, reset.WriteErrno));
        Assert.Null(r.Dropped);
        Assert.Equal(host, HostAbortOnOverflow());
    }

    [Fact]
    public void A_backlog_of_zero_is_refused_because_the_held_request_would_fill_the_syn_queue()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => AcceptOverflow(backlog: 0));
    }

    [UserNamespaceFact]
    public void In_a_child_inside_a_user_namespace_it_sees_the_same_reset()
    {
        var r = AcceptOverflowRun.InChild((1, true));
        Assert.Equal(("gone", Errno.ECONNRESET, Errno.EPIPE), (r.HeldClientState, r.Reset!.ReadErrno, r.Reset.WriteErrno));
        Assert.Equal(1, r.ThirdAck.EmbryonicRsts);
    }
}
