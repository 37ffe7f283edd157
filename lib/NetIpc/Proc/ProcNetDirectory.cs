namespace NetIpc.Proc;

/// <summary>
/// A folder laid out like /proc/net: the live one of this process, of another process, of the
/// calling thread (which may sit in a network namespace of its own), or a recorded copy under data/.
/// The tables are per network namespace, not per process: every process in a namespace reads the same ones.
/// </summary>
public sealed record ProcNetDirectory(string Path, bool IsRecorded)
{
    /// <summary>The network namespace of this process.</summary>
    public static ProcNetDirectory Self { get; } = new("/proc/self/net", false);

    /// <summary>
    /// The network namespace of the calling thread, which differs from <see cref="Self"/> after <c>unshare</c>
    /// or <c>setns</c> on that thread. The path names the thread, so any thread may read it afterwards.
    /// </summary>
    public static ProcNetDirectory CurrentThread => new($"/proc/self/task/{Native.LibC.GetThreadId()}/net", false);

    public static ProcNetDirectory OfProcess(int pid) => new($"/proc/{pid}/net", false);

    /// <summary>A recorded capture: a folder holding files named like the kernel's (tcp, tcp6, udp, …).</summary>
    public static ProcNetDirectory Recorded(string path) => new(path, true);

    public bool Exists => File.Exists(System.IO.Path.Combine(Path, "tcp"));

    public TcpTable Tcp() => TcpTable.Parse(Read("tcp"), FileName("tcp"));

    public TcpTable Tcp6() => TcpTable.Parse(ReadOptional("tcp6"), FileName("tcp6"));

    /// <summary>tcp and tcp6 in one table, IPv4 first, the way <c>ss -t</c> lists both.</summary>
    public TcpTable TcpAll() => new([.. Tcp(), .. Tcp6()]);

    public UdpTable Udp() => UdpTable.Parse(Read("udp"), FileName("udp"));

    public UdpTable Udp6() => UdpTable.Parse(ReadOptional("udp6"), FileName("udp6"));

    public UdpTable UdpAll() => new([.. Udp(), .. Udp6()]);

    public UnixTable Unix() => UnixTable.Parse(Read("unix"), FileName("unix"));

    public NetCounters Snmp() => NetCounters.Parse(Read("snmp"), FileName("snmp"));

    public NetCounters Netstat() => NetCounters.Parse(Read("netstat"), FileName("netstat"));

    /// <summary>snmp and netstat together: every counter the course charts is in one of the two.</summary>
    public NetCounters Counters() => Snmp().Merge(Netstat());

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
            throw new FileNotFoundException(IsRecorded
                ? $"the recording has no '{name}': {file}"
                : $"{file} does not exist; /proc/net needs Linux (the chapters show recorded data elsewhere)", file, e);
        }
    }

    // A kernel without IPv6 has no tcp6/udp6; an empty table says the same thing.
    private string ReadOptional(string name) =>
        File.Exists(System.IO.Path.Combine(Path, name)) ? Read(name)
            : "  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n";

    private string FileName(string name) => IsRecorded ? $"{name} (recorded)" : System.IO.Path.Combine(Path, name);
}
