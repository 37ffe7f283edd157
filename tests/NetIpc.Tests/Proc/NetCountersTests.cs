using NetIpc.Proc;

namespace NetIpc.Tests.Proc;

/// <summary>data/proc/*/snmp and netstat ↔ NetCounters.cs.</summary>
public class NetCountersTests
{
    [Fact]
    public void Listen_overflow_moved_the_counter_by_the_clients_that_did_not_fit()
    {
        var before = NetCounters.Parse(Recordings.ReadText("proc/listen-overflow/netstat.before"), "netstat.before");
        var after = NetCounters.Parse(Recordings.ReadText("proc/listen-overflow/netstat"), "netstat");
        var delta = before.DeltaTo(after);
        Assert.Equal(3, delta["TcpExt.ListenOverflows"]);
        Assert.Equal(3, delta["TcpExt.ListenDrops"]);
    }

    [Fact]
    public void Snmp_keys_are_prefix_dot_name()
    {
        var snmp = NetCounters.Parse(Recordings.ReadText("proc/listen-overflow/snmp"));
        Assert.Equal(1, snmp["IcmpMsg.OutType3"]);
        Assert.Equal(64, snmp["Ip.DefaultTTL"]);
        Assert.True(snmp.ContainsKey("Udp.RcvbufErrors"));
        Assert.True(snmp.ContainsKey("Tcp.RetransSegs"));
    }

    [Fact]
    public void Edge_case_snmp_counted_the_udp_drops()
    {
        var snmp = Recordings.Proc("edge-cases").Snmp();
        Assert.Equal(47, snmp["Udp.RcvbufErrors"]);
    }

    [Fact]
    public void Repeated_prefix_is_merged()
    {
        var counters = NetCounters.Parse("IcmpMsg: InType3 OutType3\nIcmpMsg: 4 5\nIcmpMsg: InType8\nIcmpMsg: 2\n");
        Assert.Equal(3, counters.Count);
        Assert.Equal(2, counters["IcmpMsg.InType8"]);
    }

    [Fact]
    public void Snmp_and_netstat_merge_into_one_dictionary()
    {
        var counters = Recordings.Proc("listen-overflow").Counters();
        Assert.True(counters.ContainsKey("TcpExt.ListenOverflows"));
        Assert.True(counters.ContainsKey("Udp.InErrors"));
    }

    [Fact]
    public void Unknown_counter_says_which_and_where_to_look()
    {
        var counters = NetCounters.Parse("Tcp: A B\nTcp: 1 2\n");
        var error = Assert.Throws<KeyNotFoundException>(() => counters["Tcp.C"]);
        Assert.Contains("Tcp.C", error.Message);
    }

    [Theory]
    [InlineData("Tcp: A B\nTcp: 1\n", 2, "Tcp")]
    [InlineData("Tcp: A B\nUdp: 1 2\n", 2, "Udp")]
    [InlineData("Tcp: A B\nTcp: 1 x\n", 2, "Tcp.B")]
    [InlineData("Tcp: A B\n", 2, "Tcp")]
    [InlineData("no prefix here\n", 1, "prefix")]
    public void Malformed_counters_name_line_and_field(string text, int line, string field)
    {
        var error = Assert.Throws<ProcFormatException>(() => NetCounters.Parse(text, "snmp"));
        Assert.Equal((line, field), (error.Line, error.Field));
    }
}
