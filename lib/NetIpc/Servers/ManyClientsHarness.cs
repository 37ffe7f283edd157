using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using NetIpc.Proc;
using NetIpc.Sockets;

namespace NetIpc.Servers;

/// <summary>
/// One run of one server design with N clients, measured: the process and the machine read before the server
/// exists, at the peak (every client connected, every round trip done, every connection still open) and after all
/// is closed. <see cref="ManyClientsExperiment.Run"/> repeats it for each design and number of clients.
/// </summary>
internal static class ManyClientsHarness
{
    /// <summary>A single run that takes longer than this has gone wrong: it stops and says so.</summary>
    private static readonly TimeSpan RunLimit = TimeSpan.FromSeconds(20);

    public static ManyClientsRun RunOnce(ServerDesign design, int n, int trips, int messageSize)
    {
        var times = new double[n * trips];
        var clients = new List<Socket>(n);
        var errors = new int[1];
        Settle();
        int socketsBefore = SocketDescriptors();
        long rssBefore = ProcessStatus.ResidentKilobytes();
        long stackBefore = ProcessStatus.KernelStackKilobytes();
        var net = ProcNet.OfCallingThreadsNamespace;
        long tcpBefore = net.SockStat().MemoryPages;
        int threadsBefore = ProcessThreads.OfSelf().Count;

        var deadline = Stopwatch.StartNew();
        using var cancel = new CancellationTokenSource(RunLimit);
        var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Unspecified);
        IEchoServer? server = null;
        try
        {
            listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            listener.Listen(n);
            var endpoint = (IPEndPoint)listener.LocalEndPoint!;
            // An earlier connection's TIME_WAIT may share the port the kernel just picked (a client's ephemeral port,
            // or an earlier server's): only the TIME_WAIT lines that appear during the run are the run's own.
            var earlierTimeWait = TimeWaitOn(net, endpoint.Port);
            server = design == ServerDesign.ThreadPerClient
                ? new ThreadPerClientServer(listener, n, messageSize)
                : new EventLoopServer(listener, n, messageSize);

            // Every socket is created here, on the calling thread, the one the listener was made on: a socket belongs
            // to the network namespace of the thread that creates it, and a thread-pool thread may sit in another (one
            // started by a thread that had moved into a namespace of its own inherits it). Then they connect one after
            // the other, each waited for; the listener's backlog holds all of them if the server lags.
            for (int i = 0; i < n; i++)
            {
                clients.Add(new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Unspecified) { NoDelay = true });
            }
            Wait(ConnectAll(clients, endpoint, cancel.Token), cancel.Token, design, n, "connecting the clients");
            while (server.Accepted < n)
            {
                if (server.Failure is string failure)
                {
                    throw new InvalidOperationException($"{design} with {n} clients: {failure}");
                }
                if (cancel.IsCancellationRequested)
                {
                    throw new TimeoutException($"{design} with {n} clients: only {server.Accepted} accepted after {deadline.Elapsed.TotalSeconds:0} s");
                }
                Thread.Sleep(1);
            }

            var go = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var conversations = clients.Select((c, i) => Converse(c, i, trips, messageSize, times, go.Task, errors)).ToArray();
            var roundTrips = Stopwatch.StartNew();
            go.SetResult();
            Wait(Task.WhenAll(conversations), cancel.Token, design, n, "the round trips");
            double seconds = roundTrips.Elapsed.TotalSeconds;

            // The peak: every connection open and idle, garbage collected as it was before.
            Collect();
            long rssPeak = ProcessStatus.ResidentKilobytes();
            long stackPeak = ProcessStatus.KernelStackKilobytes();
            long tcpPeak = net.SockStat().MemoryPages;
            var threads = ProcessThreads.OfSelf();
            var serverFds = server.ConnectionFds().ToHashSet();
            var clientFds = clients.Select(Descriptor.Of).ToHashSet();
            var epolls = EpollInstances.OfSelf();
            var registered = epolls.SelectMany(e => e.Targets).ToLookup(t => t.Fd, t => t.Events);
            int socketsAtPeak = SocketDescriptors();

            var run = new ManyClientsRun(
                RoundTrips: times.Length,
                MedianMicroseconds: Stats.Median(times),
                P99Microseconds: Stats.Percentile(times, 0.99),
                RoundTripsPerSecond: times.Length / seconds,
                EchoErrors: errors[0],
                ResidentKbBefore: rssBefore,
                ResidentKbAtPeak: rssPeak,
                KernelStackKbBefore: stackBefore,
                KernelStackKbAtPeak: stackPeak,
                TcpPagesBefore: tcpBefore,
                TcpPagesAtPeak: tcpPeak,
                ThreadsBefore: threadsBefore,
                ThreadsAtPeak: threads.Count,
                ServerThreadsAtPeak: threads.Count(t => t.Name == ManyClientsExperiment.ServerThreadName),
                PoolWorkersAtPeak: threads.Count(t => t.Name == ManyClientsExperiment.PoolWorkerThreadName),
                SocketEngineThreads: threads.Count(t => t.Name == ManyClientsExperiment.SocketEngineThreadName),
                EpollInstancesWithSockets: epolls.Count(e => e.Targets.Any(t => serverFds.Contains(t.Fd) || clientFds.Contains(t.Fd))),
                ServerSocketsInEpoll: serverFds.Count(registered.Contains),
                ClientSocketsInEpoll: clientFds.Count(registered.Contains),
                ServerSocketEpollEvents: [.. serverFds.SelectMany(fd => registered[fd]).Distinct().Order()],
                ThreadWaitsAtPeak: [.. threads.Where(t => t.Name is ManyClientsExperiment.ServerThreadName or ManyClientsExperiment.SocketEngineThreadName)
                    .GroupBy(t => (t.Name, t.WaitChannel)).Select(g => new ThreadWait(g.Key.Name, g.Key.WaitChannel, g.Count()))
                    .OrderBy(w => w.Name, StringComparer.Ordinal).ThenByDescending(w => w.Count)],
                SocketDescriptorsBefore: socketsBefore,
                SocketDescriptorsAtPeak: socketsAtPeak,
                SocketDescriptorsAfter: -1,
                TimeWaitLeft: -1);

            CloseAll(clients, listener, server, design, n);
            server = null;
            Settle();
            int timeWait = TimeWaitOn(net, endpoint.Port).Except(earlierTimeWait).Count();
            return run with { SocketDescriptorsAfter = SocketDescriptors(), TimeWaitLeft = timeWait };
        }
        finally
        {
            if (server is not null || clients.Count > 0)
            {
                // Only after a failure: the normal path has closed everything already.
                CloseAll(clients, listener, server, design, n, throwOnTimeout: false);
            }
            listener.Dispose();
        }
    }

    private static HashSet<(IPEndPoint Local, IPEndPoint Remote)> TimeWaitOn(ProcNet net, int port) =>
        [.. net.Tcp().Where(e => e.State == KernelTcpState.TimeWait && (e.Local.Port == port || e.Remote.Port == port)).Select(e => (e.Local, e.Remote))];

    /// <summary>
    /// The clients leave with an abortive close (SO_LINGER 0, chapter 09): an RST ends each server-side handler,
    /// and a thousand connections leave no TIME_WAIT behind. Then the server's handlers are waited for.
    /// </summary>
    private static void CloseAll(List<Socket> clients, Socket listener, IEchoServer? server, ServerDesign design, int n, bool throwOnTimeout = true)
    {
        foreach (var client in clients)
        {
            client.Abort();
        }
        clients.Clear();
        listener.Dispose();
        if (server is not null && !server.Stop(TimeSpan.FromSeconds(10)) && throwOnTimeout)
        {
            throw new TimeoutException($"{design} with {n} clients: a server handler was still running 10 s after its client closed");
        }
    }

    private static void Wait(Task task, CancellationToken cancel, ServerDesign design, int n, string what)
    {
        try
        {
            task.Wait(cancel);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"{design} with {n} clients: {what} took longer than {RunLimit.TotalSeconds:0} s");
        }
        catch (AggregateException e) when (e.InnerExceptions.Count > 0)
        {
            var inner = e.Flatten().InnerExceptions[0];
            throw inner is OperationCanceledException
                ? new TimeoutException($"{design} with {n} clients: {what} took longer than {RunLimit.TotalSeconds:0} s")
                : new InvalidOperationException($"{design} with {n} clients, {what}: {inner.GetType().Name}: {inner.Message}", inner);
        }
    }

    private static async Task ConnectAll(List<Socket> clients, IPEndPoint endpoint, CancellationToken cancel)
    {
        foreach (var client in clients)
        {
            await client.ConnectAsync(endpoint, cancel).ConfigureAwait(false);
        }
    }

    /// <summary>One client: waits for the start, then sends a message and reads its echo, <paramref name="trips"/> times.</summary>
    private static async Task Converse(Socket socket, int index, int trips, int size, double[] times, Task go, int[] errors)
    {
        var request = new byte[size];
        var reply = new byte[size];
        await go.ConfigureAwait(false);
        for (int trip = 0; trip < trips; trip++)
        {
            request.AsSpan().Fill((byte)trip);
            BitConverter.TryWriteBytes(request, index);
            BitConverter.TryWriteBytes(request.AsSpan(4), trip);
            long start = Stopwatch.GetTimestamp();
            await socket.SendAsync(request, SocketFlags.None).ConfigureAwait(false);
            int got = 0;
            while (got < size)
            {
                int n = await socket.ReceiveAsync(reply.AsMemory(got), SocketFlags.None).ConfigureAwait(false);
                if (n == 0)
                {
                    throw new EndOfStreamException($"client {index}: the server closed the connection at round trip {trip}");
                }
                got += n;
            }
            times[index * trips + trip] = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
            if (!reply.AsSpan().SequenceEqual(request))
            {
                Interlocked.Increment(ref errors[0]);
            }
        }
    }

    private static int SocketDescriptors() => ProcessFds.OfSelf().Count(f => f.SocketInode is not null);

    /// <summary>
    /// Garbage collected and free memory handed back to the system — an aggressive collection decommits what the
    /// managed heap holds empty, malloc_trim what glibc's arenas hold free (memory that threads of an earlier
    /// run freed, which would otherwise go back at some later moment, in the middle of a measurement) — so that
    /// VmRSS before and at the peak counts what is alive, not what allocators kept.
    /// </summary>
    private static void Collect()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        try
        {
            Native.LibC.MallocTrim(0);
        }
        catch (EntryPointNotFoundException)
        {
            // not glibc (musl has no malloc_trim): its allocator keeps what it keeps
        }
    }

    /// <summary>
    /// Garbage collected, and the previous run's threads gone from /proc/self/task: Join returns when a thread's
    /// managed code has ended, a moment before the kernel has removed the thread.
    /// </summary>
    private static void Settle()
    {
        Collect();
        var clock = Stopwatch.StartNew();
        while (ProcessThreads.OfSelf().Any(t => t.Name == ManyClientsExperiment.ServerThreadName) && clock.Elapsed < TimeSpan.FromSeconds(5))
        {
            Thread.Sleep(5);
        }
    }
}
