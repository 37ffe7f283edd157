using System.Net;
using NetIpc.Diag;
using NetIpc.Proc;

namespace NetIpc.Tests.Diag;

/// <summary>
/// The comparison itself, on rows written here: which rows count as still between the two netlink reads, and which
/// differences the kernel explains. The live comparison is in <see cref="SockDiagAgreementTests"/>.
/// </summary>
public class ViewAgreementTests
{
    private static readonly IPEndPoint Listener = new(IPAddress.Loopback, 38815);
    private static readonly IPEndPoint Client = new(IPAddress.Loopback, 45184);

    /// <summary>A TCP_DEFER_ACCEPT request as both views print it: no inode, the SYN-ACK timer running.</summary>
    /// <param name="retransmits">/proc's retrnsmt (num_timeout) or sock_diag's idiag_retrans (num_retrans).</param>
    /// <param name="uid">/proc's is the listener's; sock_diag's is 0.</param>
    private static TcpSocketEntry Request(ulong timerTicks, ulong retransmits = 0, uint uid = 0) =>
        new(0, Listener, Client, KernelTcpState.SynRecv, 0, 0, TcpTimer.Retransmit, timerTicks, retransmits, uid, 0, 0, null);

    [Fact]
    public void A_timer_running_down_between_the_reads_is_explained_when_proc_lies_between_them()
    {
        var view = ViewAgreement.Tcp([Request(90)], [Request(85, retransmits: 1, uid: 1000)], [Request(80)]);

        Assert.Equal((1, 0), (view.Compared, view.Moved));
        Assert.True(view.Holds);
        Assert.Equal(
            [("Retransmits", ViewAgreement.RequestRetransmits), ("TimerTicks", ViewAgreement.TimerTimeLeft), ("Uid", ViewAgreement.RequestUid)],
            view.Differences.Select(d => (d.Field, d.KernelReason)).OrderBy(d => d.Field));
    }

    [Fact]
    public void A_timer_outside_the_two_reads_is_a_disagreement()
    {
        var view = ViewAgreement.Tcp([Request(90)], [Request(150)], [Request(80)]);

        Assert.False(view.Holds);
        Assert.Equal("TimerTicks", Assert.Single(view.Unexplained).Field);
    }

    /// <summary>
    /// What a loaded machine showed: the request's timer overdue in the first read (sock_diag prints 0), fired and armed
    /// again for 2 s before /proc was read. Nothing else of a deferred request changes when its timer fires.
    /// </summary>
    [Fact]
    public void A_timer_that_fired_and_was_armed_again_between_the_reads_moves_the_row_out_of_the_comparison()
    {
        var view = ViewAgreement.Tcp([Request(0)], [Request(200, retransmits: 1)], [Request(199)]);

        Assert.Equal((0, 1), (view.Compared, view.Moved));
        Assert.True(view.Holds);
        Assert.Empty(view.Differences);
    }

    [Fact]
    public void Time_left_only_runs_down_between_the_reads_and_any_growth_is_a_timer_armed_again()
    {
        var still = ViewAgreement.Tcp([Request(3)], [Request(3)], [Request(3)]);
        Assert.Equal((1, 0), (still.Compared, still.Moved));

        var grew = ViewAgreement.Tcp([Request(0)], [Request(0)], [Request(1)]);
        Assert.Equal((0, 1), (grew.Compared, grew.Moved));
    }

    [Fact]
    public void A_row_only_proc_shows_is_named_missing()
    {
        var view = ViewAgreement.Tcp([], [Request(50)], []);

        Assert.False(view.Holds);
        Assert.Equal($"only in /proc: tcp {Listener} → {Client} SYN-RECV", Assert.Single(view.Missing));
    }
}
