using NetIpc.Native;
using NetIpc.Sockets;
using static NetIpc.Experiments;
using static NetIpc.Sockets.Sys;

namespace NetIpc.Tests.Experiments;

public class LifecycleTests
{
    [ExperimentFact("socket-types")]
    public void Socket_types_are_what_the_kernel_says_and_the_raw_socket_gets_whole_packets()
    {
        var r = SocketTypes();
        Assert.Equal([1, 2, 3, 1], r.Rows.Select(x => x.SoType));          // SOCK_STREAM, SOCK_DGRAM, SOCK_RAW; the flag is not a type
        Assert.Equal([6, 17, 17, 6], r.Rows.Select(x => x.SoProtocol));    // IPPROTO_TCP, IPPROTO_UDP
        Assert.Equal([false, false, false, true], r.Rows.Select(x => x.NonBlocking));
        Assert.Equal(["/proc/net/tcp", "/proc/net/udp", "/proc/net/raw", "/proc/net/tcp"], r.Rows.Select(x => x.ListedIn));
        Assert.Equal(20 + 8 + r.Payload, r.RawReceived);
        Assert.Equal(0x45, r.RawFirstByte);
        Assert.Equal(Errno.EAGAIN, r.NonBlockingAcceptErrno);
        Assert.All(r.Rows, x => Assert.False(string.IsNullOrEmpty(x.Line)));
    }

    [LinuxFact]
    public void The_flow_passes_through_listen_established_and_ends_in_time_wait()
    {
        var result = Lifecycle(TimeSpan.FromMilliseconds(30), preferredPort: 0);
        Assert.NotEqual(SeedPort.Number, result.Port); // 9501 is left to the chapter tests running alongside
        var states = result.Samples.Select(s => s.State).ToHashSet();
        Assert.Superset(new HashSet<string> { "LISTEN", "ESTAB", "TIME-WAIT" }, states);
        Assert.Equal(7, result.Steps.Count);
        Assert.True(result.Steps.Zip(result.Steps.Skip(1)).All(p => p.First.TimeMs < p.Second.TimeMs));
        var last = result.Samples.Where(s => s.TimeMs == result.Samples.Max(x => x.TimeMs)).ToList();
        Assert.Equal("TIME-WAIT", Assert.Single(last).State); // only the client's TIME_WAIT outlives the sockets
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
            int freed = local_port(a);
            close(a);
            int c = socket(AF_INET, SOCK_STREAM);
            Assert.Equal(-1, connect(c, "127.0.0.1", freed)); // the listener is gone: nobody answers on its port
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

    // Here, not with the other SeedPort tests: Sys's trace switch and CloseAll are process-wide, and this
    // class is the one whose tests use them, one at a time.
    [LinuxFact]
    public void Bind_seed_port_traces_the_reuseaddr_it_sets_and_the_refusal_it_works_around()
    {
        var output = new StringWriter();
        TraceOutput = output;
        trace = true;
        int holder = socket(AF_INET, SOCK_STREAM);
        int fd = socket(AF_INET, SOCK_STREAM);
        try
        {
            bind(holder, "127.0.0.1", 0);
            listen(holder, 1);
            int taken = local_port(holder);
            int port = bind_seed_port(fd, "127.0.0.1", preferred: taken);

            Assert.NotEqual(taken, port);
            Assert.Equal(port, local_port(fd));
            Assert.Equal(1, getsockopt(fd, SOL_SOCKET, SO_REUSEADDR));
            string text = output.ToString();
            Assert.Contains($"setsockopt({fd}, SOL_SOCKET, SO_REUSEADDR, 1) = 0\nbind({fd}, 127.0.0.1:{taken}) = -1 EADDRINUSE (98)\n", text.ReplaceLineEndings("\n"));
            Assert.Contains($"port {port} ({port:X4} in /proc/net/tcp), not the seed's {taken}", text);
        }
        finally
        {
            close(fd);
            close(holder);
            trace = false;
            TraceOutput = null;
        }
    }

    [LinuxFact]
    public void A_seed_server_restarted_after_closing_first_gets_its_port_back()
    {
        // The first run, as chapter 05 does it, except on a port the kernel chooses: the server's side closes
        // first, so its end waits in TIME_WAIT on the server's port — what a chapter run leaves for the next.
        int server = socket(AF_INET, SOCK_STREAM);
        int port = bind_seed_port(server, "127.0.0.1", preferred: 0);
        listen(server, 1);
        int client = socket(AF_INET, SOCK_STREAM);
        connect(client, "127.0.0.1", port);
        int connection = accept(server);
        close(connection);
        Assert.Equal(0, read(client, new byte[1])); // the server's FIN has arrived
        close(client);
        close(server);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(2);
        while (!NetIpc.Proc.ProcNet.Self.Tcp().Any(e => e.State == NetIpc.Proc.KernelTcpState.TimeWait && e.Local.Port == port))
        {
            Assert.True(DateTime.UtcNow < deadline, $"the server's end never reached TIME_WAIT on port {port} within 2 s");
            Thread.Sleep(5);
        }

        int restarted = socket(AF_INET, SOCK_STREAM);
        try
        {
            Assert.Equal(port, bind_seed_port(restarted, "127.0.0.1", preferred: port));
        }
        finally
        {
            close(restarted);
        }
    }
}

public class SysExpectTests
{
    [LinuxFact]
    public void Expect_passes_on_the_kernels_answer_and_throws_naming_what_it_did_instead()
    {
        int holder = socket(AF_INET, SOCK_STREAM);
        int latecomer = socket(AF_INET, SOCK_STREAM);
        try
        {
            expect(bind(holder, "127.0.0.1", 0), 0);
            expect(listen(holder, 1), 0);
            int refused = bind(latecomer, "127.0.0.1", local_port(holder));
            expect(refused, EADDRINUSE);

            var notOk = Assert.Throws<NetIpc.Harness.ProofFailedException>(() => expect(refused, 0));
            Assert.Equal("-1 EADDRINUSE (98)", Assert.Single(notOk.Failed).Evidence);
            var otherErrno = Assert.Throws<NetIpc.Harness.ProofFailedException>(() => expect(refused, 111));
            Assert.StartsWith("the call fails with ECONNREFUSED (111)", Assert.Single(otherErrno.Failed).Claim);
            Assert.Throws<NetIpc.Harness.ProofFailedException>(() => expect(0, EADDRINUSE));

            expect_returns(0, 0);
            Assert.Equal("it returned 7", Assert.Single(Assert.Throws<NetIpc.Harness.ProofFailedException>(() => expect_returns(7, 0)).Failed).Evidence);
        }
        finally
        {
            close(latecomer);
            close(holder);
        }
    }
}
