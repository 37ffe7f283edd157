using System.Net.Sockets;
using NetIpc.Proc;
using NetIpc.Sockets;

namespace NetIpc.Tests.Sockets;

public class LoopbackTcpTests
{
    // Other tests open descriptors at the same time, so a count would race: the sockets are named by inode.
    private static HashSet<string> OpenSockets() =>
        [.. new DirectoryInfo("/proc/self/fd").EnumerateFileSystemInfos().Select(fd => { try { return fd.LinkTarget ?? ""; } catch (IOException) { return ""; } }).Where(t => t.StartsWith("socket:"))];

    private static string Name(Socket socket) => $"socket:[{Descriptor.InodeOf(socket)}]";

    [LinuxFact]
    public void Open_connects_a_client_to_an_accepted_server_end_and_dispose_closes_all_three()
    {
        var tcp = LoopbackTcp.Open();
        string[] names = [Name(tcp.Listener), Name(tcp.Client), Name(tcp.Server)];
        int port = tcp.ServerPort;
        Assert.Equal(3, names.Distinct().Count());
        Assert.Subset(OpenSockets(), names.ToHashSet());
        var table = ProcNet.Self.Tcp();
        Assert.Contains(table, e => e.State == KernelTcpState.Listen && e.Local.Port == tcp.ServerPort);
        Assert.Contains(table, e => e.State == KernelTcpState.Established && e.Local.Port == tcp.ClientPort && e.Remote.Port == tcp.ServerPort);
        Assert.Contains(table, e => e.State == KernelTcpState.Established && e.Local.Port == tcp.ServerPort && e.Remote.Port == tcp.ClientPort);
        tcp.Client.Send("ping"u8);
        Assert.Equal(4, tcp.Server.Receive(new byte[8]));

        tcp.Dispose();
        Assert.Empty(OpenSockets().Intersect(names));
        Assert.DoesNotContain(ProcNet.Self.Tcp(), e => e.State == KernelTcpState.Listen && e.Local.Port == port);
    }

    [LinuxFact]
    public void The_hooks_run_before_listen_and_before_connect()
    {
        // SO_RCVBUF set on the listener is inherited by the accepted socket; the kernel reports twice the request.
        using var tcp = LoopbackTcp.Open(beforeListen: l => l.ReceiveBufferSize = 8192, beforeConnect: c => c.NoDelay = true);
        Assert.Equal(16384, tcp.Server.ReceiveBufferSize);
        Assert.True(tcp.Client.NoDelay);
        Assert.False(tcp.Server.NoDelay);
    }

    [LinuxFact]
    public void A_hook_that_throws_leaves_no_socket_open()
    {
        var handed = new List<Socket>();
        Assert.Throws<InvalidOperationException>(() => LoopbackTcp.Open(
            beforeListen: handed.Add,
            beforeConnect: c => { handed.Add(c); throw new InvalidOperationException("hook"); }));
        Assert.Equal(2, handed.Count);
        Assert.All(handed, s => Assert.True(s.SafeHandle.IsClosed));
    }

    [LinuxFact]
    public void Without_the_listener_the_two_ends_still_talk()
    {
        var (client, server) = LoopbackTcp.Open().WithoutListener();
        using (client)
        using (server)
        {
            client.Send("x"u8);
            Assert.Equal(1, server.Receive(new byte[1]));
            int port = server.LocalPort();
            Assert.DoesNotContain(ProcNet.Self.Tcp(), e => e.State == KernelTcpState.Listen && e.Local.Port == port);
        }
    }
}
