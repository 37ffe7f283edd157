using System.Collections;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace NetIpc.Proc;

/// <summary>
/// The counters of /proc/net/snmp and /proc/net/netstat, keyed "Prefix.Name"
/// (e.g. "TcpExt.ListenOverflows", "Udp.RcvbufErrors"). Both files print pairs of lines,
/// "Prefix: Name1 Name2 …" then "Prefix: value1 value2 …"; a prefix may come back for more pairs
/// (IcmpMsg does, sixteen names at a time) and those are merged. Values are signed: Tcp.MaxConn is -1.
/// </summary>
public sealed class NetCounters : IReadOnlyDictionary<string, long>
{
    private readonly Dictionary<string, long> values;

    public NetCounters(IDictionary<string, long> values) => this.values = new Dictionary<string, long>(values, StringComparer.Ordinal);

    public static NetCounters Parse(string text, string file = "/proc/net/snmp")
    {
        ArgumentNullException.ThrowIfNull(text);
        var result = new Dictionary<string, long>(StringComparer.Ordinal);
        var lines = text.Split('\n');
        int i = 0;
        while (i < lines.Length)
        {
            if (lines[i].Trim().Length == 0)
            {
                i++;
                continue;
            }
            int namesLine = i + 1;
            var (prefix, names) = SplitPrefixed(lines[i], file, namesLine);
            if (i + 1 >= lines.Length || lines[i + 1].Trim().Length == 0)
            {
                throw new ProcFormatException(file, namesLine + 1, prefix, "a line of names must be followed by a line of values");
            }
            var (valuesPrefix, numbers) = SplitPrefixed(lines[i + 1], file, namesLine + 1);
            if (valuesPrefix != prefix)
            {
                throw new ProcFormatException(file, namesLine + 1, valuesPrefix, $"expected the values of '{prefix}', got a line for '{valuesPrefix}'");
            }
            if (numbers.Length != names.Length)
            {
                throw new ProcFormatException(file, namesLine + 1, prefix, $"{names.Length} names but {numbers.Length} values");
            }
            for (int k = 0; k < names.Length; k++)
            {
                if (!long.TryParse(numbers[k], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long value))
                {
                    throw new ProcFormatException(file, namesLine + 1, $"{prefix}.{names[k]}", $"expected a whole number, got '{numbers[k]}'");
                }
                result[$"{prefix}.{names[k]}"] = value;
            }
            i += 2;
        }
        return new NetCounters(result);
    }

    private static (string Prefix, string[] Items) SplitPrefixed(string line, string file, int number)
    {
        int colon = line.IndexOf(':');
        if (colon <= 0 || line[..colon].Contains(' '))
        {
            throw new ProcFormatException(file, number, "prefix", $"expected 'Prefix: …', got '{(line.Length > 40 ? line[..40] + "…" : line)}'");
        }
        var items = line[(colon + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return (line[..colon], items);
    }

    /// <summary>The differences <paramref name="later"/> − this, for the counters both have.</summary>
    public NetCounters DeltaTo(NetCounters later) =>
        new(values.Where(kv => later.ContainsKey(kv.Key)).ToDictionary(kv => kv.Key, kv => later[kv.Key] - kv.Value));

    /// <summary>This set merged with another (snmp + netstat); the other's value wins on a clash.</summary>
    public NetCounters Merge(NetCounters other)
    {
        var merged = new Dictionary<string, long>(values, StringComparer.Ordinal);
        foreach (var kv in other)
        {
            merged[kv.Key] = kv.Value;
        }
        return new NetCounters(merged);
    }

    public long this[string key] => values.TryGetValue(key, out long v) ? v
        : throw new KeyNotFoundException($"no counter '{key}'; counters are named 'Prefix.Name', e.g. 'TcpExt.ListenOverflows'");

    public IEnumerable<string> Keys => values.Keys;

    public IEnumerable<long> Values => values.Values;

    public int Count => values.Count;

    public bool ContainsKey(string key) => values.ContainsKey(key);

    public bool TryGetValue(string key, [MaybeNullWhen(false)] out long value) => values.TryGetValue(key, out value);

    public IEnumerator<KeyValuePair<string, long>> GetEnumerator() => values.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
