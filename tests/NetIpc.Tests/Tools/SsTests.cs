using NetIpc.Commands;
using NetIpc.Proc;

namespace NetIpc.Tests.Tools;

/// <summary>data/proc/*/ss-tanp ↔ Ss.cs, SsComparison.cs.</summary>
public class SsTests
{
    [Fact]
    public void Recorded_ss_output_parses_with_owners()
    {
        var ss = SsTable.Parse(Recordings.ReadText("proc/seed-server/ss-tanp"));
        Assert.Equal(5, ss.Count);
        var listener = Assert.Single(ss, r => r.State == "LISTEN");
        Assert.Equal(("0.0.0.0:9501", 1UL, 5UL), (listener.Local, listener.RecvQ, listener.SendQ));
        Assert.Equal("python3", Assert.Single(listener.Owners).Command);
        Assert.Single(ss, r => r.Owners.Count == 0); // the connection nobody accepted
    }

    [Theory]
    [InlineData("seed-server")]
    [InlineData("edge-cases")]
    public void Recorded_proc_and_ss_list_the_same_sockets(string scenario)
    {
        var table = SocketTable.Tcp(Recordings.Proc(scenario));
        var ss = SsTable.Parse(Recordings.ReadText($"proc/{scenario}/ss-tanp"));
        var comparison = SsComparison.Compare(table, ss, table);
        Assert.All(comparison.Rows, r => Assert.True(r.FromProc && r.FromSs, $"{r.State} {r.Local} {r.Remote}: in /proc {r.FromProc}, in ss {r.FromSs}"));
        Assert.Equal(ss.Count, comparison.Rows.Count);
    }

    [Theory]
    [InlineData("[::]:9513", "*:9513")]
    [InlineData("0.0.0.0:0", "0.0.0.0:*")]
    [InlineData("[fe80::1%lo]:22", "[fe80::1]:22")]
    [InlineData("[::ffff:127.0.0.1]:9513", "[::ffff:127.0.0.1]:9513")]
    public void Endpoints_are_spelled_the_way_ss_spells_them(string ours, string normalized)
    {
        Assert.Equal(normalized, SsComparison.Normalize(ours));
    }

    [Fact]
    public void Garbage_is_rejected_with_the_line_number()
    {
        var error = Assert.Throws<ProcFormatException>(() => SsTable.Parse("State Recv-Q Send-Q Local Peer\nLISTEN x 5 a b\n"));
        Assert.Equal(2, error.Line);
    }
}
