using NetIpc.Proc;

namespace NetIpc.Servers;

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
