using NetIpc.Sockets;
using static NetIpc.Experiments.Experiments;
using static NetIpc.Sockets.Sys;

namespace NetIpc.Tests.Experiments;

public class LifecycleTests
{
    [LinuxFact]
    public void The_flow_passes_through_listen_established_and_ends_in_time_wait()
    {
        var result = Lifecycle(TimeSpan.FromMilliseconds(30));
        var states = result.Samples.Select(s => s.State).ToHashSet();
        Assert.Superset(new HashSet<string> { "LISTEN", "ESTAB", "TIME-WAIT" }, states);
        Assert.Equal(7, result.Steps.Count);
        Assert.True(result.Steps.Zip(result.Steps.Skip(1)).All(p => p.First.TimeMs < p.Second.TimeMs));
        var last = result.Samples.Where(s => s.TimeMs == result.Samples.Max(x => x.TimeMs)).ToList();
        Assert.Equal("TIME-WAIT", Assert.Single(last).State); // only the client's TIME_WAIT outlives the sockets
        Assert.Contains("calls", Plotly.NET.GenericChart.toChartHTML(result.Chart()));
    }

    [LinuxFact]
    public void Reuseport_spreads_connections_over_every_listener()
    {
        var result = ReusePort(listeners: 4, connections: 100);
        Assert.Equal(100, result.PerListener.Sum());
        Assert.All(result.PerListener, n => Assert.True(n > 0, $"a listener got no connection: {string.Join(", ", result.PerListener)}"));
    }

    [Fact]
    public void Errors_come_back_as_minus_one_with_the_errno_name_and_number()
    {
        var output = new StringWriter();
        TraceOutput = output;
        trace = true;
        try
        {
            int a = socket(AF_INET, SOCK_STREAM);
            Assert.Equal(0, bind(a, "127.0.0.1", 0));
            Assert.Equal(0, listen(a, 1));
            int b = socket(AF_INET, SOCK_STREAM);
            Assert.Equal(-1, bind(b, "127.0.0.1", local_port(a)));
            Assert.Equal(98, errno);
            Assert.Contains("= -1 EADDRINUSE (98)", output.ToString());
            close(a);
            int c = socket(AF_INET, SOCK_STREAM);
            Assert.Equal(-1, connect(c, "127.0.0.1", local_port(b) is 0 ? 1 : 1));
            Assert.Equal(111, errno);
            Assert.Equal(2, CloseAll());
            Assert.Equal(-1, close(c));
        }
        finally
        {
            trace = false;
            TraceOutput = null;
        }
    }

    [Fact]
    public void Reuseaddr_and_reuseport_are_set_one_at_a_time_while_dotnet_sets_both()
    {
        int fd = socket(AF_INET, SOCK_STREAM);
        Assert.Equal((0, 0), (getsockopt(fd, SOL_SOCKET, SO_REUSEADDR), getsockopt(fd, SOL_SOCKET, SO_REUSEPORT)));
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, 1);
        Assert.Equal((1, 0), (getsockopt(fd, SOL_SOCKET, SO_REUSEADDR), getsockopt(fd, SOL_SOCKET, SO_REUSEPORT)));
        int other = socket(AF_INET, SOCK_STREAM);
        Get(other).SetSocketOption(System.Net.Sockets.SocketOptionLevel.Socket, System.Net.Sockets.SocketOptionName.ReuseAddress, true);
        Assert.Equal((1, 1), (getsockopt(other, SOL_SOCKET, SO_REUSEADDR), getsockopt(other, SOL_SOCKET, SO_REUSEPORT)));
        close(fd);
        close(other);
    }

    [Theory]
    [InlineData(false, -1)]
    [InlineData(true, 0)]
    public void A_restart_next_to_time_wait_binds_only_if_both_servers_set_reuseaddr(bool previousHadIt, int expected)
    {
        int old = socket(AF_INET, SOCK_STREAM);
        if (previousHadIt)
        {
            setsockopt(old, SOL_SOCKET, SO_REUSEADDR, 1);
        }
        bind(old, "127.0.0.1", 0);
        int port = local_port(old);
        listen(old, 1);
        int client = socket(AF_INET, SOCK_STREAM);
        connect(client, "127.0.0.1", port);
        int conn = accept(old);
        close(conn);
        close(old);
        close(client);

        int restarted = socket(AF_INET, SOCK_STREAM);
        Assert.Equal(-1, bind(restarted, "127.0.0.1", port));
        Assert.Equal(98, errno);
        setsockopt(restarted, SOL_SOCKET, SO_REUSEADDR, 1);
        Assert.Equal(expected, bind(restarted, "127.0.0.1", port));
        close(restarted);
    }
}
