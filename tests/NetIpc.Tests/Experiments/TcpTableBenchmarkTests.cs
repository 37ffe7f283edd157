using NetIpc.Benchmarks;

namespace NetIpc.Tests.Experiments;

public class TcpTableBenchmarkTests
{
    private const string Table = """
        20,103 lines in /proc/net/tcp, in a network namespace of the benchmark's own.

        | Method                                   | Mean      | Error    | StdDev   | Median    | Ratio | RatioSD | Allocated | Alloc Ratio |
        |----------------------------------------- |----------:|---------:|---------:|----------:|------:|--------:|----------:|------------:|
        | 'read tcp + tcp6 bytes'                  |  43.05 ms | 1.441 ms | 4.018 ms |  42.18 ms |  1.01 |    0.13 |   2.88 MB |        1.00 |
        | 'NetIpc: read + parse tcp + tcp6'        |  39.38 ms | 1.473 ms | 4.131 ms |  37.94 ms |  0.92 |    0.13 |   3.53 MB |        1.23 |
        | 'NetIpc: sock_diag (netlink) tcp + tcp6' | 20.11 ms | 3.440 ms | 981.0 μs |  19.73 ms |  0.47 |    0.05 |   4.64 MB |        1.61 |
        | 'ss -tan (a process, netlink)'           |  86.16 ms | 3.442 ms | 9.986 ms |  85.61 ms |  2.02 |    0.29 |   5.19 MB |        1.80 |
        """;

    [Fact]
    public void The_rows_and_the_socket_count_are_read_from_the_recording()
    {
        var b = TcpTableBenchmark.FromMarkdown(Table, "test");
        Assert.Equal(20_103, b.Sockets);
        Assert.Equal(4, b.Rows.Count);
        Assert.Equal(19.73, b.SockDiag.MedianMs);
        Assert.Equal(0.981, b.SockDiag.StdDevMs, 6);
        Assert.Equal("ss -tan (a process, netlink)", b.Ss.Method);
        Assert.Equal(85.61 / 19.73, b.SpeedupOverSs, 6);
        // One ratio, of medians: the baseline against itself is 1, whatever BenchmarkDotNet's Ratio column says (1.01).
        Assert.Equal(1.0, b.RatioToBaseline(b.ProcBytes));
        Assert.Equal(19.73 / 42.18, b.RatioToBaseline(b.SockDiag), 6);
        Assert.Null(b.NetlinkBytes);
    }

    [Fact]
    public void The_recorded_run_of_this_course_parses()
    {
        var b = TcpTableBenchmark.Recorded();
        Assert.True(b.Sockets >= 20_000);
        Assert.Contains(b.Rows, r => r.Method.Contains("sock_diag", StringComparison.Ordinal));
    }

    [Fact]
    public void A_table_without_the_socket_count_or_a_column_is_refused()
    {
        Assert.Throws<FormatException>(() => TcpTableBenchmark.FromMarkdown(Table.Replace("lines in /proc/net/tcp", "rows"), "test"));
        Assert.Throws<FormatException>(() => TcpTableBenchmark.FromMarkdown(Table.Replace("Median", "Middle"), "test"));
        Assert.Throws<FormatException>(() => TcpTableBenchmark.FromMarkdown(Table.Replace("19.73 ms", "19.73 parsecs"), "test"));
    }
}
