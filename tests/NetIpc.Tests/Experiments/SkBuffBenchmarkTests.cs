using NetIpc.Benchmarks;

namespace NetIpc.Tests.Experiments;

public class SkBuffBenchmarkTests
{
    [Fact]
    public void The_recorded_ratios_are_read_from_the_table()
    {
        var recorded = SkBuffBenchmark.Recorded();
        var rows = Recordings.ReadMarkdownTable(SkBuffBenchmark.RecordingPath);
        var skb = rows.Single(r => r[0].Contains("SkBuff", StringComparison.Ordinal));
        Assert.Equal(double.Parse(skb[Array.IndexOf(rows[0], "Ratio")], System.Globalization.CultureInfo.InvariantCulture), recorded.TimeRatio);
    }

    [Fact]
    public void A_table_without_the_ratio_columns_is_refused()
    {
        string[][] rows = [["Method", "Mean"], ["'one SkBuff'", "1 ns"]];
        Assert.Throws<FormatException>(() => SkBuffBenchmark.FromTable(rows, "test"));
    }
}
