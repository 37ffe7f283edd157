namespace NetIpc.Proc;

/// <summary>
/// The kernel's socket tables in one place: parsers for text you already have, and readers for
/// the live files. Each parser lives next to the file it models (TcpTable.cs, UdpTable.cs, …).
/// </summary>
public static class ProcNet
{
    public static TcpTable ParseTcp(string text) => TcpTable.Parse(text);

    public static UdpTable ParseUdp(string text) => UdpTable.Parse(text);

    public static UnixTable ParseUnix(string text) => UnixTable.Parse(text);

    public static NetCounters ParseCounters(string text) => NetCounters.Parse(text);

    /// <summary>This process's network namespace.</summary>
    public static ProcNetDirectory Self => ProcNetDirectory.Self;

    /// <summary>Another process's network namespace (/proc/&lt;pid&gt;/net).</summary>
    public static ProcNetDirectory OfProcess(int pid) => ProcNetDirectory.OfProcess(pid);

    /// <summary>The calling thread's network namespace; call it on a thread that has entered one.</summary>
    public static ProcNetDirectory OfCurrentThread() => ProcNetDirectory.CurrentThread;
}
