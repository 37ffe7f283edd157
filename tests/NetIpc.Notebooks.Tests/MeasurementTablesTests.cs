using NetIpc.Experiments;
using NetIpc.Notebooks;

namespace NetIpc.Notebooks.Tests;

public class MeasurementTablesTests
{
    [Fact]
    public void The_unix_against_tcp_sentence_counts_the_sizes_from_the_run()
    {
        static ThroughputPoint P(string transport, int size, double rate) => new(transport, size, rate, 10, 0);
        var run = new ThroughputResult(
        [
            P("TCP (loopback)", 64, 10), P("UNIX stream", 64, 20), P("UNIX datagram", 64, 5),
            P("TCP (loopback)", 65000, 5000), P("UNIX stream", 65000, 3000), P("UNIX datagram", 65000, 4000),
        ]);
        Assert.Equal("Here: UNIX stream beat TCP at 1 of 2 sizes (64 bytes); UNIX datagram beat TCP at 0 of 2 sizes.", run.UnixVersusTcp());
    }
}
