using System.Globalization;

namespace NetIpc.Benchmarks;

/// <summary>
/// The recorded BenchmarkDotNet run behind chapter 04's "why one buffer" (data/benchmarks/skbuff-zero-copy.md):
/// the SkBuff way's time and memory as fractions of the copy-at-every-layer way's, read from the table so the
/// sentence about them cannot drift from the recording.
/// </summary>
public sealed record SkBuffBenchmark(double TimeRatio, double AllocationRatio)
{
    public const string RecordingPath = "benchmarks/skbuff-zero-copy.md";

    public static SkBuffBenchmark Recorded() => FromTable(Recordings.ReadMarkdownTable(RecordingPath), $"data/{RecordingPath}");

    /// <summary>Takes the "Ratio" and "Alloc Ratio" columns of the SkBuff row (the baseline row is 1.00 by definition).</summary>
    public static SkBuffBenchmark FromTable(IReadOnlyList<string[]> rows, string where)
    {
        var header = rows[0];
        int ratio = Array.IndexOf(header, "Ratio"), alloc = Array.IndexOf(header, "Alloc Ratio");
        var skb = rows.Skip(1).FirstOrDefault(r => r[0].Contains("SkBuff", StringComparison.Ordinal));
        if (ratio < 0 || alloc < 0 || skb is null || skb.Length <= Math.Max(ratio, alloc))
        {
            throw new FormatException($"{where}: expected a table with Ratio and Alloc Ratio columns and a row for the SkBuff method");
        }
        return new SkBuffBenchmark(double.Parse(skb[ratio], CultureInfo.InvariantCulture), double.Parse(skb[alloc], CultureInfo.InvariantCulture));
    }

}
