using System.Net;
using System.Net.Sockets;
using NetIpc.Proc;
using NetIpc.Sockets;

namespace NetIpc.Tests.Sockets;

/// <summary>
/// What decides whether a chapter gets the seed's port. Each test plays the part of 9501 with a port the
/// kernel hands out, so the test run never holds 9501 while the chapter tests may want it.
/// </summary>
public class SeedPortTests
{
    private const int SolSocket = 1;
    private const int SoReuseAddr = 2;
    private const int SoReusePort = 15;

    private static int LocalPort(Socket s) => s.LocalPort();

    // Protocol 0, as C's socket() passes it: .NET sets SO_REUSEADDR by itself on every bind() of a socket
    // created with ProtocolType.Tcp, and these tests need sockets that have it only when they say so.
    private static Socket Plain() => new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Unspecified);

    /// <summary>
    /// A server that closes its side of a connection first, as an earlier run might: its end of the
    /// connection stays in TIME_WAIT on the server's port. Returns that port once the table shows it.
    /// </summary>
    private static int PortLeftInTimeWait(bool serverSetReuseAddr)
    {
        using var server = Plain();
        if (serverSetReuseAddr)
        {
            server.SetRawSocketOption(SolSocket, SoReuseAddr, BitConverter.GetBytes(1));
        }
        server.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        server.Listen(1);
        int port = LocalPort(server);
        using (var client = Plain())
        {
            client.Connect(server.LocalEndPoint!);
            using (var connection = server.Accept())
            {
                connection.Shutdown(SocketShutdown.Both);
            }
            client.ReceiveTimeout = 2000;
            Assert.Equal(0, client.Receive(new byte[1])); // the server's FIN arrived
        }
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(2);
        while (!ProcNet.Self.Tcp().Any(e => e.State == KernelTcpState.TimeWait && e.Local.Port == port))
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"gave up waiting 2 s for the server's TIME_WAIT on port {port}");
            }
            Thread.Sleep(5);
        }
        return port;
    }

    private static SocketError BindError(int port, bool reuseAddr)
    {
        using var s = Plain();
        if (reuseAddr)
        {
            s.SetRawSocketOption(SolSocket, SoReuseAddr, BitConverter.GetBytes(1));
        }
        try
        {
            s.Bind(new IPEndPoint(IPAddress.Loopback, port));
            return SocketError.Success;
        }
        catch (SocketException e)
        {
            return e.SocketErrorCode;
        }
    }

    [LinuxFact]
    public void A_time_wait_left_by_a_server_that_set_reuseaddr_does_not_push_the_demo_off_the_port()
    {
        // Tests running beside this one open connections too, and one of them may be given this port number as its
        // ephemeral port in the moment between the TIME_WAIT and the bind: then the port is really taken by
        // something else, which says nothing about SO_REUSEADDR, and the test tries another port (at most 3 times).
        for (int attempt = 1; ; attempt++)
        {
            int port = PortLeftInTimeWait(serverSetReuseAddr: true);
            // The TIME_WAIT really is in the way of a plain bind(), so what follows is SO_REUSEADDR's doing.
            Assert.Equal(SocketError.AddressAlreadyInUse, BindError(port, reuseAddr: false));

            using var server = Plain();
            var choice = SeedPort.Bind(server, IPAddress.Loopback, preferred: port);
            bool takenByAnother = ProcNet.Self.TcpAll().Any(e => e.Local.Port == port && e.State != KernelTcpState.TimeWait && e.Inode != Descriptor.InodeOf(server));
            if (choice.Port != port && takenByAnother && attempt < 3) continue;
            Assert.Equal((port, (string?)null), (choice.Port, choice.Note));
            Assert.Equal(port, LocalPort(server));
            return;
        }
    }

    [LinuxFact]
    public void A_time_wait_left_by_a_server_without_reuseaddr_still_refuses_it_and_the_demo_says_so()
    {
        int port = PortLeftInTimeWait(serverSetReuseAddr: false);
        Assert.Equal(SocketError.AddressAlreadyInUse, BindError(port, reuseAddr: true)); // what chapter 06 teaches

        using var server = Plain();
        var choice = SeedPort.Bind(server, IPAddress.Loopback, preferred: port);
        Assert.NotEqual(port, choice.Port);
        Assert.Equal(choice.Port, LocalPort(server));
        Assert.Contains($"port {port} is taken", choice.Note);
    }

    [LinuxTheory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_listener_keeps_the_port_even_when_it_set_reuseaddr_too(bool otherSetReuseAddr)
    {
        using var other = Plain();
        if (otherSetReuseAddr)
        {
            other.SetRawSocketOption(SolSocket, SoReuseAddr, BitConverter.GetBytes(1));
        }
        other.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        other.Listen(1);
        int port = LocalPort(other);

        var (listener, choice) = SeedPort.Listen(IPAddress.Loopback, preferred: port);
        using (listener)
        {
            Assert.NotEqual(port, choice.Port);
            // SO_REUSEADDR alone: .NET's ReuseAddress would add SO_REUSEPORT and share a port a course server holds.
            Assert.Equal((1, 0), (Option(listener, SoReuseAddr), Option(listener, SoReusePort)));
            Assert.Contains($"port {choice.Port} ({choice.Port:X4} in /proc/net/tcp), not the seed's {port}", choice.Sentence);
            Assert.DoesNotContain("the seed's port", choice.Sentence);
        }
    }

    private static int Option(Socket s, int option)
    {
        var value = new byte[4];
        s.GetRawSocketOption(SolSocket, option, value);
        return BitConverter.ToInt32(value);
    }

    [Fact]
    public void The_sentence_names_the_seeds_port_and_251D_only_for_9501()
    {
        var seeds = new PortChoice(9501, 9501, null);
        Assert.True(seeds.IsSeeds);
        Assert.Equal("port 9501, the seed's port (251D in /proc/net/tcp)", seeds.Sentence);
        var other = new PortChoice(35323, 9501, "port 9501 is taken");
        Assert.False(other.IsSeeds);
        Assert.Equal("port 35323 (89FB in /proc/net/tcp), not the seed's 9501: port 9501 is taken", other.Sentence);
        Assert.Equal("port 35323 (89FB in /proc/net/tcp), chosen by the kernel", new PortChoice(35323, 0, null).Sentence);
    }

    [Theory]
    [InlineData(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp, "/proc/net/tcp")]
    [InlineData(AddressFamily.InterNetworkV6, SocketType.Stream, ProtocolType.Tcp, "/proc/net/tcp6")]
    [InlineData(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp, "/proc/net/udp")]
    [InlineData(AddressFamily.InterNetworkV6, SocketType.Dgram, ProtocolType.Udp, "/proc/net/udp6")]
    public void The_sentence_names_the_table_that_lists_the_socket(AddressFamily family, SocketType type, ProtocolType protocol, string file)
    {
        using var socket = new Socket(family, type, protocol);
        var choice = SeedPort.Bind(socket, family == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Loopback : IPAddress.Loopback, preferred: 0);
        Assert.Equal(file, choice.ProcFile);
        Assert.EndsWith($"({choice.Port:X4} in {file}), chosen by the kernel", choice.Sentence);
        if (type == SocketType.Stream)
        {
            socket.Listen(1); // a TCP socket that is only bound is in no table /proc walks
        }
        // The table really lists it there: the kernel prints the port in hex in the local-address column.
        Assert.Contains(File.ReadLines(file).Skip(1), l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1].EndsWith($":{choice.Port:X4}", StringComparison.Ordinal));
    }
}
