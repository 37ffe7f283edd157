using static NetIpc.Experiments;

namespace NetIpc.Tests.Experiments;

public class SynQueueTests
{
    [ExperimentTheory("syn-queue")]
    [InlineData(0)]
    [InlineData(4)]
    public void Without_syncookies_the_syn_queue_holds_backlog_plus_one_and_drops_the_rest(int backlog)
    {
        string? hostSetting = NetIpc.Proc.Sysctl.Read("net.ipv4.tcp_syncookies");
        var result = SynQueue(backlog, syns: 12, syncookies: false, TimeSpan.FromSeconds(1.5));
        Assert.Equal(backlog + 1, result.PeakSynRecv);
        Assert.Equal(12 - (backlog + 1), result.RequestQueueFullDrops);
        Assert.Equal(0, result.SyncookiesSent);
        Assert.True(result.Samples.Max(s => s.Retransmits) >= 1, "the SYN-ACK was resent after about a second");
        Assert.Equal(hostSetting, NetIpc.Proc.Sysctl.Read("net.ipv4.tcp_syncookies"));
    }

    [ExperimentFact("syn-queue")]
    public void With_syncookies_the_overflow_is_answered_with_cookies_not_dropped()
    {
        var result = SynQueue(backlog: 4, syns: 12, syncookies: true, TimeSpan.FromSeconds(0.5));
        Assert.Equal(5, result.PeakSynRecv);
        Assert.Equal(7, result.SyncookiesSent);
        Assert.Equal(0, result.RequestQueueFullDrops);
    }
}
