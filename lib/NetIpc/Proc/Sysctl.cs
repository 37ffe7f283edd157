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

    /// <summary>The setting's text, trimmed; null when this kernel has no such setting (or no /proc/sys).</summary>
    public static string? Read(string name)
    {
        string path = PathOf(name);
        try
        {
            return File.ReadAllText(path).Trim();
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }

    /// <summary>A setting that holds one integer; null when this kernel has no such setting.</summary>
    /// <exception cref="FormatException">The file holds something other than one integer; the message names it.</exception>
    public static int? ReadInt(string name)
    {
        string? text = Read(name);
        if (text is null)
        {
            return null;
        }
        return int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int value)
            ? value
            : throw new FormatException($"{PathOf(name)} holds \"{text}\", not one integer");
    }
}
