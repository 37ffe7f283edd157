using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json.Serialization;
using NetIpc.Proc;
using NetIpc.Sockets;

namespace NetIpc.Experiments;

/// <summary>One accept(): the descriptor it returned, that socket's inode, and the port of the client it talks to.</summary>
public sealed record AcceptedSocket(int Fd, ulong Inode, int ClientPort);

/// <summary>
/// One listener and the sockets accept() made from it, with the TCP table's rows on the listener's port as
/// <c>ss -tanp</c> would list them (the clients, in this same process, are in the table too).
/// </summary>
public sealed record SharedPortResult(int Pid, int Port, int ListenerFd, ulong ListenerInode, IReadOnlyList<AcceptedSocket> Accepted, IReadOnlyList<SocketRow> Rows)
{
    private bool LocalIsPort(SocketRow r) => r.Local.EndsWith($":{Port}", StringComparison.Ordinal);

    /// <summary>The rows whose local port is the listener's: the LISTEN line, then one ESTAB line per accept().</summary>
    public IReadOnlyList<SocketRow> ServerRows =>
        [.. Rows.Where(LocalIsPort).OrderBy(r => r.State == "LISTEN" ? 0 : 1).ThenBy(r => r.Remote, StringComparer.Ordinal)];

    /// <summary>The clients' rows: their own ephemeral ports, the listener's port as the remote one.</summary>
    public IReadOnlyList<SocketRow> ClientRows => [.. Rows.Where(r => !LocalIsPort(r)).OrderBy(r => r.Local, StringComparer.Ordinal)];

    /// <summary>The table's row for one accepted socket: found by its inode.</summary>
    public SocketRow? RowOf(AcceptedSocket accepted) => Rows.FirstOrDefault(r => r.Inode == accepted.Inode);
}

/// <summary>How many threads of one name slept in one kernel function (wchan) at the peak.</summary>
public sealed record ThreadWait(string Name, string WaitChannel, int Count);

/// <summary>The two servers measured side by side.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ServerDesign>))]
public enum ServerDesign
{
    /// <summary>Blocking sockets: one accept loop, and a thread of its own for every accepted connection.</summary>
    ThreadPerClient,

    /// <summary>.NET's async sockets: AcceptAsync, ReceiveAsync, SendAsync — epoll underneath, no thread per connection.</summary>
    EventLoop,
}

/// <summary>
/// One run of one server design with N clients, each taken at three moments: before the server existed, at the
/// peak (every client connected, every round trip done, every connection still open) and after all was closed.
/// Memory is in kB as the kernel prints it; TCP pages are /proc/net/sockstat's "mem", machine-wide.
/// </summary>
public sealed record ManyClientsRun(
    int RoundTrips,
    double MedianMicroseconds,
    double P99Microseconds,
    double RoundTripsPerSecond,
    int EchoErrors,
    long ResidentKbBefore,
    long ResidentKbAtPeak,
    long KernelStackKbBefore,
    long KernelStackKbAtPeak,
    long TcpPagesBefore,
    long TcpPagesAtPeak,
    int ThreadsBefore,
    int ThreadsAtPeak,
    int ServerThreadsAtPeak,
    int PoolWorkersAtPeak,
    int SocketEngineThreads,
    int EpollInstancesWithSockets,
    int ServerSocketsInEpoll,
    int ClientSocketsInEpoll,
    IReadOnlyList<uint> ServerSocketEpollEvents,
    IReadOnlyList<ThreadWait> ThreadWaitsAtPeak,
    int SocketDescriptorsBefore,
    int SocketDescriptorsAtPeak,
    int SocketDescriptorsAfter,
    int TimeWaitLeft)
{
    public int ThreadsAdded => ThreadsAtPeak - ThreadsBefore;
}

/// <summary>
/// One design at one number of clients over several runs: each figure is the median of the runs, with the lowest
/// and highest beside it.
/// </summary>
public sealed record ManyClientsPoint(ServerDesign Design, int Clients, int RoundTripsPerClient, IReadOnlyList<ManyClientsRun> Runs)
{
    public double MedianMicroseconds => Median(r => r.MedianMicroseconds);

    public double MinMedianMicroseconds => Runs.Min(r => r.MedianMicroseconds);

    public double MaxMedianMicroseconds => Runs.Max(r => r.MedianMicroseconds);

    public double P99Microseconds => Median(r => r.P99Microseconds);

    public double MinP99Microseconds => Runs.Min(r => r.P99Microseconds);

    public double MaxP99Microseconds => Runs.Max(r => r.P99Microseconds);

    public double RoundTripsPerSecond => Median(r => r.RoundTripsPerSecond);

    /// <summary>Growth of the process's VmRSS from before the server to the peak, per connection (kB).</summary>
    public double ResidentKbPerConnection => Median(ResidentPerConnection);

    public double MinResidentKbPerConnection => Runs.Min(ResidentPerConnection);

    public double MaxResidentKbPerConnection => Runs.Max(ResidentPerConnection);

    /// <summary>Growth of the machine's KernelStack per connection (kB): 16 kB for every thread started on x86-64.</summary>
    public double KernelStackKbPerConnection => Median(KernelStackPerConnection);

    public double MinKernelStackKbPerConnection => Runs.Min(KernelStackPerConnection);

    public double MaxKernelStackKbPerConnection => Runs.Max(KernelStackPerConnection);

    /// <summary>Growth of sockstat's TCP "mem" (pages, machine-wide) from before to the peak.</summary>
    public double TcpPagesAdded => Median(r => r.TcpPagesAtPeak - r.TcpPagesBefore);

    public double ThreadsAdded => Median(r => r.ThreadsAdded);

    public int MinThreadsAdded => Runs.Min(r => r.ThreadsAdded);

    public int MaxThreadsAdded => Runs.Max(r => r.ThreadsAdded);

    public int MinServerThreads => Runs.Min(r => r.ServerThreadsAtPeak);

    public int MaxServerThreads => Runs.Max(r => r.ServerThreadsAtPeak);

    public int EchoErrors => Runs.Sum(r => r.EchoErrors);

    private double ResidentPerConnection(ManyClientsRun r) => (double)(r.ResidentKbAtPeak - r.ResidentKbBefore) / Clients;

    private double KernelStackPerConnection(ManyClientsRun r) => (double)(r.KernelStackKbAtPeak - r.KernelStackKbBefore) / Clients;

    private double Median(Func<ManyClientsRun, double> value) => ThroughputPoint.Median(Runs.Select(value));
}

/// <summary>
/// Both designs at each number of clients. <see cref="LimitSentence"/> says how the descriptor limit set the
/// largest number of clients; <see cref="RunsPerPoint"/> how many runs each point is the median of.
/// </summary>
public sealed record ManyClientsResult(
    IReadOnlyList<ManyClientsPoint> Points,
    int MessageSize,
    int PageSize,
    int ProcessorCount,
    long? OpenFilesLimit,
    int DescriptorsOpenAtStart,
    int RequestedTopClients,
    int TopClients,
    string LimitSentence,
    int RunsPlanned,
    double Seconds)
{
    /// <summary>What thread per client names its threads; comm (15 characters at most) shows it in /proc/self/task.</summary>
    public const string ServerThreadName = "per-client echo";

    /// <summary>The runtime's thread that waits in epoll_wait for the async sockets (SocketAsyncEngine), one per engine.</summary>
    public const string SocketEngineThreadName = ".NET Sockets";

    public int RunsPerPoint => Points.Count == 0 ? 0 : Points.Min(p => p.Runs.Count);

    public IReadOnlyList<int> ClientCounts => [.. Points.Select(p => p.Clients).Distinct().Order()];

    public ManyClientsPoint At(ServerDesign design, int clients) => Points.Single(p => p.Design == design && p.Clients == clients);
}

/// <summary>
/// Many clients on one listening port: what accept() makes of each (a socket, a descriptor, an inode of its own),
/// and two ways of serving them all — a thread per client, or .NET's event loop over epoll — measured side by side.
/// </summary>
internal static class ManyClientsExperiment
{
    /// <summary>What thread per client names its threads.</summary>
    public const string ServerThreadName = ManyClientsResult.ServerThreadName;

    /// <summary>The runtime's thread that waits in epoll_wait (SocketAsyncEngine), one per engine.</summary>
    public const string SocketEngineThreadName = ManyClientsResult.SocketEngineThreadName;

    /// <summary>The runtime's thread-pool workers, which run the continuations the engine queues.</summary>
    public const string PoolWorkerThreadName = ".NET TP Worker";

    /// <summary>A single run that takes longer than this has gone wrong: it stops and says so.</summary>
    private static readonly TimeSpan RunLimit = TimeSpan.FromSeconds(20);

    /// <summary>
    /// A listener and <paramref name="clients"/> clients, each connected and accepted in turn; then the TCP table's
    /// rows on the listener's port, joined to the processes that hold them.
    /// </summary>
    public static SharedPortResult SharedPort(int clients)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(clients, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(clients, 100);
        var sockets = new List<Socket>();
        try
        {
            var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Unspecified);
            sockets.Add(listener);
            listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            listener.Listen(clients);
            var endpoint = (IPEndPoint)listener.LocalEndPoint!;
            var accepted = new List<AcceptedSocket>();
            for (int i = 0; i < clients; i++)
            {
                var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Unspecified);
                sockets.Add(client);
                client.Connect(endpoint);
                var connection = listener.Accept();
                sockets.Add(connection);
                accepted.Add(new AcceptedSocket(Descriptor.Of(connection), Descriptor.InodeOf(connection), ((IPEndPoint)connection.RemoteEndPoint!).Port));
            }
            var rows = SocketTable.Tcp(ProcNet.OfCallingThreadsNamespace).Involving(endpoint.Port).Where(r => r.Netid == "tcp").ToList();
            return new SharedPortResult(Environment.ProcessId, endpoint.Port, Descriptor.Of(listener), Descriptor.InodeOf(listener), accepted, rows);
        }
        finally
        {
            foreach (var s in sockets)
            {
                s.Abort();
            }
        }
    }

    /// <summary>
    /// Both server designs, with each number of <paramref name="clients"/>: the clients connect, all are accepted,
    /// then all start at once, each making <see cref="RoundTripsPerClient"/> round trips of a
    /// <paramref name="messageSize"/>-byte message (checked on its way back). <paramref name="runs"/> rounds, the
    /// designs taking turns to go first; a round is not started when it would end past <paramref name="budget"/>
    /// (the first always runs). Numbers of clients the descriptor limit cannot hold (two sockets each, in this one
    /// process) are lowered to what it can.
    /// </summary>
    public static ManyClientsResult Run(int[] clients, int runs, int messageSize, TimeSpan budget)
    {
        if (clients.Length == 0 || clients.Any(n => n < 1 || n > 10_000))
        {
            throw new ArgumentOutOfRangeException(nameof(clients), $"numbers of clients must be 1 to 10,000, got [{string.Join(", ", clients)}]");
        }
        ArgumentOutOfRangeException.ThrowIfLessThan(runs, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(messageSize, 8); // a client's number and the trip's number go in each message
        ArgumentOutOfRangeException.ThrowIfGreaterThan(messageSize, 4096);
        var clock = Stopwatch.StartNew();
        int requestedTop = clients.Max();
        var (top, openFiles, openNow, sentence) = LargestThatFits(requestedTop);
        var counts = clients.Where(n => n <= top).Append(top).Distinct().Order().ToList();

        var measured = counts.SelectMany(n => new[] { ServerDesign.ThreadPerClient, ServerDesign.EventLoop }.Select(d => (d, n)))
            .ToDictionary(k => k, _ => new List<ManyClientsRun>());
        TimeSpan longestRound = TimeSpan.Zero;
        for (int run = 0; run < runs; run++)
        {
            if (run > 0 && clock.Elapsed + longestRound > budget)
            {
                break;
            }
            var roundClock = Stopwatch.StartNew();
            var order = run % 2 == 0
                ? new[] { ServerDesign.ThreadPerClient, ServerDesign.EventLoop }
                : [ServerDesign.EventLoop, ServerDesign.ThreadPerClient];
            foreach (int n in counts)
            {
                foreach (var design in order)
                {
                    measured[(design, n)].Add(RunOnce(design, n, RoundTripsPerClient(n), messageSize));
                }
            }
            longestRound = roundClock.Elapsed > longestRound ? roundClock.Elapsed : longestRound;
        }
        var points = measured.Select(m => new ManyClientsPoint(m.Key.Item1, m.Key.Item2, RoundTripsPerClient(m.Key.Item2), m.Value))
            .OrderBy(p => p.Design).ThenBy(p => p.Clients).ToList();
        return new ManyClientsResult(points, messageSize, Environment.SystemPageSize, Environment.ProcessorCount,
            openFiles, openNow, requestedTop, top, sentence, runs, clock.Elapsed.TotalSeconds);
    }

    /// <summary>Enough round trips per client that every point has at least 1,000 for its 99th percentile, and never fewer than 20.</summary>
    public static int RoundTripsPerClient(int clients) => Math.Max(20, (1000 + clients - 1) / clients);

    /// <summary>The most clients this process can hold now, read from /proc/self/limits and /proc/self/fd.</summary>
    private static (int Top, long? OpenFiles, int OpenNow, string Sentence) LargestThatFits(int requested)
    {
        long? soft = ProcessLimits.OfSelf(ProcessLimits.OpenFiles).Soft;
        int openNow = ProcessFds.OfSelf().Count;
        var (top, sentence) = Fit(soft, openNow, requested);
        return (top, soft, openNow, sentence);
    }

    /// <summary>
    /// How many clients fit under RLIMIT_NOFILE's soft limit (null: unlimited) with <paramref name="openNow"/>
    /// descriptors already open: each client is two sockets here (its own and the server's), and 16 are kept
    /// for the listener and the runtime. Returns the number and the sentence the chapter shows.
    /// </summary>
    internal static (int Top, string Sentence) Fit(long? soft, int openNow, int requested)
    {
        long fits = soft is long s ? Math.Max(1, (s - openNow - 16) / 2) : long.MaxValue;
        string limit = soft is long l ? $"{l:N0}" : "unlimited";
        string start = $"Max open files (RLIMIT_NOFILE, /proc/self/limits): {limit}; {openNow:N0} descriptors open; ";
        if (fits >= requested)
        {
            return (requested, start + $"{requested:N0} clients need {2 * requested + 1:N0} more " +
                "(a client's socket and the server's for each, and the listener): enough.");
        }
        int top = (int)fits;
        return (top, start + $"{requested:N0} clients would need {2 * requested + 1:N0} more, two sockets each in this one process — " +
            $"so the largest run has {top:N0} clients. (`ulimit -n` in the shell that starts the kernel raises the soft limit, up to the hard one.)");
    }

    private interface IEchoServer
    {
        int Accepted { get; }

        /// <summary>Why the server cannot go on (a thread that would not start), or null.</summary>
        string? Failure { get; }

        IReadOnlyList<int> ConnectionFds();

        /// <summary>Waits for every handler to end (the clients have gone); false if one was still running at the limit.</summary>
        bool Stop(TimeSpan limit);
    }

    private static ManyClientsRun RunOnce(ServerDesign design, int n, int trips, int messageSize)
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

            Array.Sort(times);
            var run = new ManyClientsRun(
                RoundTrips: times.Length,
                MedianMicroseconds: times[(times.Length - 1) / 2],
                P99Microseconds: times[(int)Math.Ceiling(times.Length * 0.99) - 1],
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
                ServerThreadsAtPeak: threads.Count(t => t.Name == ServerThreadName),
                PoolWorkersAtPeak: threads.Count(t => t.Name == PoolWorkerThreadName),
                SocketEngineThreads: threads.Count(t => t.Name == SocketEngineThreadName),
                EpollInstancesWithSockets: epolls.Count(e => e.Targets.Any(t => serverFds.Contains(t.Fd) || clientFds.Contains(t.Fd))),
                ServerSocketsInEpoll: serverFds.Count(registered.Contains),
                ClientSocketsInEpoll: clientFds.Count(registered.Contains),
                ServerSocketEpollEvents: [.. serverFds.SelectMany(fd => registered[fd]).Distinct().Order()],
                ThreadWaitsAtPeak: [.. threads.Where(t => t.Name is ServerThreadName or SocketEngineThreadName)
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

    /// <summary>
    /// Blocking sockets: an accept loop on a thread of its own, and for each accepted connection a new thread that
    /// reads and writes back until the client goes. Every call blocks its thread; the kernel wakes the thread
    /// whose socket has data.
    /// </summary>
    private sealed class ThreadPerClientServer : IEchoServer
    {
        private readonly Thread acceptor;
        private readonly List<(Thread Thread, Socket Socket, int Fd)> handlers = [];
        private int accepted;
        private volatile string? failure;

        public ThreadPerClientServer(Socket listener, int clients, int size)
        {
            acceptor = new Thread(() => AcceptLoop(listener, clients, size)) { IsBackground = true, Name = "accept loop" };
            acceptor.Start();
        }

        public int Accepted => Volatile.Read(ref accepted);

        public string? Failure => failure;

        public IReadOnlyList<int> ConnectionFds()
        {
            lock (handlers)
            {
                return [.. handlers.Select(h => h.Fd)];
            }
        }

        private void AcceptLoop(Socket listener, int clients, int size)
        {
            for (int i = 0; i < clients; i++)
            {
                Socket connection;
                try
                {
                    connection = listener.Accept();
                }
                catch (Exception e) when (e is SocketException or ObjectDisposedException)
                {
                    return; // the listener was closed: the run is over
                }
                connection.NoDelay = true;
                var handler = new Thread(() => Echo(connection, size)) { IsBackground = true, Name = ServerThreadName };
                try
                {
                    handler.Start();
                }
                catch (OutOfMemoryException e)
                {
                    // pthread_create failed: RLIMIT_NPROC, the cgroup's pids.max, or memory.
                    failure = $"thread {i + 1} could not be started ({e.Message})";
                    connection.Dispose();
                    return;
                }
                lock (handlers)
                {
                    handlers.Add((handler, connection, Descriptor.Of(connection)));
                }
                Interlocked.Increment(ref accepted);
            }
        }

        private static void Echo(Socket connection, int size)
        {
            var buffer = new byte[size];
            try
            {
                while (true)
                {
                    int n = connection.Receive(buffer);
                    if (n == 0)
                    {
                        return;
                    }
                    connection.Send(buffer.AsSpan(0, n));
                }
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                // The client's RST (ECONNRESET): the conversation is over.
            }
            finally
            {
                connection.Dispose();
            }
        }

        public bool Stop(TimeSpan limit)
        {
            var clock = Stopwatch.StartNew();
            bool ended = acceptor.Join(limit);
            List<(Thread Thread, Socket Socket, int Fd)> all;
            lock (handlers)
            {
                all = [.. handlers];
            }
            foreach (var (thread, socket, _) in all)
            {
                var left = limit - clock.Elapsed;
                if (!thread.Join(left > TimeSpan.Zero ? left : TimeSpan.Zero))
                {
                    socket.Abort(); // wakes its blocked Receive
                    thread.Join(TimeSpan.FromSeconds(1));
                    ended = false;
                }
            }
            return ended;
        }
    }

    /// <summary>
    /// .NET's async sockets: no thread of its own. The runtime's SocketAsyncEngine registers each socket with one
    /// epoll instance (edge-triggered) and a thread of its own waits in epoll_wait; when a socket is ready it queues
    /// the waiting continuation to the thread pool, which runs the next step of that connection's loop.
    /// </summary>
    private sealed class EventLoopServer : IEchoServer
    {
        private readonly Task acceptLoop;
        private readonly List<Task> handlers = [];
        private readonly List<int> fds = [];
        private int accepted;

        public EventLoopServer(Socket listener, int clients, int size) => acceptLoop = AcceptLoop(listener, clients, size);

        public int Accepted => Volatile.Read(ref accepted);

        public string? Failure => acceptLoop.IsFaulted ? acceptLoop.Exception!.InnerExceptions[0].Message : null;

        public IReadOnlyList<int> ConnectionFds()
        {
            lock (handlers)
            {
                return [.. fds];
            }
        }

        private async Task AcceptLoop(Socket listener, int clients, int size)
        {
            for (int i = 0; i < clients; i++)
            {
                Socket connection;
                try
                {
                    connection = await listener.AcceptAsync().ConfigureAwait(false);
                }
                catch (Exception e) when (e is SocketException or ObjectDisposedException)
                {
                    return;
                }
                connection.NoDelay = true;
                lock (handlers)
                {
                    fds.Add(Descriptor.Of(connection));
                    handlers.Add(Echo(connection, size));
                }
                Interlocked.Increment(ref accepted);
            }
        }

        private static async Task Echo(Socket connection, int size)
        {
            var buffer = new byte[size];
            try
            {
                while (true)
                {
                    int n = await connection.ReceiveAsync(buffer, SocketFlags.None).ConfigureAwait(false);
                    if (n == 0)
                    {
                        return;
                    }
                    await connection.SendAsync(buffer.AsMemory(0, n), SocketFlags.None).ConfigureAwait(false);
                }
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                // The client's RST: the conversation is over.
            }
            finally
            {
                connection.Dispose();
            }
        }

        public bool Stop(TimeSpan limit)
        {
            Task[] all;
            lock (handlers)
            {
                all = [acceptLoop, .. handlers];
            }
            try
            {
                return Task.WaitAll(all, limit);
            }
            catch (AggregateException)
            {
                return true; // ended, if by an exception no handler lets through
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
        while (ProcessThreads.OfSelf().Any(t => t.Name == ServerThreadName) && clock.Elapsed < TimeSpan.FromSeconds(5))
        {
            Thread.Sleep(5);
        }
    }
}
