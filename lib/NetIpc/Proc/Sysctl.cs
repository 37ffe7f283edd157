using System.Globalization;

namespace NetIpc.Proc;

/// <summary>
/// Reads a kernel setting from /proc/sys by its sysctl name (<c>net.ipv4.tcp_syn_retries</c>). The net.* files belong
/// to the network namespace of the thread that opens them, so a read inside an experiment's namespace sees that
/// namespace's value.
/// </summary>
public static class Sysctl
{
    /// <summary>The file behind a sysctl name: dots become slashes under /proc/sys.</summary>
    public static string PathOf(string name) => "/proc/sys/" + name.Replace('.', '/');

    /// <summary>The same file under another root folder than /: how tests read a fixture's settings.</summary>
    public static string PathOf(string name, string root) => Path.Combine(root, "proc", "sys", name.Replace('.', '/'));

    /// <summary>The setting's text, trimmed; null when this kernel has no such setting (or no /proc/sys).</summary>
    public static string? Read(string name) => ReadPath(PathOf(name));

    /// <summary>As <see cref="Read(string)"/>, under <paramref name="root"/> instead of /.</summary>
    public static string? Read(string name, string root) => ReadPath(PathOf(name, root));

    private static string? ReadPath(string path)
    {
        try
        {
            return File.ReadAllText(path).Trim();
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }

    /// <summary>
    /// This machine's kernel release ("6.18.44-…", what uname -r prints), or null where it cannot be read: the one
    /// place the course asks for it.
    /// </summary>
    public static string? KernelRelease()
    {
        try
        {
            return Read("kernel.osrelease");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>A setting that holds one integer; null when this kernel has no such setting.</summary>
    /// <exception cref="FormatException">The file holds something other than one integer; the message names it.</exception>
    public static int? ReadInt(string name) => ReadInt(name, "/");

    /// <summary>As <see cref="ReadInt(string)"/>, under <paramref name="root"/> instead of /.</summary>
    public static int? ReadInt(string name, string root)
    {
        string? text = Read(name, root);
        if (text is null)
        {
            return null;
        }
        return int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int value)
            ? value
            : throw new FormatException($"{PathOf(name, root)} holds \"{text}\", not one integer");
    }

    /// <summary>
    /// Sets a setting. A net.* setting written inside an experiment's namespace changes that namespace only; outside
    /// one it changes the host's, which no experiment does.
    /// </summary>
    /// <exception cref="UnauthorizedAccessException">No permission to write it (no CAP_NET_ADMIN over its namespace).</exception>
    /// <exception cref="IOException">The kernel refused it; read-only /proc/sys shows as EROFS in the HResult.</exception>
    public static void Write(string name, string value) => File.WriteAllText(PathOf(name), value);

    /// <inheritdoc cref="Write(string, string)"/>
    public static void Write(string name, int value) => Write(name, value.ToString(CultureInfo.InvariantCulture));

    /// <summary>A setting that must exist on every kernel the course runs on; its absence is an error naming it.</summary>
    /// <exception cref="FileNotFoundException">This kernel has no such setting.</exception>
    public static int ReadRequiredInt(string name) =>
        ReadInt(name) ?? throw new FileNotFoundException($"this kernel has no {name} ({PathOf(name)})", PathOf(name));
}
