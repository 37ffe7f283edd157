using NetIpc.Native;
using static NetIpc.Experiments;

namespace NetIpc.Tests.Experiments;

/// <summary>Chapter 09's abortive closes, counted in a namespace of their own.</summary>
public class AbortiveCloseTests
{
    [ExperimentFact("abortive-close")]
    public void Zero_linger_and_unread_data_reset_the_connection_and_leave_no_time_wait_where_close_sends_fin()
    {
        var r = AbortiveClose();

        var orderly = r.Orderly;
        Assert.Equal(("TIME_WAIT", "gone", true), (orderly.CloserAfter, orderly.PeerAfter, orderly.TimeWaitLeft));
        Assert.Equal(("read() = 0 (end of file)", 0), (orderly.PeerRead, orderly.PeerReadErrno));
        Assert.Equal((0L, 0L, 0L, 0L, 0L), (orderly.OutRsts, orderly.AbortOnData, orderly.AbortOnClose, orderly.AbortOnLinger, orderly.EstabResets));

        foreach (var abortive in new[] { r.ZeroLinger, r.UnreadData })
        {
            Assert.Equal(("gone", "gone", false), (abortive.CloserAfter, abortive.PeerAfter, abortive.TimeWaitLeft));
            Assert.Equal(("read() = -1 ECONNRESET (104)", Errno.ECONNRESET), (abortive.PeerRead, abortive.PeerReadErrno));
            Assert.Equal(("write() = -1 EPIPE (32)", Errno.EPIPE), (abortive.PeerWrite, abortive.PeerWriteErrno));
            Assert.Equal(1, abortive.OutRsts);
            Assert.Equal(0, abortive.AbortOnLinger); // TCP_LINGER2 < 0 in FIN_WAIT2, not SO_LINGER
            Assert.Equal(2, abortive.EstabResets); // both ends left ESTABLISHED for CLOSE
        }
        // __tcp_close: zero linger goes through tcp_disconnect and counts TCPAbortOnData; unread data counts TCPAbortOnClose.
        Assert.Equal((1L, 0L), (r.ZeroLinger.AbortOnData, r.ZeroLinger.AbortOnClose));
        Assert.Equal((0L, 1L), (r.UnreadData.AbortOnData, r.UnreadData.AbortOnClose));
        Assert.Equal(3, r.Cases.Count);
    }

    [UserNamespaceFact]
    public void In_a_child_inside_a_user_namespace_the_counters_are_the_same()
    {
        var r = AbortiveCloseRun.InChild(0);
        Assert.Equal((1L, 1L), (r.ZeroLinger.AbortOnData, r.UnreadData.AbortOnClose));
        Assert.Equal(Errno.ECONNRESET, r.ZeroLinger.PeerReadErrno);
    }
}
