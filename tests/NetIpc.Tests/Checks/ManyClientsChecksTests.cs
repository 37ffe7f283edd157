using NetIpc.Harness;
using NetIpc.Servers;

namespace NetIpc.Tests.Checks;

/// <summary>Chapter 14's checks on the recording, and each failing alone when one reading of one point changes.</summary>
public class ManyClientsChecksTests
{
    private static ManyClientsResult Recorded => Recordings.Load<ManyClientsResult>("experiments/many-clients.json").Result;

    private static ManyClientsResult WithRun(ManyClientsResult r, ServerDesign design, int clients, Func<ManyClientsRun, ManyClientsRun> change) =>
        r with { Points = [.. r.Points.Select(p => p.Design == design && p.Clients == clients ? p with { Runs = [.. p.Runs.Select(change)] } : p)] };

    private static void FailsOn(IReadOnlyList<ProofCheck> checks, string claimStart)
    {
        var failed = checks.Where(c => !c.Holds).ToList();
        Assert.NotEmpty(failed);
        Assert.All(failed, c => Assert.StartsWith(claimStart, c.Claim));
    }

    [Fact]
    public void The_recording_passes_every_check()
    {
        var r = Recorded;
        IReadOnlyList<ProofCheck> all = [.. r.SocketChecks(), .. r.ThreadChecks(), .. r.EpollChecks(), .. r.WaitingChecks(), .. r.KernelStackChecks()];
        Assert.All(all, c => Assert.True(c.Holds, $"{c.Claim}: {c.Evidence}"));
    }

    [Fact]
    public void Each_check_fails_on_its_own_reading()
    {
        var r = Recorded;
        int top = r.TopClients, fewest = r.ClientCounts[0];
        FailsOn(WithRun(r, ServerDesign.EventLoop, top, x => x with { SocketDescriptorsAtPeak = x.SocketDescriptorsAtPeak - 1, SocketDescriptorsAfter = x.SocketDescriptorsBefore }).SocketChecks(),
            "at the peak the process holds two sockets per client and the listener");
        FailsOn(WithRun(r, ServerDesign.EventLoop, top, x => x with { ClientSocketsInEpoll = top - 1 }).EpollChecks(), "every (async) client socket is registered too");
        FailsOn(WithRun(r, ServerDesign.EventLoop, top, x => x with { EpollInstancesWithSockets = x.SocketEngineThreads + 1 }).EpollChecks(),
            "the sockets sit in the epoll instances of the runtime's socket engines");
        FailsOn(WithRun(r, ServerDesign.ThreadPerClient, top, x => x with
            {
                ThreadWaitsAtPeak = [new ThreadWait(ManyClientsResult.ServerThreadName, "sk_wait_data", top - 1), new ThreadWait(ManyClientsResult.ServerThreadName, "0", 1)],
            }).ThreadChecks(), "at the peak every per-client thread is asleep in the kernel");
        FailsOn(WithRun(r, ServerDesign.EventLoop, top, x => x with { P99Microseconds = 1 }).WaitingChecks(), "with more clients at once, the slowest round trips take longer");
        FailsOn(WithRun(r, ServerDesign.ThreadPerClient, top, x => x with { KernelStackKbAtPeak = x.KernelStackKbBefore }).KernelStackChecks(),
            "each thread of thread per client adds a kernel stack");
        Assert.True(fewest < top);
    }

    [Fact]
    public void Too_few_clients_leave_the_kernel_stack_unchecked()
    {
        var r = Recorded;
        var small = r with { TopClients = ManyClientsChecks.ClientsToShowTheCost - 1 };
        Assert.Empty(small.KernelStackChecks());
    }
}
