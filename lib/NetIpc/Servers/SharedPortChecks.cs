using NetIpc.Harness;

namespace NetIpc.Servers;

/// <summary>Chapter 14's claims about the sockets accept() makes on one port.</summary>
public static class SharedPortChecks
{
    /// <summary>One LISTEN socket, and per accept() a new ESTABLISHED socket on the same local port, with a descriptor and an inode of its own.</summary>
    public static IReadOnlyList<ProofCheck> Checks(this SharedPortResult r)
    {
        var listen = r.Rows.Where(x => x.State == "LISTEN").ToList();
        var fds = r.Accepted.Select(a => a.Fd).Append(r.ListenerFd).ToList();
        var inodes = r.Accepted.Select(a => a.Inode).Append(r.ListenerInode).ToList();
        List<ProofCheck> checks =
        [
            new("one LISTEN socket on the port, the listener's descriptor",
                listen.Count == 1 && listen[0].Inode == r.ListenerInode && listen[0].Local.EndsWith($":{r.Port}", StringComparison.Ordinal)
                    && listen[0].Owners.Any(o => o.Pid == r.Pid && o.Fd == r.ListenerFd),
                string.Join("; ", listen.Select(x => $"{x.Local} inode {x.Inode} {string.Join(", ", x.Owners)}"))),
        ];
        foreach (var a in r.Accepted)
        {
            var row = r.RowOf(a);
            checks.Add(new("each accepted socket is ESTABLISHED on the listener's local port, held at the descriptor accept() returned",
                row is not null && row.State == "ESTAB" && row.Local.EndsWith($":{r.Port}", StringComparison.Ordinal)
                    && row.Remote.EndsWith($":{a.ClientPort}", StringComparison.Ordinal) && row.Owners.Any(o => o.Pid == r.Pid && o.Fd == a.Fd),
                row is null ? $"no row with inode {a.Inode}" : $"{row.State} {row.Local} ⇄ {row.Remote}, {string.Join(", ", row.Owners)}; accept() returned fd {a.Fd}"));
        }
        checks.Add(new("the accepted sockets differ in their remote end", r.Accepted.Select(a => a.ClientPort).Distinct().Count() == r.Accepted.Count,
            $"client ports {string.Join(", ", r.Accepted.Select(a => a.ClientPort))}"));
        checks.Add(new("every accept() gives a new descriptor and a new inode, none the listener's",
            fds.Distinct().Count() == fds.Count && inodes.Distinct().Count() == inodes.Count,
            $"fds {string.Join(", ", fds)}; inodes {string.Join(", ", inodes)}"));
        return checks;
    }
}
