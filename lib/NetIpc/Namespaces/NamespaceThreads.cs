using System.Runtime.InteropServices;

namespace NetIpc.Namespaces;

/// <summary>
/// Keeps threads from being born inside an experiment's network namespace. <c>unshare(CLONE_NEWNET)</c> moves
/// only the calling thread, but a thread it creates starts in the creator's namespace (clone copies it) and
/// stays there. The .NET runtime starts some of its threads lazily, from whichever thread first needs them:
/// the signal handler (first child process), the socket event loop (first asynchronous socket call), the
/// thread pool's workers and gate (first queued work, and more whenever the pool grows). Started from a
/// namespace thread, each would keep that namespace alive after the experiment, and a socket later created
/// on a pool thread would live in it, where this process's loopback listeners are out of reach.
/// </summary>
internal static class NamespaceThreads
{
    private static readonly Lazy<bool> started = new(StartRuntimeThreadsHere, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>
    /// Starts the runtime's lazily created threads from the calling thread, once per process. Call it from a
    /// thread outside any experiment's namespace before creating one.
    /// </summary>
    public static void StartRuntimeThreadsOutside() => _ = started.Value;

    /// <summary>The network namespace of the calling thread, as /proc names it ("net:[4026531840]").</summary>
    public static string OfCurrentThread() => new FileInfo("/proc/thread-self/ns/net").LinkTarget
        ?? throw new InvalidOperationException("/proc/thread-self/ns/net is not a link");

    /// <summary>
    /// The runtime's threads that run managed work for anyone — the pool's workers and gate, the socket event loop, long-running
    /// tasks (names cut to 15 bytes, as /proc keeps them). Born in a namespace, they would make sockets there for code that
    /// never entered it. The runtime's other threads (the JIT's tiered-compilation worker, background GC, the signal
    /// handler…) are also started on demand from whichever thread needs them, but run no user code and make no sockets.
    /// </summary>
    private static readonly string[] RuntimeThreadsRunningUserCode = [".NET TP Worker", ".NET TP Gate", ".NET Sockets", ".NET Long Runni"];

    private static bool Matters(string name) => !name.StartsWith(".NET ", StringComparison.Ordinal) || RuntimeThreadsRunningUserCode.Contains(name);

    /// <summary>"name (tid)" of every thread of this process in <paramref name="ns"/> other than <paramref name="except"/> that can run user code.</summary>
    public static IReadOnlyList<string> In(string ns, int except)
    {
        var found = new List<string>();
        foreach (var task in Directory.EnumerateDirectories("/proc/self/task"))
        {
            try
            {
                if (int.Parse(Path.GetFileName(task)) != except && new FileInfo(Path.Combine(task, "ns/net")).LinkTarget == ns
                    && File.ReadAllText(Path.Combine(task, "comm")).Trim() is var name && Matters(name))
                {
                    found.Add($"{name} ({Path.GetFileName(task)})");
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // the thread ended while we looked: it is in no namespace any more
            }
        }
        return found;
    }

    /// <summary>
    /// Throws when a thread of this process other than the namespace's own (<paramref name="owner"/>, which has
    /// ended or is ending) is still in <paramref name="ns"/>. A thread that has finished its work may take a
    /// moment to leave the task list, hence the short wait.
    /// </summary>
    public static void RequireNoneLeftIn(string ns, int owner, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(1);
        IReadOnlyList<string> left;
        while ((left = In(ns, owner)).Count > 0 && DateTime.UtcNow < deadline)
        {
            Thread.Sleep(10);
        }
        if (left.Count > 0)
        {
            throw new InvalidOperationException(
                $"{what}: thread{(left.Count == 1 ? "" : "s")} {string.Join(", ", left)} started inside the namespace and stayed in it " +
                $"({ns}). Threads the work starts must end with it, and it must not queue thread-pool work or make asynchronous " +
                "calls: the threads that serve them could be born there (see NamespaceThreads).");
        }
    }

    private static bool StartRuntimeThreadsHere()
    {
        // The signal handler thread: registering any handler starts it (SIGCONT's default action is kept).
        if (OperatingSystem.IsLinux())
        {
            PosixSignalRegistration.Create(PosixSignal.SIGCONT, _ => { }).Dispose();
        }
        // The pool's gate and first workers.
        Task.Run(() => { }).Wait();
        // The socket event loop: one pending asynchronous receive on a socket of a pair, then both closed.
        var (a, b) = Sockets.SocketPair.Create();
        using (a)
        using (b)
        {
            var pending = a.ReceiveAsync(new byte[1].AsMemory());
            b.Send([0]);
            pending.AsTask().Wait(TimeSpan.FromSeconds(5));
        }
        return true;
    }
}
