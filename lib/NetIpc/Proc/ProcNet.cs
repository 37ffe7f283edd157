namespace NetIpc.Proc;

/// <summary>
/// The kernel's socket tables in one place. An instance is a folder laid out like /proc/net: the live one
/// of this process, of another process, of the calling thread (which may sit in a network namespace of
/// its own), or a recorded copy under data/. The tables are per network namespace, not per process: every
/// process in a namespace reads the same ones. The static Parse methods read text you already have; each
/// parser lives next to the file it models (TcpTable.cs, UdpTable.cs, …).
/// </summary>
public sealed record ProcNet(string Path, bool IsRecorded)
{
    public static TcpTable ParseTcp(string text) => TcpTable.Parse(text);

    public static UdpTable ParseUdp(string text) => UdpTable.Parse(text);

    public static UnixTable ParseUnix(string text) => UnixTable.Parse(text);

    public static NetCounters ParseCounters(string text) => NetCounters.Parse(text);

    /// <summary>The network namespace of this process.</summary>
    public static ProcNet Self { get; } = new("/proc/self/net", false);

    /// <summary>
    /// The network namespace of the calling thread, which differs from <see cref="Self"/> after <c>unshare</c>
    /// or <c>setns</c> on that thread. The path names the thread, so any thread may read it afterwards.
    /// </summary>
    public static ProcNet CurrentThread => new($"/proc/self/task/{Native.LibC.GetThreadId()}/net", false);

    /// <summary>
    /// The tables of the namespace the calling thread's new sockets land in: <see cref="Self"/> while the thread
    /// shares the process's namespace — a path that outlives the thread — and <see cref="CurrentThread"/> once it
    /// has moved to one of its own (a test that needs counters no other test moves).
    /// </summary>
    public static ProcNet OfCallingThreadsNamespace =>
        new FileInfo("/proc/thread-self/ns/net").LinkTarget == new FileInfo("/proc/self/ns/net").LinkTarget ? Self : CurrentThread;

    public static ProcNet OfProcess(int pid) => new($"/proc/{pid}/net", false);

    /// <summary>A recorded capture: a folder holding files named like the kernel's (tcp, tcp6, udp, …).</summary>
    public static ProcNet Recorded(string path) => new(path, true);

    public bool Exists => File.Exists(System.IO.Path.Combine(Path, "tcp"));

    public TcpTable Tcp() => ReadBytes("tcp", bytes => TcpTable.Parse(bytes, FileName("tcp")));

    public TcpTable Tcp6() => File.Exists(System.IO.Path.Combine(Path, "tcp6"))
        ? ReadBytes("tcp6", bytes => TcpTable.Parse(bytes, FileName("tcp6")))
        : TcpTable.Parse(EmptyInetTable, FileName("tcp6"));

    /// <summary>tcp and tcp6 in one table, IPv4 first, the way <c>ss -t</c> lists both.</summary>
    public TcpTable TcpAll() => new([.. Tcp(), .. Tcp6()]);

    public UdpTable Udp() => ReadBytes("udp", bytes => UdpTable.Parse(bytes, FileName("udp")));

    public UdpTable Udp6() => File.Exists(System.IO.Path.Combine(Path, "udp6"))
        ? ReadBytes("udp6", bytes => UdpTable.Parse(bytes, FileName("udp6")))
        : UdpTable.Parse(EmptyInetTable, FileName("udp6"));

    public UdpTable UdpAll() => new([.. Udp(), .. Udp6()]);

    public UnixTable Unix() => ReadBytes("unix", bytes => UnixTable.Parse(bytes, FileName("unix")));

    public NetCounters Snmp() => NetCounters.Parse(Read("snmp"), FileName("snmp"));

    public NetCounters Netstat() => NetCounters.Parse(Read("netstat"), FileName("netstat"));

    public ArpTable Arp() => ArpTable.Parse(Read("arp"), FileName("arp"));

    /// <summary>snmp and netstat together: every counter the course charts is in one of the two.</summary>
    public NetCounters Counters() => Snmp().Merge(Netstat());

    /// <summary>/proc/net/sockstat's TCP line: sockets in use, TIME_WAIT entries, pages charged to TCP.</summary>
    public SockStat SockStat() => Proc.SockStat.Parse(Read("sockstat"), FileName("sockstat"));

    /// <summary>The raw text of one file, e.g. to show a learner the kernel's own lines.</summary>
    public string Read(string name)
    {
        string file = System.IO.Path.Combine(Path, name);
        try
        {
            return File.ReadAllText(file);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw NotFound(file, name, e);
        }
    }

    // A kernel without IPv6 has no tcp6/udp6; an empty table says the same thing.
    private const string EmptyInetTable =
        "  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n";

    private delegate T BytesParser<T>(ReadOnlySpan<byte> bytes);

    /// <summary>
    /// Reads a whole file into one pooled buffer with as few read() calls as the kernel allows (its
    /// size is 0 in /proc, so it is read until end of file), then hands the bytes to a parser.
    /// </summary>
    private T ReadBytes<T>(string name, BytesParser<T> parse)
    {
        string file = System.IO.Path.Combine(Path, name);
        byte[] buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(64 * 1024);
        try
        {
            int length = 0;
            using (var stream = OpenForReading(file, name))
            {
                int n;
                while ((n = stream.Read(buffer, length, buffer.Length - length)) > 0)
                {
                    length += n;
                    if (length == buffer.Length)
                    {
                        byte[] larger = System.Buffers.ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                        buffer.AsSpan(0, length).CopyTo(larger);
                        System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
                        buffer = larger;
                    }
                }
            }
            return parse(buffer.AsSpan(0, length));
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private FileStream OpenForReading(string file, string name)
    {
        try
        {
            // bufferSize 0: no FileStream buffer in between, each Read goes straight to the kernel.
            return new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, bufferSize: 0);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw NotFound(file, name, e);
        }
    }

    private FileNotFoundException NotFound(string file, string name, Exception inner) =>
        new(IsRecorded
            ? $"the recording has no '{name}': {file}"
            : $"{file} does not exist; /proc/net needs Linux (the chapters show recorded data elsewhere)", file, inner);

    private string FileName(string name) => IsRecorded ? $"{name} (recorded)" : System.IO.Path.Combine(Path, name);
}
