using NetIpc.Commands;
using NetIpc.Proc;
using NetIpc.SocketTables;

namespace NetIpc.Tests.Tools;

/// <summary>Chapter 03 shows the zoo's rows of whole-namespace tables and says what it left out.</summary>
public class FilteredTablesTests
{
    private static SocketRow Row(string state, string local, string remote) => new("tcp", state, local, remote, 0, 0, 0, []);

    [Fact]
    public void Only_keeps_the_picked_rows_and_count_by_state_names_the_rest()
    {
        var table = new SocketTable([Row("LISTEN", "0.0.0.0:22", "0.0.0.0:*"), Row("TIME-WAIT", "127.0.0.1:9501", "127.0.0.1:40000"),
            Row("TIME-WAIT", "127.0.0.1:9501", "127.0.0.1:40002"), Row("ESTAB", "127.0.0.1:40004", "127.0.0.1:9501")]);
        var kept = table.Only(r => r.State == "ESTAB");
        Assert.Single(kept);
        Assert.Equal("2 TIME-WAIT, 1 LISTEN", table.Only(r => r.State != "ESTAB").CountByState());
        Assert.Equal("none", table.Only(_ => false).CountByState());
    }

    [LinuxFact]
    public void The_zoo_recognises_its_rows_in_the_joined_table_and_nothing_else()
    {
        using var zoo = SocketZoo.Start(preferredPort: 0);
        var machine = SocketTable.Tcp();
        var ours = machine.Only(r => zoo.IsOurs(r.State, r.Local, r.Remote));
        // The same sockets the zoo finds in /proc/net/tcp and tcp6 by its own rule.
        Assert.Equal(zoo.Lines().Count, ours.Count);
        Assert.False(zoo.IsOurs("LISTEN", "0.0.0.0:1", "0.0.0.0:*"));
    }

    [Fact]
    public void The_comparison_summary_counts_steady_and_changed_rows()
    {
        var comparison = SsComparison.Recorded("edge-cases");
        Assert.True(comparison.Agrees);
        Assert.Contains($"{comparison.Rows.Count(r => !r.ChangedDuringComparison)} sockets that stayed put", Assert.Single(comparison.Checks()).Evidence);
        Assert.Equal(comparison.Rows.Count(r => r.State == "LISTEN"), comparison.Only(r => r.State == "LISTEN").Rows.Count);
    }
}
