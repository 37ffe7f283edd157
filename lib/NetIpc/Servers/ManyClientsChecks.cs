using NetIpc.Harness;

namespace NetIpc.Servers;

/// <summary>Chapter 14's claims about thread per client against the event loop.</summary>
public static class ManyClientsChecks
{
    /// <summary>With fewer clients than this the machine's other threads and memory churn hide what the clients cost.</summary>
    public const int ClientsToShowTheCost = 100;

    /// <summary>A wchan that names a kernel function: "0" is a thread running, or a kernel that does not say.</summary>
    public static bool Asleep(this ThreadWait w) => w.WaitChannel.Length > 0 && w.WaitChannel != "0";

    /// <summary>The per-client threads at the peak of thread per client's first run with the most clients.</summary>
    public static IReadOnlyList<ThreadWait> ServerThreadWaits(this ManyClientsResult r) =>
        [.. r.At(ServerDesign.ThreadPerClient, r.TopClients).Runs[0].ThreadWaitsAtPeak.Where(w => w.Name == ManyClientsResult.ServerThreadName)];

    /// <summary>The '.NET Sockets' threads at the peak of the event loop's first run with the most clients.</summary>
    public static IReadOnlyList<ThreadWait> EngineThreadWaits(this ManyClientsResult r) =>
        [.. r.At(ServerDesign.EventLoop, r.TopClients).Runs[0].ThreadWaitsAtPeak.Where(w => w.Name == ManyClientsResult.SocketEngineThreadName)];

    // The name tables and charts give a design (ManyClientsTables.Name), so evidence reads like the chapter.
    private static string Named(ServerDesign design) =>
        design == ServerDesign.ThreadPerClient ? "thread per client" : "event loop (async, epoll)";

    private static string Where(ManyClientsPoint p) => $"{Named(p.Design)}, {p.Clients} clients";

    /// <summary>Every round trip came back as sent, and each run closed every socket it opened.</summary>
    public static IReadOnlyList<ProofCheck> SocketChecks(this ManyClientsResult r)
    {
        List<ProofCheck> checks = [];
        foreach (var p in r.Points)
        {
            checks.Add(new("every reply is the request, byte for byte", p.EchoErrors == 0, $"{Where(p)}: {p.EchoErrors} wrong replies"));
            foreach (var run in p.Runs)
            {
                checks.Add(new("at the peak the process holds two sockets per client and the listener",
                    run.SocketDescriptorsAtPeak - run.SocketDescriptorsBefore == 2 * p.Clients + 1,
                    $"{Where(p)}: {run.SocketDescriptorsBefore} socket descriptors before, {run.SocketDescriptorsAtPeak} at the peak"));
                checks.Add(new("each run closes every socket it opened", run.SocketDescriptorsAfter == run.SocketDescriptorsBefore,
                    $"{Where(p)}: {run.SocketDescriptorsBefore} socket descriptors before, {run.SocketDescriptorsAfter} after"));
                checks.Add(new("the clients' abortive close leaves no TIME_WAIT behind", run.TimeWaitLeft == 0,
                    $"{Where(p)}: {run.TimeWaitLeft} TIME_WAIT lines on the run's port after it"));
            }
        }
        return checks;
    }

    /// <summary>Thread per client starts exactly one thread per client; the event loop none, and its thread count does not follow the clients.</summary>
    public static IReadOnlyList<ProofCheck> ThreadChecks(this ManyClientsResult r)
    {
        List<ProofCheck> checks = [];
        foreach (var p in r.Points)
        {
            int expected = p.Design == ServerDesign.ThreadPerClient ? p.Clients : 0;
            checks.Add(new(p.Design == ServerDesign.ThreadPerClient ? "thread per client has one thread per connected client" : "the event loop starts no thread of its own",
                p.MinServerThreads == expected && p.MaxServerThreads == expected,
                $"{Where(p)}: {p.MinServerThreads}–{p.MaxServerThreads} threads named '{ManyClientsResult.ServerThreadName}' at the peak"));
        }
        var waits = r.ServerThreadWaits();
        if (waits.Any(w => w.Asleep()))
        {
            checks.Add(new("at the peak every per-client thread is asleep in the kernel, waiting for its client", waits.All(w => w.Asleep()),
                string.Join(", ", waits.Select(w => $"{w.Count} in '{w.WaitChannel}'"))));
        }
        if (r.TopClients >= ClientsToShowTheCost)
        {
            var loop = r.At(ServerDesign.EventLoop, r.TopClients);
            checks.Add(new("with the event loop the process's thread count does not follow the clients (fewer than one thread per ten clients)",
                loop.ThreadsAdded * 10 < r.TopClients, $"{r.TopClients} clients, {loop.ThreadsAdded} threads added"));
        }
        return checks;
    }

    /// <summary>
    /// What .NET's async sockets use underneath on Linux — every socket registered in an epoll instance of the
    /// runtime's SocketAsyncEngine, one instance per ".NET Sockets" thread — and that blocking sockets never are.
    /// </summary>
    public static IReadOnlyList<ProofCheck> EpollChecks(this ManyClientsResult r)
    {
        List<ProofCheck> checks = [];
        foreach (var p in r.Points)
        {
            foreach (var run in p.Runs)
            {
                int serverExpected = p.Design == ServerDesign.EventLoop ? p.Clients : 0;
                checks.Add(new(p.Design == ServerDesign.EventLoop ? "every socket of the event-loop server is registered in an epoll instance" : "the blocking sockets of thread per client are in no epoll instance",
                    run.ServerSocketsInEpoll == serverExpected, $"{Where(p)}: {run.ServerSocketsInEpoll} of the server's sockets registered"));
                checks.Add(new("every (async) client socket is registered too", run.ClientSocketsInEpoll == p.Clients,
                    $"{p.Clients} clients, {run.ClientSocketsInEpoll} registered"));
                if (p.Design == ServerDesign.EventLoop)
                {
                    const uint wanted = Proc.EpollTarget.EpollIn | Proc.EpollTarget.EpollOut | Proc.EpollTarget.EpollEt;
                    checks.Add(new("each socket is registered edge-triggered, for reading and writing (EPOLLET | EPOLLIN | EPOLLOUT)",
                        run.ServerSocketEpollEvents.Count > 0 && run.ServerSocketEpollEvents.All(e => (e & wanted) == wanted),
                        $"{p.Clients} clients: event masks {string.Join(", ", run.ServerSocketEpollEvents.Select(e => $"0x{e:x}"))}"));
                }
                checks.Add(new("the sockets sit in the epoll instances of the runtime's socket engines, one per '.NET Sockets' thread",
                    run.SocketEngineThreads >= 1 && run.EpollInstancesWithSockets >= 1 && run.EpollInstancesWithSockets <= run.SocketEngineThreads,
                    $"{run.EpollInstancesWithSockets} epoll instances hold them, {run.SocketEngineThreads} '.NET Sockets' threads"));
            }
        }
        var engine = r.EngineThreadWaits();
        if (engine.Any(w => w.Asleep()))
        {
            checks.Add(new("the '.NET Sockets' thread waits in epoll_wait", engine.All(w => w.WaitChannel.Contains("epoll", StringComparison.Ordinal)),
                string.Join(", ", engine.Select(w => $"{w.Count} in '{w.WaitChannel}'"))));
        }
        return checks;
    }

    /// <summary>Waiting grows with the clients: every design's 99th percentile is longer with the most clients than with the fewest.</summary>
    public static IReadOnlyList<ProofCheck> WaitingChecks(this ManyClientsResult r)
    {
        int fewest = r.ClientCounts[0], most = r.TopClients;
        return
        [
            .. new[] { ServerDesign.ThreadPerClient, ServerDesign.EventLoop }.Select(design =>
            {
                var (low, high) = (r.At(design, fewest), r.At(design, most));
                return new ProofCheck("with more clients at once, the slowest round trips take longer", most > fewest && high.P99Microseconds > low.P99Microseconds,
                    $"{Named(design)}: p99 {low.P99Microseconds:0} µs at {fewest} clients, {high.P99Microseconds:0} µs at {most}");
            }),
        ];
    }

    /// <summary>
    /// A thread costs a kernel stack too, outside VmRSS; KernelStack (machine-wide) shows it where the clients outnumber
    /// the machine's other thread churn — with fewer clients there is nothing to check.
    /// </summary>
    public static IReadOnlyList<ProofCheck> KernelStackChecks(this ManyClientsResult r)
    {
        if (r.TopClients < ClientsToShowTheCost)
        {
            return [];
        }
        var threads = r.At(ServerDesign.ThreadPerClient, r.TopClients);
        return
        [
            new("each thread of thread per client adds a kernel stack (at least 8 kB), memory VmRSS does not count", threads.KernelStackKbPerConnection >= 8,
                $"KernelStack grew by {threads.KernelStackKbPerConnection:0.0} kB per connection at {r.TopClients} clients"),
        ];
    }
}
