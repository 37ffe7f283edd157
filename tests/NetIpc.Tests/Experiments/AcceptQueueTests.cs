using static NetIpc.Experiments;

namespace NetIpc.Tests.Experiments;

public class AcceptQueueTests
{
    [LinuxTheory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(5)]
    public void Accept_queue_peaks_at_backlog_plus_one_and_the_rest_stay_in_syn_sent(int backlog)
    {
        var result = AcceptQueue(backlog, clients: backlog + 4);
        Assert.Equal(backlog + 1, result.PeakQueued);
        Assert.Equal(backlog + 1, result.Established);
        Assert.Equal(3, result.StuckInSynSent);
        Assert.True(result.ListenOverflows >= 3, $"ListenOverflows moved by {result.ListenOverflows}");
        Assert.Equal(Enumerable.Range(1, backlog + 4).Select(n => Math.Min(n, backlog + 1)), result.Samples.Select(s => s.Queued));
    }

    [ExperimentFact("accept-queue-somaxconn")]
    public void Somaxconn_caps_the_backlog_inside_a_namespace_of_its_own()
    {
        string? hostSomaxconn = NetIpc.Proc.Sysctl.Read("net.core.somaxconn");
        var result = AcceptQueue(backlog: 8, clients: 7, somaxconn: 2);
        Assert.Equal(2, result.EffectiveBacklog);
        Assert.Equal(3, result.PeakQueued);
        Assert.Equal(hostSomaxconn, NetIpc.Proc.Sysctl.Read("net.core.somaxconn")); // the host's setting is untouched
    }

    [LinuxFact]
    public void Two_runs_at_once_do_not_collide()
    {
        var runs = new[] { 1, 2 }.AsParallel().Select(b => AcceptQueue(b, b + 3)).ToList();
        Assert.Equal([2, 3], runs.Select(r => r.PeakQueued).Order());
    }
}
