using NetIpc.Harness;
using NetIpc.Notebooks.Tables;
using NetIpc.Servers;

namespace NetIpc.Notebooks.Sentences;

public static partial class Claims
{
    /// <summary>14: one LISTEN socket, and per accept() a new ESTABLISHED socket on the same local port, with a descriptor and an inode of its own.</summary>
    public static string AcceptMakesANewSocket(SharedPortResult r)
    {
        r.Checks().RequireAll();
        return $"✓ one LISTEN socket on port {r.Port} (fd {r.ListenerFd}, inode {r.ListenerInode}) and {r.Accepted.Count} ESTAB sockets with the same local port, one per accept(). " +
               $"Their fds ({string.Join(", ", r.Accepted.Select(a => a.Fd))}) and inodes ({string.Join(", ", r.Accepted.Select(a => a.Inode))}) are all different. " +
               $"What tells them apart is the remote end: ports {string.Join(", ", r.Accepted.Select(a => a.ClientPort))}";
    }

    /// <summary>14: every round trip came back as sent, and each run closed every socket it opened.</summary>
    public static string EveryReplyAndNoSocketLeft(ManyClientsResult r)
    {
        r.SocketChecks().RequireAll();
        long trips = r.Points.Sum(p => p.Runs.Sum(x => (long)x.RoundTrips));
        return $"✓ {N(trips)} round trips in {r.Seconds:0} s, every reply equal to its request. " +
               $"At each peak the process held 2 × clients + 1 more sockets (up to {N(2 * r.TopClients + 1)}); after each run, none of them, nor a TIME_WAIT line on its port";
    }

    /// <summary>14: thread per client starts exactly one thread per client; the event loop none, and its thread count does not follow the clients.</summary>
    public static string OneThreadPerClient(ManyClientsResult r)
    {
        r.ThreadChecks().RequireAll();
        var loop = r.At(ServerDesign.EventLoop, r.TopClients);
        var threads = r.At(ServerDesign.ThreadPerClient, r.TopClients);
        var waits = r.ServerThreadWaits();
        string asleep = waits.Any(w => w.Asleep())
            ? $", all asleep in the kernel (wchan: {string.Join(", ", waits.Select(w => $"{N(w.Count)} × {w.WaitChannel}"))})"
            : " (where they sleep, this kernel does not show: wchan reads 0)";
        bool flat = r.TopClients >= ManyClientsChecks.ClientsToShowTheCost;
        return $"✓ at the peak, thread per client had exactly one '{ManyClientsResult.ServerThreadName}' thread per client at every size ({string.Join(", ", r.ClientCounts.Select(n => N(n)))}) in every run. " +
               $"At {N(r.TopClients)} clients the process had {Signed(threads.ThreadsAdded)} threads against its count before{asleep}. The event loop started none, and at " +
               $"{N(r.TopClients)} clients the process had {Signed(loop.ThreadsAdded)} threads against its count before" + (flat ? "" : " (too few clients to show the count staying flat)");
    }

    /// <summary>
    /// 14: what .NET's async sockets use underneath on Linux — every socket registered in an epoll instance of the
    /// runtime's SocketAsyncEngine, one instance per ".NET Sockets" thread — and that blocking sockets never are.
    /// </summary>
    public static string AsyncSocketsUseEpoll(ManyClientsResult r)
    {
        r.EpollChecks().RequireAll();
        var top = r.At(ServerDesign.EventLoop, r.TopClients).Runs[0];
        var engine = r.EngineThreadWaits();
        string where = engine.Any(w => w.Asleep())
            ? $", asleep in {string.Join(", ", engine.Select(w => w.WaitChannel).Distinct())}"
            : " (where it sleeps, this kernel does not show: wchan reads 0)";
        return $"✓ at {N(r.TopClients)} clients, all {N(r.TopClients)} sockets of the event-loop server and all {N(r.TopClients)} clients' were registered in " +
               $"{top.EpollInstancesWithSockets} epoll instance{(top.EpollInstancesWithSockets == 1 ? "" : "s")} (/proc/self/fdinfo of its anon_inode:[eventpoll] descriptor lists each one). " +
               $"The server's sockets were registered with events {string.Join("; ", top.ServerSocketEpollEvents.Select(e => $"0x{e:x} = {Proc.EpollTarget.Describe(e)}"))} — edge-triggered, for reading and writing. " +
               $"They were served by {top.SocketEngineThreads} '.NET Sockets' thread{(top.SocketEngineThreads == 1 ? "" : "s")}{where}, on this {r.ProcessorCount}-core machine, " +
               $"with {top.PoolWorkersAtPeak} thread-pool workers running the continuations. Thread per client's blocking sockets: none registered, at every size";
    }

    /// <summary>14: waiting grows with the clients: every design's 99th percentile is longer with the most clients than with the fewest.</summary>
    public static string WaitingGrowsWithClients(ManyClientsResult r)
    {
        r.WaitingChecks().RequireAll();
        int fewest = r.ClientCounts[0], most = r.TopClients;
        var parts = new[] { ServerDesign.ThreadPerClient, ServerDesign.EventLoop }.Select(design =>
        {
            var (low, high) = (r.At(design, fewest), r.At(design, most));
            return $"{design.Name()}: p99 {low.P99Microseconds:N0} → {high.P99Microseconds:N0} µs (×{high.P99Microseconds / low.P99Microseconds:N0}), " +
                   $"median {low.MedianMicroseconds:N0} → {high.MedianMicroseconds:N0} µs";
        });
        return $"✓ from {N(fewest)} to {N(most)} clients — {string.Join("; ", parts)}";
    }

    /// <summary>14: a thread costs a kernel stack too, outside VmRSS; KernelStack (machine-wide) shows it where the clients outnumber the machine's other thread churn.</summary>
    public static string ThreadsCostKernelStacks(ManyClientsResult r)
    {
        r.KernelStackChecks().RequireAll();
        var threads = r.At(ServerDesign.ThreadPerClient, r.TopClients);
        if (r.TopClients < ManyClientsChecks.ClientsToShowTheCost)
        {
            return $"not checked: at {N(r.TopClients)} clients KernelStack grew by {threads.KernelStackKbPerConnection:0.0} kB per connection with threads — too few for the machine's other threads to be ignored";
        }
        return $"✓ with a thread per client, KernelStack grew by {threads.KernelStackKbPerConnection:0.0} kB per connection at {N(r.TopClients)} clients — " +
               "one kernel stack per thread, on top of the VmRSS growth";
    }
}
