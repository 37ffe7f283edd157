using NetIpc.Harness;
using NetIpc.Native;
using NetIpc.Tcp;

namespace NetIpc.Tests.Experiments;

/// <summary>The seed's SO_REUSEPORT-for-restart advice, live, and its checks failing on the wrong kernel answers.</summary>
public class ReusePortRestartTests
{
    [LinuxFact]
    public void Reuseport_binds_over_a_time_wait_only_when_the_old_server_had_it()
    {
        var result = NetIpc.Experiments.ReusePortRestart().Require();
        Assert.Equal(0, result.Restarts.Single(r => r.OldHadReusePort).BindErrno);
        Assert.Equal(Errno.EADDRINUSE, result.Restarts.Single(r => !r.OldHadReusePort).BindErrno);
    }

    [Fact]
    public void A_refused_restart_after_a_reuseport_server_fails_its_check()
    {
        var result = new ReusePortRestartResult([new(true, 40000, true, 98), new(false, 40001, true, 98)]);
        var error = Assert.Throws<ProofFailedException>(() => result.Require());
        var failed = Assert.Single(error.Failed);
        Assert.StartsWith("old server had SO_REUSEPORT", failed.Claim);
        Assert.Equal("bind() = -1 EADDRINUSE (98)", failed.Evidence);
    }

    [Fact]
    public void A_restart_that_succeeds_without_the_old_servers_option_fails_its_check()
    {
        var result = new ReusePortRestartResult([new(true, 40000, true, 0), new(false, 40001, true, 0)]);
        var failed = Assert.Single(Assert.Throws<ProofFailedException>(() => result.Require()).Failed);
        Assert.StartsWith("old server had no SO_REUSEPORT", failed.Claim);
    }

    [Fact]
    public void A_restart_without_a_time_wait_proves_nothing_and_fails()
    {
        var result = new ReusePortRestartResult([new(true, 40000, false, 0), new(false, 40001, true, 98)]);
        Assert.Contains("a TIME_WAIT holds the old server's port 40000", Assert.Single(Assert.Throws<ProofFailedException>(() => result.Require()).Failed).Claim);
    }

    [LinuxFact]
    public void Another_process_of_the_same_user_silently_takes_a_share_of_the_connections()
    {
        var result = NetIpc.Experiments.ReusePortSharedByAnotherProcess(connections: 40).Require();
        Assert.Equal(2, result.ListenLines);
        Assert.Equal(40, result.QueuedHere + result.QueuedInOther);
        Assert.NotEqual(Environment.ProcessId, result.OtherPid);
    }

    [Fact]
    public void A_share_check_fails_when_the_other_process_got_nothing_or_is_another_user()
    {
        var nothing = new PortSharedResult(40000, 10, 1, 2, 1000, 1000, 10, 0, 2);
        Assert.Contains("handed it some", Assert.Single(Assert.Throws<ProofFailedException>(() => nothing.Require()).Failed).Claim);
        var stranger = new PortSharedResult(40000, 10, 1, 2, 1000, 1001, 5, 5, 2);
        Assert.Contains("same user", Assert.Single(Assert.Throws<ProofFailedException>(() => stranger.Require()).Failed).Claim);
    }
}

/// <summary>Why the experiments create their sockets with protocol 0: .NET's Bind adds SO_REUSEADDR to a socket typed Tcp.</summary>
public class DotnetBindTests
{
    private static int ReuseAddr(System.Net.Sockets.Socket s)
    {
        var value = new byte[4];
        s.GetRawSocketOption(NetIpc.Native.SocketOptions.SolSocket, NetIpc.Native.SocketOptions.SoReuseAddr, value);
        return BitConverter.ToInt32(value);
    }

    [LinuxFact]
    public void Bind_sets_so_reuseaddr_on_a_tcp_typed_socket_only()
    {
        using var typed = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.InterNetwork, System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp);
        using var plain = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.InterNetwork, System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Unspecified);
        Assert.Equal((0, 0), (ReuseAddr(typed), ReuseAddr(plain)));
        typed.Bind(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 0));
        plain.Bind(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 0));
        Assert.Equal((1, 0), (ReuseAddr(typed), ReuseAddr(plain)));
    }
}

public class ReusePortSpreadCheckTests
{
    [Fact]
    public void A_listener_left_out_or_a_lost_connection_fails_the_check()
    {
        Assert.Equal(200, new ReusePortResult(9000, 200, [50, 50, 50, 50]).Require().PerListener.Sum());
        var idle = Assert.Throws<ProofFailedException>(() => new ReusePortResult(9000, 200, [100, 100, 0, 0]).Require());
        Assert.Contains("got a share", Assert.Single(idle.Failed).Claim);
        var lost = Assert.Throws<ProofFailedException>(() => new ReusePortResult(9000, 200, [50, 50, 50, 49]).Require());
        Assert.Contains("all in the listeners' accept queues", Assert.Single(lost.Failed).Claim);
    }
}
