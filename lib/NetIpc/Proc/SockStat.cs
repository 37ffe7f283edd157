using System.Globalization;

namespace NetIpc.Proc;

/// <summary>
/// /proc/net/sockstat's TCP line: <c>TCP: inuse 3 orphan 0 tw 18 alloc 5 mem 194</c>. <see cref="InUse"/>
/// counts this network namespace's TCP sockets in the kernel's hash tables (listening and connected, not
/// TIME_WAIT), <see cref="TimeWait"/> its TIME_WAIT entries; <see cref="Allocated"/> and <see cref="MemoryPages"/>
/// are the whole machine's: sockets allocated, and the pages charged to TCP sockets for their queues (queued data and room reserved for more)
/// (tcp_memory_allocated, the figure net.ipv4.tcp_mem limits) — not the socket structures themselves.
/// </summary>
public sealed record SockStat(long InUse, long Orphans, long TimeWait, long Allocated, long MemoryPages)
{
    public static SockStat Parse(string text, string file = "/proc/net/sockstat")
    {
        ArgumentNullException.ThrowIfNull(text);
        var lines = text.Split('\n');
        for (int i = 0; i < lines.Length; i++)
        {
            if (!lines[i].StartsWith("TCP:", StringComparison.Ordinal))
            {
                continue;
            }
            var words = lines[i][4..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (words.Length % 2 != 0)
            {
                throw new ProcFormatException(file, i + 1, "TCP", $"expected name value pairs, got '{lines[i]}'");
            }
            var values = new Dictionary<string, long>(StringComparer.Ordinal);
            for (int k = 0; k < words.Length; k += 2)
            {
                if (!long.TryParse(words[k + 1], NumberStyles.None, CultureInfo.InvariantCulture, out long value))
                {
                    throw new ProcFormatException(file, i + 1, words[k], $"expected a whole number, got '{words[k + 1]}'");
                }
                values[words[k]] = value;
            }
            long Field(string name) => values.TryGetValue(name, out long v) ? v
                : throw new ProcFormatException(file, i + 1, name, $"the TCP line has no '{name}'");
            return new SockStat(Field("inuse"), Field("orphan"), Field("tw"), Field("alloc"), Field("mem"));
        }
        throw new ProcFormatException(file, lines.Length, "TCP", "no line starts with 'TCP:'");
    }
}
