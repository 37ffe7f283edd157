using System.Globalization;

namespace NetIpc.Proc;

/// <summary>
/// One thread of a process: its id, /proc/&lt;pid&gt;/task/&lt;tid&gt;/comm, the name (15 characters at most), and
/// wchan, the kernel function it sleeps in ("do_epoll_wait", "wait_woken" …; "0" while it runs or is ready to,
/// or where the kernel does not say).
/// </summary>
public sealed record ThreadEntry(int Tid, string Name, string WaitChannel);

/// <summary>
/// /proc/&lt;pid&gt;/task: one folder per thread. A managed thread's Name reaches comm (the runtime calls
/// pthread_setname_np), so the runtime's own threads are named there: ".NET Sockets", ".NET TP Worker" ….
/// Threads that end while the folder is listed are skipped.
/// </summary>
public static class ProcessThreads
{
    public static IReadOnlyList<ThreadEntry> OfSelf() => List("/proc/self/task");

    public static IReadOnlyList<ThreadEntry> Of(int pid) => List($"/proc/{pid}/task");

    private static List<ThreadEntry> List(string folder)
    {
        var result = new List<ThreadEntry>();
        foreach (var dir in Directory.EnumerateDirectories(folder))
        {
            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out int tid))
            {
                continue;
            }
            try
            {
                string name = File.ReadAllText(Path.Combine(dir, "comm")).TrimEnd('\n');
                string wchan;
                try
                {
                    wchan = File.ReadAllText(Path.Combine(dir, "wchan")).Trim();
                }
                catch (UnauthorizedAccessException)
                {
                    wchan = "";
                }
                result.Add(new ThreadEntry(tid, name, wchan));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // ended meanwhile
            }
        }
        result.Sort((a, b) => a.Tid.CompareTo(b.Tid));
        return result;
    }
}

/// <summary>One descriptor registered in an epoll instance, and the events it was registered for (EPOLLIN = 0x1, EPOLLOUT = 0x4, EPOLLET = 0x80000000 …).</summary>
public sealed record EpollTarget(int Fd, uint Events)
{
    public const uint EpollIn = 0x1;
    public const uint EpollOut = 0x4;
    public const uint EpollEt = 0x80000000;

    /// <summary>Edge-triggered: epoll_wait reports the socket when it becomes ready, not again while it stays ready.</summary>
    public bool EdgeTriggered => (Events & EpollEt) != 0;

    private static readonly (uint Bit, string Name)[] Names =
    [
        (EpollIn, "EPOLLIN"), (0x2, "EPOLLPRI"), (EpollOut, "EPOLLOUT"), (0x8, "EPOLLERR"), (0x10, "EPOLLHUP"),
        (0x2000, "EPOLLRDHUP"), (0x10000000, "EPOLLEXCLUSIVE"), (0x20000000, "EPOLLWAKEUP"), (0x40000000, "EPOLLONESHOT"), (EpollEt, "EPOLLET"),
    ];

    /// <summary>"EPOLLIN | EPOLLOUT | EPOLLET": the flags of a mask, from include/uapi/linux/eventpoll.h; bits without a name as hex.</summary>
    public static string Describe(uint events)
    {
        var parts = Names.Where(n => (events & n.Bit) != 0).Select(n => n.Name).ToList();
        uint rest = Names.Aggregate(events, (left, n) => left & ~n.Bit);
        if (rest != 0)
        {
            parts.Add($"0x{rest:x}");
        }
        return parts.Count == 0 ? "0" : string.Join(" | ", parts);
    }
}

/// <summary>One epoll instance of a process: its descriptor, and the descriptors registered in it.</summary>
public sealed record EpollInstance(int Fd, IReadOnlyList<EpollTarget> Targets);

/// <summary>
/// The epoll instances a process holds: each is a descriptor whose link reads "anon_inode:[eventpoll]", and its
/// /proc/&lt;pid&gt;/fdinfo/&lt;fd&gt; lists every descriptor registered in it with epoll_ctl, one
/// "tfd: N events: MASK data: …" line each (the mask in hex).
/// </summary>
public static class EpollInstances
{
    public const string Target = "anon_inode:[eventpoll]";

    public static IReadOnlyList<EpollInstance> OfSelf()
    {
        var result = new List<EpollInstance>();
        foreach (var fd in ProcessFds.OfSelf().Where(f => f.Target == Target))
        {
            string text;
            try
            {
                text = File.ReadAllText($"/proc/self/fdinfo/{fd.Fd}");
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                continue; // closed meanwhile
            }
            result.Add(new EpollInstance(fd.Fd, ParseTargets(text, $"/proc/self/fdinfo/{fd.Fd}")));
        }
        return result;
    }

    /// <summary>The tfd lines of an eventpoll fdinfo text.</summary>
    public static IReadOnlyList<EpollTarget> ParseTargets(string text, string file = "fdinfo")
    {
        ArgumentNullException.ThrowIfNull(text);
        var targets = new List<EpollTarget>();
        var lines = text.Split('\n');
        for (int i = 0; i < lines.Length; i++)
        {
            if (!lines[i].StartsWith("tfd:", StringComparison.Ordinal))
            {
                continue;
            }
            var words = lines[i][4..].Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            if (words.Length < 3 || words[1] != "events:"
                || !int.TryParse(words[0], NumberStyles.None, CultureInfo.InvariantCulture, out int tfd)
                || !uint.TryParse(words[2], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out uint events))
            {
                throw new ProcFormatException(file, i + 1, "tfd", $"expected 'tfd: <fd> events: <hex mask> …', got '{lines[i]}'");
            }
            targets.Add(new EpollTarget(tfd, events));
        }
        return targets;
    }
}
