using NetIpc.Isolation;
using NetIpc.Proc;
using static NetIpc.Experiments;

namespace NetIpc.Tests.Experiments;

/// <summary>Runs alone, so the process's descriptor table holds only what the experiments leave behind.</summary>
[CollectionDefinition(nameof(CleanupTests), DisableParallelization = true)]
public sealed class CleanupCollection;

[Collection(nameof(CleanupTests))]
public class CleanupTests
{
    private static int SocketDescriptors() => ProcessFds.OfSelf().Count(f => f.SocketInode is not null);

    private static int NamespaceThreads() =>
        Directory.EnumerateDirectories("/proc/self/task").Count(t => ThreadName(t).StartsWith("network namesp", StringComparison.Ordinal));

    /// <summary>A thread may end between listing /proc/self/task and reading its name: then it is no thread of ours.</summary>
    private static string ThreadName(string task)
    {
        try
        {
            return File.ReadAllText(Path.Combine(task, "comm"));
        }
        catch (Exception e) when (e is DirectoryNotFoundException or FileNotFoundException or IOException)
        {
            return "";
        }
    }

    [LinuxFact]
    public void Experiments_leave_no_socket_open()
    {
        // A socket another test dropped without closing would be finalized at a random moment and move the count: collect it first.
        GC.Collect();
        GC.WaitForPendingFinalizers();
        int before = SocketDescriptors();
        Lifecycle(TimeSpan.FromMilliseconds(10), preferredPort: 0);
        ReusePort(3, 30);
        AcceptQueue(2, 5);
        Buffers(duration: TimeSpan.FromSeconds(0.5));
        Buffers(nonBlocking: true, duration: TimeSpan.FromSeconds(0.3));
        Close();
        Assert.Equal(before, SocketDescriptors());
    }

    [LinuxFact]
    public void Buffers_failing_after_the_sender_is_open_closes_it()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        int before = SocketDescriptors();
        // SO_SNDBUF's setter refuses a negative size: a failure after the listener and the sender exist, before the pair connects.
        Assert.Throws<ArgumentOutOfRangeException>(() => Buffers(sendBuffer: -1, duration: TimeSpan.FromSeconds(0.1)));
        Assert.Equal(before, SocketDescriptors());
    }

    /// <summary>
    /// What looked like about 0.3 descriptors per LossyPath run is the runtime loading assemblies on first use: it
    /// keeps two descriptors open on each framework .dll it loads, once per process, and a rarely taken path (a
    /// retransmission's timing, an exception's text) loads one a few runs in. In 40 runs in one process: +37 on the
    /// first (assemblies, the socket engine's epoll, a pipe, /dev/urandom), then +4, +2 and +2 at runs 3, 6 and 31,
    /// every one a .dll; no socket, pipe or other descriptor ever appeared after the first run.
    /// </summary>
    [InProcessFact(Capability.NetworkNamespace, Capability.LoopbackUp, Capability.VethPair, Capability.PacketSocket)]
    public void Repeated_lossy_path_runs_add_no_descriptor_but_an_assembly_loaded_once()
    {
        const int runs = 5;
        LossyPath(lossPercent: 10, datagrams: 50, tcpBytes: 20_000); // the first run's one-time descriptors
        GC.Collect();
        GC.WaitForPendingFinalizers();
        var before = ProcessFds.OfSelf().Select(f => (f.Fd, f.Target)).ToHashSet();
        for (int i = 0; i < runs; i++)
        {
            LossyPath(lossPercent: 10, datagrams: 50, tcpBytes: 20_000, seed: i + 2);
        }
        GC.Collect();
        GC.WaitForPendingFinalizers();
        var after = ProcessFds.OfSelf();
        var added = after.Where(f => !before.Contains((f.Fd, f.Target))).ToList();
        string list = string.Join(", ", added.Select(f => $"{f.Fd} → {f.Target}"));
        Assert.All(added, f => Assert.EndsWith(".dll", f.Target));
        // Loaded once means at most the runtime's two descriptors on a file, however many runs went by.
        Assert.All(added, f => Assert.InRange(after.Count(g => g.Target == f.Target), 1, 2));
        Assert.True(added.Count <= 8, $"{added.Count} descriptors added by {runs} runs (at most 8, four assemblies): {list}");
    }

    [InProcessFact(Capability.NetworkNamespace, Capability.LoopbackUp, Capability.VethPair, Capability.RawSocket, Capability.PacketSocket, Capability.NetSysctl)]
    public void Namespace_experiments_leave_no_socket_and_no_namespace_thread()
    {
        // A socket another test dropped without closing would be finalized at a random moment and move the count: collect it first.
        GC.Collect();
        GC.WaitForPendingFinalizers();
        int before = SocketDescriptors();
        AcceptQueue(4, 6, somaxconn: 2);
        SynQueue(2, 5, syncookies: false, TimeSpan.FromSeconds(0.3));
        NetIpc.Packets.SkBuffProofs.SendSyn();
        TwoHosts(roundTrips: 5);
        LossyPath(lossPercent: 10, datagrams: 50, tcpBytes: 20_000);
        AcceptOverflow(backlog: 1, abortOnOverflow: true);
        AbortiveClose();
        Assert.Equal(before, SocketDescriptors());
        Assert.DoesNotContain("veth-", File.ReadAllText("/proc/self/net/dev")); // the cable went with its namespaces
        // Join() returns when the managed thread is done; the OS thread leaves /proc a moment later.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(5);
        while (NamespaceThreads() > 0 && DateTime.UtcNow < deadline)
        {
            Thread.Sleep(20);
        }
        Assert.Equal(0, NamespaceThreads());
    }
}
