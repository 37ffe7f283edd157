using System.Diagnostics;
using NetIpc.Proc;

namespace NetIpc.Servers;

/// <summary>
/// Many clients on one listening port: what accept() makes of each (a socket, a descriptor, an inode of its own),
/// and two ways of serving them all — a thread per client, or .NET's event loop over epoll — measured side by side.
/// </summary>
internal static partial class ManyClientsExperiment
{
    /// <summary>What thread per client names its threads.</summary>
    public const string ServerThreadName = ManyClientsResult.ServerThreadName;

    /// <summary>The runtime's thread that waits in epoll_wait (SocketAsyncEngine), one per engine.</summary>
    public const string SocketEngineThreadName = ManyClientsResult.SocketEngineThreadName;

    /// <summary>The runtime's thread-pool workers, which run the continuations the engine queues.</summary>
    public const string PoolWorkerThreadName = ".NET TP Worker";

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
                    measured[(design, n)].Add(ManyClientsHarness.RunOnce(design, n, RoundTripsPerClient(n), messageSize));
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
}
