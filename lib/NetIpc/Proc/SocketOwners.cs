using System.Globalization;

namespace NetIpc.Proc;

/// <summary>A process holding a socket open: what <c>ss -p</c> prints as users:(("name",pid=…,fd=…)).</summary>
public sealed record SocketOwner(int Pid, string Command, int Fd)
{
    public override string ToString() => $"{Command} (pid {Pid}, fd {Fd})";
}

/// <summary>
/// Who owns which socket inode, found the way <c>ss -p</c> finds it: read every /proc/&lt;pid&gt;/fd.
/// Processes that exit during the scan, or that this user may not inspect, are skipped.
/// </summary>
public static class SocketOwners
{
    public static ILookup<ulong, SocketOwner> Scan()
    {
        var owners = new List<(ulong Inode, SocketOwner Owner)>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(System.IO.Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out int pid))
            {
                continue;
            }
            try
            {
                string? command = null;
                foreach (var fd in ProcessFds.Of(pid))
                {
                    if (fd.SocketInode is ulong inode)
                    {
                        command ??= File.ReadAllText($"/proc/{pid}/comm").TrimEnd('\n');
                        owners.Add((inode, new SocketOwner(pid, command, fd.Fd)));
                    }
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Gone or not ours to read: ss leaves these out too.
            }
        }
        return owners.ToLookup(o => o.Inode, o => o.Owner);
    }
}
