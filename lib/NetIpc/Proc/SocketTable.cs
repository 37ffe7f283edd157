
namespace NetIpc.Proc;

/// <summary>
/// One socket as <c>ss -tanp</c> or <c>ss -xp</c> lists it: the kernel's table row joined to the
/// processes whose descriptor tables point at its inode. Sockets nobody owns (inode 0: TIME_WAIT,
/// half-open, or waiting in an accept queue) have no owners.
/// </summary>
public sealed record SocketRow(
    string Netid,
    string State,
    string Local,
    string Remote,
    ulong RecvQ,
    ulong SendQ,
    ulong Inode,
    IReadOnlyList<SocketOwner> Owners);

/// <summary>
/// The sockets of one network namespace joined to their owning processes: a join of a /proc/net table
/// with every /proc/&lt;pid&gt;/fd, not a file the kernel prints, so not a <see cref="ProcTable{TEntry}"/>.
/// </summary>
public sealed class SocketTable : System.Collections.ObjectModel.ReadOnlyCollection<SocketRow>
{
    public SocketTable(IReadOnlyList<SocketRow> rows) : base([.. rows])
    {
    }

    /// <summary>TCP over IPv4 and IPv6, like <c>ss -tanp</c>.</summary>
    public static SocketTable Tcp(ProcNet? net = null, ILookup<ulong, SocketOwner>? owners = null)
    {
        net ??= ProcNet.Self;
        owners ??= net.IsRecorded ? EmptyOwners : SocketOwners.Scan();
        return new SocketTable(net.TcpAll().Select(e => new SocketRow(
            e.Netid, SsStateName(e.State), e.Local.ToString(), e.Remote.ToString(), e.RxQueue, e.TxQueue, e.Inode,
            e.Inode == 0 ? [] : owners[e.Inode].ToList())).ToList());
    }

    /// <summary>UNIX domain sockets, like <c>ss -xap</c>.</summary>
    public static SocketTable Unix(ProcNet? net = null, ILookup<ulong, SocketOwner>? owners = null)
    {
        net ??= ProcNet.Self;
        owners ??= net.IsRecorded ? EmptyOwners : SocketOwners.Scan();
        return new SocketTable(net.Unix().Select(e => new SocketRow(
            e.Type switch { UnixSocketType.Stream => "u_str", UnixSocketType.Dgram => "u_dgr", _ => "u_seq" },
            e.IsListening ? "LISTEN" : e.State == UnixSocketState.Connected ? "ESTAB" : "UNCONN",
            e.Path ?? "*", "*", 0, 0, e.Inode, owners[e.Inode].ToList())).ToList());
    }

    /// <summary>The rows whose local or remote port is <paramref name="port"/>: one server and its clients.</summary>
    public SocketTable Involving(int port) =>
        new(this.Where(r => r.Local.EndsWith($":{port}", StringComparison.Ordinal) || r.Remote.EndsWith($":{port}", StringComparison.Ordinal)).ToList());

    /// <summary>The rows <paramref name="keep"/> picks, e.g. an experiment's own sockets out of the whole namespace.</summary>
    public SocketTable Only(Func<SocketRow, bool> keep) => new(this.Where(keep).ToList());

    /// <summary>"12 TIME-WAIT, 1 LISTEN": what the rows are, for a sentence about rows not shown.</summary>
    public string CountByState() =>
        this.Count == 0 ? "none" : string.Join(", ", this.GroupBy(r => r.State).OrderByDescending(g => g.Count()).Select(g => $"{g.Count()} {g.Key}"));

    /// <summary>The rows one process owns.</summary>
    public SocketTable OwnedBy(int pid) => new(this.Where(r => r.Owners.Any(o => o.Pid == pid)).ToList());

    /// <summary>The names <c>ss</c> prints for each state, so the two tables can be read side by side.</summary>
    public static string SsStateName(KernelTcpState state) => state switch
    {
        KernelTcpState.Established => "ESTAB",
        KernelTcpState.SynSent => "SYN-SENT",
        KernelTcpState.SynRecv => "SYN-RECV",
        KernelTcpState.FinWait1 => "FIN-WAIT-1",
        KernelTcpState.FinWait2 => "FIN-WAIT-2",
        KernelTcpState.TimeWait => "TIME-WAIT",
        KernelTcpState.Close => "UNCONN",
        KernelTcpState.CloseWait => "CLOSE-WAIT",
        KernelTcpState.LastAck => "LAST-ACK",
        KernelTcpState.Listen => "LISTEN",
        KernelTcpState.Closing => "CLOSING",
        _ => state.ToString(),
    };

    private static readonly ILookup<ulong, SocketOwner> EmptyOwners = Array.Empty<(ulong, SocketOwner)>().ToLookup(o => o.Item1, o => o.Item2);
}
