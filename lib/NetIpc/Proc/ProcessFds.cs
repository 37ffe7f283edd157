using System.Globalization;

namespace NetIpc.Proc;

/// <summary>One entry of /proc/&lt;pid&gt;/fd: the descriptor number and what its link points to.</summary>
public sealed record FileDescriptor(int Fd, string Target)
{
    /// <summary>The inode of "socket:[12345]", the number that appears in the inode column of the /proc/net tables.</summary>
    public ulong? SocketInode =>
        Target.StartsWith("socket:[", StringComparison.Ordinal) && Target.EndsWith(']')
        && ulong.TryParse(Target.AsSpan(8, Target.Length - 9), NumberStyles.None, CultureInfo.InvariantCulture, out ulong inode)
            ? inode : null;
}

/// <summary>
/// /proc/&lt;pid&gt;/fd: the process's file descriptor table as the kernel shows it, one symlink per open descriptor.
/// Descriptors that close while the folder is listed are skipped.
/// </summary>
public static class ProcessFds
{
    public static IReadOnlyList<FileDescriptor> OfSelf() => List("/proc/self/fd");

    /// <exception cref="UnauthorizedAccessException">the process belongs to another user and this one is not root.</exception>
    /// <exception cref="DirectoryNotFoundException">the process has exited.</exception>
    public static IReadOnlyList<FileDescriptor> Of(int pid) => List($"/proc/{pid}/fd");

    /// <summary>The target of one descriptor of this process, e.g. "socket:[20443]".</summary>
    public static string TargetOf(int fd) => new FileInfo($"/proc/self/fd/{fd}").LinkTarget
        ?? throw new ArgumentException($"/proc/self/fd/{fd} is not a link: no descriptor {fd} is open", nameof(fd));

    /// <summary>
    /// A listing recorded as "fd -> target" lines (data/proc/*/fd), what <c>ls -l /proc/&lt;pid&gt;/fd</c> shows.
    /// </summary>
    public static IReadOnlyList<FileDescriptor> ParseListing(string text, string file = "fd listing")
    {
        var result = new List<FileDescriptor>();
        var lines = text.Split('\n');
        for (int i = 0; i < lines.Length; i++)
        {
            if (lines[i].Trim().Length == 0)
            {
                continue;
            }
            int arrow = lines[i].IndexOf(" -> ", StringComparison.Ordinal);
            if (arrow < 0 || !int.TryParse(lines[i].AsSpan(0, arrow), NumberStyles.None, CultureInfo.InvariantCulture, out int fd))
            {
                throw new ProcFormatException(file, i + 1, "fd", $"expected '<fd> -> <target>', got '{lines[i]}'");
            }
            result.Add(new FileDescriptor(fd, lines[i][(arrow + 4)..]));
        }
        return result;
    }

    private static List<FileDescriptor> List(string folder)
    {
        var result = new List<FileDescriptor>();
        foreach (var entry in new DirectoryInfo(folder).EnumerateFileSystemInfos())
        {
            if (!int.TryParse(entry.Name, NumberStyles.None, CultureInfo.InvariantCulture, out int fd))
            {
                continue;
            }
            string? target;
            try
            {
                target = entry.LinkTarget;
            }
            catch (IOException)
            {
                continue;
            }
            if (target is not null)
            {
                result.Add(new FileDescriptor(fd, target));
            }
        }
        result.Sort((a, b) => a.Fd.CompareTo(b.Fd));
        return result;
    }
}
