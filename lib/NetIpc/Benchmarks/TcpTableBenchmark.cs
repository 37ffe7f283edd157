using System.Globalization;
using System.Text.RegularExpressions;

namespace NetIpc.Benchmarks;

/// <summary>
/// One row of a recorded BenchmarkDotNet table: times in milliseconds, allocations as printed. BenchmarkDotNet's own
/// Ratio column (the mean of per-iteration ratios, so the baseline against itself can read 1.03) is not kept: the
/// course compares medians, <see cref="TcpTableBenchmark.RatioToBaseline"/>.
/// </summary>
public sealed record BenchmarkRow(string Method, double MeanMs, double ErrorMs, double StdDevMs, double MedianMs, string Allocated);

/// <summary>
/// The recorded BenchmarkDotNet run behind chapter 03's "how ss reads the table"
/// (data/benchmarks/tcp-table-sock-diag.md, from benchmarks/NetIpc.Benchmarks' TcpTableBenchmarks): every way of
/// reading a table of some 20,000 TCP sockets, timed in one run. Read from the table, so no sentence about it
/// can drift from the recording.
/// </summary>
public sealed partial record TcpTableBenchmark(int Sockets, IReadOnlyList<BenchmarkRow> Rows)
{
    public const string RecordingPath = "benchmarks/tcp-table-sock-diag.md";

    public static TcpTableBenchmark Recorded() => FromMarkdown(Recordings.ReadText(RecordingPath), $"data/{RecordingPath}");

    /// <summary>The table of a BenchmarkDotNet Markdown export, and the socket count the text above it states ("20,103 lines").</summary>
    public static TcpTableBenchmark FromMarkdown(string markdown, string where)
    {
        var match = LinesInTable().Match(markdown);
        if (!match.Success)
        {
            throw new FormatException($"{where}: expected the number of lines in /proc/net/tcp (\"20,103 lines\") above the table");
        }
        int sockets = int.Parse(match.Groups[1].Value, NumberStyles.AllowThousands, CultureInfo.InvariantCulture);
        var table = markdown.Split('\n').Where(l => l.TrimStart().StartsWith('|')).Select(l => l.Trim().Trim('|').Split('|').Select(c => c.Trim()).ToArray()).ToList();
        if (table.Count < 3)
        {
            throw new FormatException($"{where}: expected a Markdown table with a header, a rule and rows");
        }
        var header = table[0];
        int Column(string name) => Array.IndexOf(header, name) is int i and >= 0 ? i : throw new FormatException($"{where}: the table has no '{name}' column");
        int method = Column("Method"), mean = Column("Mean"), error = Column("Error"), stdDev = Column("StdDev"), median = Column("Median"), allocated = Column("Allocated");
        var rows = table.Skip(2).Select(r => new BenchmarkRow(r[method].Trim('\''), Milliseconds(r[mean], where), Milliseconds(r[error], where),
            Milliseconds(r[stdDev], where), Milliseconds(r[median], where), r[allocated])).ToList();
        return new TcpTableBenchmark(sockets, rows);
    }

    /// <summary>"49.31 ms", "812.4 μs", "1.204 s" in milliseconds.</summary>
    private static double Milliseconds(string cell, string where)
    {
        var parts = cell.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length != 2 || !double.TryParse(parts[0], NumberStyles.Float | NumberStyles.AllowThousands, CultureInfo.InvariantCulture, out double value))
        {
            throw new FormatException($"{where}: '{cell}' is not a time BenchmarkDotNet prints");
        }
        return parts[1] switch
        {
            "ns" => value / 1e6,
            "μs" or "us" => value / 1e3,
            "ms" => value,
            "s" => value * 1e3,
            _ => throw new FormatException($"{where}: unknown unit in '{cell}'"),
        };
    }

    public BenchmarkRow Row(string methodContains) =>
        Rows.FirstOrDefault(r => r.Method.Contains(methodContains, StringComparison.Ordinal))
        ?? throw new InvalidOperationException($"the recorded run has no method containing '{methodContains}'");

    public BenchmarkRow SockDiag => Row("sock_diag");

    public BenchmarkRow Ss => Row("ss -tan");

    public BenchmarkRow ProcBytes => Row("read tcp + tcp6 bytes");

    public BenchmarkRow ProcParse => Row("read + parse");

    /// <summary>The bare netlink dump (replies received, nothing decoded), in recordings that have it: the netlink floor.</summary>
    public BenchmarkRow? NetlinkBytes => Rows.FirstOrDefault(r => r.Method.Contains("bare netlink", StringComparison.Ordinal));

    /// <summary>The one ratio the course prints: a row's median over the baseline's (the bare read of /proc's bytes).</summary>
    public double RatioToBaseline(BenchmarkRow row) => row.MedianMs / ProcBytes.MedianMs;

    /// <summary>How many times faster than <c>ss -tan</c> the sock_diag reader was, by medians.</summary>
    public double SpeedupOverSs => Ss.MedianMs / SockDiag.MedianMs;

    [GeneratedRegex(@"([0-9][0-9,]*) lines in /proc/net/tcp")]
    private static partial Regex LinesInTable();
}
