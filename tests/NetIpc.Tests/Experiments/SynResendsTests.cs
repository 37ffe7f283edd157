using NetIpc.Proc;
using NetIpc.Tcp;
using static NetIpc.Experiments;

namespace NetIpc.Tests.Experiments;

/// <summary>The SYN_SENT retransmit rule as tcp_retransmit_timer and tcp_write_timeout write it, and a live client held in SYN_SENT.</summary>
public class SynResendsTests
{
    private static double[] Seconds(IEnumerable<SynSend> sends) => sends.Skip(1).Select(s => s.At.TotalSeconds).ToArray();

    [Fact]
    public void Since_6_5_the_first_timeouts_stay_at_one_second_and_the_linear_ones_add_to_the_retries()
    {
        var (sends, givesUp) = SynRetransmitSchedule.Expected(linearTimeouts: 4, synRetries: 6);
        // Five gaps of 1 s: the timeout doubles only once total_rto exceeds 4.
        Assert.Equal([1, 2, 3, 4, 5, 7, 11, 19, 35, 67], Seconds(sends));
        Assert.Equal(TimeSpan.FromSeconds(131), givesUp);
        Assert.Equal(TimeSpan.FromSeconds(1), sends[4].RtoAfter);
        Assert.Equal(TimeSpan.FromSeconds(2), sends[5].RtoAfter);
    }

    [Fact]
    public void Before_6_5_every_timeout_doubles()
    {
        var (sends, givesUp) = SynRetransmitSchedule.Expected(linearTimeouts: null, synRetries: 6);
        Assert.Equal([1, 3, 7, 15, 31, 63], Seconds(sends));
        Assert.Equal(TimeSpan.FromSeconds(127), givesUp);
        Assert.Equal(Seconds(sends), Seconds(SynRetransmitSchedule.Expected(0, 6).Sends));
    }

    [Fact]
    public void The_timeout_stops_growing_at_tcp_rto_max()
    {
        var (sends, _) = SynRetransmitSchedule.Expected(linearTimeouts: 0, synRetries: 10);
        Assert.Equal(TimeSpan.FromSeconds(120), sends[^1].RtoAfter);
        Assert.Equal(TimeSpan.FromSeconds(120), sends[^1].At - sends[^2].At);
    }

    [LinuxFact]
    public void A_client_whose_syn_meets_a_full_queue_resends_it_on_this_kernels_schedule()
    {
        var result = SynResends(TimeSpan.FromSeconds(3.5));
        Assert.Equal(1, result.QueuedAtListener);
        Assert.True(result.StillSynSent);
        Assert.Equal(Sysctl.ReadInt("net.ipv4.tcp_syn_linear_timeouts"), result.LinearTimeouts);
        var due = SynRetransmitSchedule.Expected(result.LinearTimeouts, result.SynRetries).Sends.Skip(1).Where(s => s.At.TotalSeconds <= 3.1).ToList();
        Assert.Equal(due.Select(s => s.Number), result.Resends.Select(r => r.Number));
        foreach (var (rule, seen) in due.Zip(result.Resends))
        {
            Assert.Equal(rule.RtoAfter.TotalMilliseconds, seen.RtoAfterMs, 1.0);
            Assert.True(seen.AtMs >= rule.At.TotalMilliseconds - 5, $"resend {seen.Number} at {seen.AtMs:0} ms, due at {rule.At.TotalMilliseconds} ms");
        }
    }
}
